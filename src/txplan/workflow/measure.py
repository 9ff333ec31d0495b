"""`txplan measure PLAN INSTRUMENT SCORE`: record a score in `measures`."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from txplan.clinical import instruments, progress
from txplan.config import Config, ConfigError
from txplan.plan import editor
from txplan.settings.reading import ConfigFinder


def record(
    plan_path: Path, name: str, raw_score: str, on: dt.date, today: dt.date, config_file: str | None
) -> str:
    """Append the score and return what to tell the clinician. Raises EditError."""
    try:
        config = ConfigFinder(Path(config_file) if config_file else None).for_file(plan_path)
    except ConfigError as exc:
        raise editor.EditError(str(exc)) from None
    instrument = instruments.find(name, config)
    if instrument is None:
        close = instruments.suggest(name, config)
        hint = f" Did you mean {close}?" if close else ""
        raise editor.EditError(
            f"'{name}' is not an instrument txplan knows.{hint} Known: "
            f"{', '.join(instruments.known_names(config))}; declare others in txplan.toml."
        )
    try:
        score = float(raw_score)
    except ValueError:
        raise editor.EditError(f"'{raw_score}' is not a score; write a number.") from None
    if not math.isfinite(score):
        raise editor.EditError(f"'{raw_score}' is not a score; write a finite number, e.g. 12.")
    if not instrument.low <= score <= instrument.high:
        raise editor.EditError(
            f"{score:g} is outside {instrument.name}'s range ({instrument.shown_range()})."
        )
    if on > today:
        raise editor.EditError(f"{on.isoformat()} is in the future; give the date it was taken.")

    from txplan.workflow.lint import refusing_unsound

    with editor.editing(plan_path, refusing_unsound(config)) as document:
        _append(document, instrument.name, on, score)
        editor.save(document)
    return _report(plan_path, instrument, score, on, today, config)


def _append(document: editor.Document, name: str, on: dt.date, score: float) -> None:
    from ruamel.yaml.comments import CommentedMap

    for entry in document.data.get("measures") or []:
        if (
            isinstance(entry, dict)
            and str(entry.get("date")) == on.isoformat()
            and _fold(str(entry.get("instrument", ""))) == _fold(name)
        ):
            raise editor.EditError(
                f"{name} is already recorded for {on.isoformat()}; edit the file to correct it."
            )
    item = CommentedMap()
    item["instrument"] = name
    item["date"] = on
    item["score"] = int(score) if score.is_integer() else score
    # One line per score ({instrument: …}), as txplan writes them.
    editor.append(document.data, "measures", item, flow_items=True)


def _fold(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _report(
    plan_path: Path,
    instrument: instruments.Instrument,
    score: float,
    on: dt.date,
    today: dt.date,
    config: Config,
) -> str:
    from txplan.plan.loader import load_bytes
    from txplan.plan.validate import plan_of

    band = instrument.band(score)
    lines = [
        f"Recorded {instrument.name} {score:g} on {on.isoformat()} in {plan_path}"
        + (f": {band}." if band else ".")
    ]
    loaded = load_bytes(plan_path.read_bytes())
    plan = plan_of(loaded)
    if plan is not None:
        for p in progress.plan_progress(plan, config, today):
            if p.instrument == instrument:
                lines.append("  " + progress.describe(p))
    return "\n".join(lines)
