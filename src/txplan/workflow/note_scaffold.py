"""`txplan note CLIENT_ID`: scaffold a session note from the plan in force.

The note is written the way `txplan new` writes a plan: the plans folder is
`--dir` (default: here), what only the clinician can write is a visible
placeholder (txplan.plan.placeholders), the text comes from a template in
templates/scaffolds/ (session.note.md.j2, StrictUndefined), and the file is
created atomically, owner-only, never over another (txplan.plan.files).

It goes to `notes/<CLIENT_ID>/<DATE>.note.md` and holds what the plan in
force on the session's date (txplan.plan.notes.in_force) says about the
session: its active objectives with the interventions linked to each, the
instruments it measures with their last scores, a risk prompt that is
required when the note rules would require it (N008), the clinician's
signature, and the `## Plan` section of the client's previous note carried
forward. The contract with lint: untouched, the note reports only C009
placeholders; filled in with valid values, nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from txplan import resources
from txplan.config import Config, ConfigError
from txplan.plan import placeholders
from txplan.plan.files import NOTE_SUFFIX, PLAN_SUFFIX
from txplan.settings.reading import ConfigFinder
from txplan.workflow.new_plan import Ask
from txplan.workflow.notes import NOTES_FOLDER

TEMPLATE = "session.note.md.j2"
# What the scaffold writes where neither the plan nor the options say.
UNKNOWN = {
    "start": "<HH:MM>",
    "end": "<HH:MM>",
    "clinician": "<your name>",
    "credentials": "<your credentials e.g. LCSW>",
    "place": "<office|telehealth|home|school|other>",
    "method": "<video|audio>",
    "participants": "<who took part: client and family by role or a group's count>",
    "signed": "<YYYY-MM-DD>",
}
# The CPT code a session of each format usually bills, shown in the placeholder.
_USUAL_CPT = {"family": "90847", "couples": "90847", "group": "90853"}
_PLAN_HEADING = re.compile(r"^(#{1,2})[ \t]+plan\b", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})[ \t]")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_STATEMENT_SHOWN = 90
_DIRECTIVE = re.compile(r"#(?=\s*txplan\s*:)", re.IGNORECASE)


class Refused(Exception):
    """The note cannot be written as asked (exit 2)."""


class Exists(Exception):
    """A note for the client and date exists; nothing was written (exit 1)."""


@dataclass(frozen=True)
class Options:
    client_id: str
    date: dt.date
    today: dt.date
    start: str | None = None
    end: str | None = None
    cpt: str | None = None
    folder: str = "."
    config: str | None = None


@dataclass
class _Session:
    """The session's times and codes as checked: None where still unknown."""

    start: str | None = None
    end: str | None = None
    cpt: tuple[str, ...] = ()


@dataclass
class _Found:
    """The plan in force on the session's date, and where it comes from."""

    name: str
    path: Path
    plan: Any  # txplan.plan.model.Plan
    version: str  # "" outside git, "commit 1a2b3c4", "the working copy"
    notes: list[Any] = field(default_factory=list)  # the client's NoteEntry, oldest first


# --- checking what the clinician gave ------------------------------------------------


def time_problem(raw: str) -> str | None:
    """Why `raw` is not a session time; None when it is one."""
    return (
        None
        if _clock(raw) is not None
        else (f"'{raw}' is not a time; write it as 24-hour HH:MM, e.g. 14:00 (or 2:00 PM).")
    )


def _clock(raw: str) -> str | None:
    """`raw` as the note stores it ("2:00 PM" -> "14:00"), or None."""
    from pydantic import TypeAdapter, ValidationError

    from txplan.plan.notes.model import NoteTime

    try:
        value: str = TypeAdapter(NoteTime).validate_python(raw.strip())
    except ValidationError:
        return None
    return value


def cpt_codes(raw: str) -> tuple[str, ...] | None:
    """`"90837"` or `"90837,90785"` as codes, or None when one is not a CPT code."""
    import typing

    from pydantic import TypeAdapter, ValidationError

    from txplan.plan.notes.model import CptCode

    codes = tuple(part.upper() for part in re.split(r"[\s,;]+", raw.strip()) if part)
    try:
        for code in codes:
            TypeAdapter(typing.cast(Any, CptCode)).validate_python(code)
    except ValidationError:
        return None
    return codes or None


def cpt_problem(raw: str) -> str | None:
    if cpt_codes(raw) is None:
        return (
            f"'{raw}' is not a CPT code; a CPT code is five characters, e.g. 90837, and "
            "add-ons follow a comma: 90837,90785."
        )
    return None


def _session_problems(session: _Session, client_id: str, config: Config, today: dt.date) -> str:
    """What the note rules would say about the times and codes given (N004,
    and N006's end before start), so the clinician's answers never make the
    scaffold fail lint; "" when nothing."""
    from txplan.plan.notes.model import Note
    from txplan.rules.notes import GROUP, NoteContext, cpt_time_mismatch, minutes

    if session.start and session.end and minutes(session.start, session.end) <= 0:
        return (
            f"The session ends ({session.end}) no later than it starts ({session.start}); "
            "write the times it was held, in 24-hour form."
        )
    cpt: str | list[str] | None = list(session.cpt) if len(session.cpt) > 1 else None
    if len(session.cpt) == 1:
        cpt = session.cpt[0]
    note = Note.model_validate(
        {
            "txplan_note": 1,
            "client": client_id,
            "start": session.start,
            "end": session.end,
            "cpt": cpt,
            # A group session writes its count (the scaffold asks for it), any other the client.
            "participants": 8 if GROUP in session.cpt else ["client"],
        }
    )
    said = [hit[1] for hit in cpt_time_mismatch(NoteContext(note, config, today))]
    return said[0] if said else ""


def _session(options: Options, ask: Ask | None, config: Config) -> _Session:
    """The times and codes from the options, asked for on a terminal when missing."""

    def given(raw: str | None, option: str, problem: Callable[[str], str | None]) -> str | None:
        if raw is None:
            return None
        found = problem(raw)
        if found:
            raise Refused(f"{option}: {found}")
        return raw

    start = given(options.start, "--start", time_problem)
    end = given(options.end, "--end", time_problem)
    cpt = given(options.cpt, "--cpt", cpt_problem)
    if ask is not None:
        later = " (blank to write it in the note later)"
        if start is None:
            start = ask(f"Start time, HH:MM{later}", time_problem, True) or None
        if end is None:

            def end_problem(raw: str) -> str | None:
                problem = time_problem(raw)
                if problem or start is None:
                    return problem
                return (
                    _session_problems(
                        _Session(_clock(start), _clock(raw)),
                        options.client_id,
                        config,
                        options.today,
                    )
                    or None
                )

            end = ask(f"End time, HH:MM{later}", end_problem, True) or None
        if cpt is None:

            def fits(raw: str) -> str | None:
                problem = cpt_problem(raw)
                if problem:
                    return problem
                return (
                    _session_problems(
                        _Session(
                            _clock(start) if start else None,
                            _clock(end) if end else None,
                            cpt_codes(raw) or (),
                        ),
                        options.client_id,
                        config,
                        options.today,
                    )
                    or None
                )

            cpt = ask(f"CPT code, e.g. 90837{later}", fits, True) or None
    session = _Session(
        _clock(start) if start else None,
        _clock(end) if end else None,
        cpt_codes(cpt) or () if cpt else (),
    )
    problem = _session_problems(session, options.client_id, config, options.today)
    if problem:
        option = f"--cpt {','.join(session.cpt)}" if session.cpt else "--end"
        raise Refused(f"{option}: {problem}")
    return session


# --- the plan in force ---------------------------------------------------------------


def _plan_file(folder: Path, client_id: str) -> tuple[str, Path] | None:
    """The client's plan in the plans folder: `<CLIENT_ID>.plan.yaml`, else a
    plan named otherwise that holds the client's ID (as lint finds it)."""
    import os

    from txplan.workflow.notes import plans_under

    named = folder / f"{client_id}{PLAN_SUFFIX}"
    if named.is_file():
        return os.path.normpath(os.fspath(named)), named
    return plans_under(folder, {client_id}).get(client_id)


def _plan_in_force(
    client_id: str, folder: Path, on: dt.date, today: dt.date, config: Config
) -> _Found:
    from txplan.plan.loader import load_bytes
    from txplan.plan.notes.in_force import timelines
    from txplan.workflow.lint import Refusal, sound_plan

    found = _plan_file(folder, client_id)
    if found is None:
        raise Refused(
            f"no plan for client {client_id} in {folder}: write it with `txplan new "
            f"{client_id}`, or check the client ID and --dir."
        )
    name, path = found
    version = timelines([found], today)[path].in_force(on)
    if version is None or version.raw is None:
        raise Refused(f"{name}: cannot read the file.")
    shown = name if not version.label.startswith("commit") else f"{name} at {version.label}"
    try:
        plan = sound_plan(shown, load_bytes(version.raw), config, "before writing a note", today)
    except Refusal as exc:
        raise Refused(str(exc)) from None
    if plan.client.id != client_id:
        raise Refused(
            f"{shown} is the plan of client {plan.client.id}, not {client_id}; correct the "
            "client ID or the plan's file name."
        )
    from txplan.rules.notes import active_objectives

    if not active_objectives(plan):
        raise Refused(
            f"{shown}, the plan in force on {on.isoformat()}, has no active objective for a "
            "note to cite (N001): add one, or reopen one with `txplan review`, first."
        )
    return _Found(name, path, plan, version.label)


# --- what the note holds -------------------------------------------------------------


def _fold(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _number(value: float) -> str:
    return f"{value:g}"


def _last_and_due(last: tuple[dt.date, float, str] | None, session: dt.date) -> str:
    """`last 12 on 2026-01-26 (a session note); next due 2026-02-25`, or
    `...; due now` once the instrument's cadence has passed (as `txplan due`
    counts it: MEASURE_DAYS after the last score)."""
    from txplan.workflow.due import MEASURE_DAYS

    if last is None:
        return "no score recorded yet; due now"
    day, score, where = last
    due = day + dt.timedelta(days=MEASURE_DAYS)
    when = "due now" if due <= session else f"next due {due.isoformat()}"
    return f"last {_number(score)} on {day.isoformat()} ({where}); {when}"


def instruments_measured(plan: Any, config: Config) -> list[str]:
    """The instruments the plan measures (objectives' measures first, then its
    `measures`), each once, by the name txplan knows it by."""
    from txplan.clinical import instruments

    names = [
        o.measure.instrument
        for g in plan.goals
        for o in g.objectives
        if o.measure and o.measure.instrument
    ]
    names += [m.instrument for m in plan.measures if m.instrument]
    out: dict[str, str] = {}
    for name in names:
        known = instruments.find(name, config)
        shown = known.name if known else name.strip()
        out.setdefault(_fold(shown), shown)
    return [name for name in out.values() if name]


def last_scores(
    plan: Any, notes: list[Any], on: dt.date, config: Config
) -> dict[str, tuple[dt.date, float, str]]:
    """Each instrument's last score up to the session (plan measures on or
    before its date, notes before it): (date, score, where it was recorded)."""
    from txplan.clinical import instruments

    def key(name: str) -> str:
        known = instruments.find(name, config)
        return _fold(known.name if known else name)

    out: dict[str, tuple[dt.date, float, str]] = {}

    def keep(name: str | None, day: dt.date | None, score: float | None, where: str) -> None:
        if not name or day is None or score is None:
            return
        k = key(name)
        if k not in out or out[k][0] <= day:
            out[k] = (day, score, where)

    for m in plan.measures:
        if m.date is not None and m.date <= on:
            keep(m.instrument, m.date, m.score, "the plan's measures")
    for entry in notes:
        if entry.note.date is not None and entry.note.date < on:
            for s in entry.note.scores:
                keep(s.instrument, entry.note.date, s.score, "a session note")
    return out


def risk_required(plan: Any, client_id: str, config: Config, today: dt.date) -> str:
    """Why the note must record a risk assessment ("the plan holds a safety
    plan"), asked of the rule that requires it (N008); "" when optional."""
    from txplan.plan.notes.model import Note
    from txplan.rules.notes import NoteContext, risk_not_assessed

    note = Note.model_validate({"txplan_note": 1, "client": client_id})
    if not any(risk_not_assessed(NoteContext(note, config, today, plan=plan))):
        return ""
    held = plan.safety_plan
    if held is not None and any(
        (held.warning_signs, held.coping, held.supports, held.crisis_contacts)
    ):
        return "the plan holds a safety plan"
    return f"the plan rates risk {plan.assessment.risk.level}"


def plan_section(text: str) -> str:
    """The `## Plan` section of a note's Markdown text (the last `# Plan` or
    `## Plan`, so a plan carried into the note is not carried again), without
    its heading or HTML comments; "" when there is none or it is empty."""
    from txplan.plan.notes.reader import front_matter

    fenced = front_matter(text)
    lines = [line.rstrip("\r") for line in text.split("\n")[fenced[1] if fenced else 0 :]]
    taken: list[str] = []
    for number, line in enumerate(lines):
        plan = _PLAN_HEADING.match(line)
        if not plan:
            continue
        level, taken = len(plan.group(1)), []
        for after in lines[number + 1 :]:
            heading = _HEADING.match(after)
            if heading and len(heading.group(1)) <= level:
                break
            taken.append(after)
    body = _COMMENT.sub("", "\n".join(taken)).strip("\n")
    return body if body.strip() else ""


def _carried(notes: list[Any], on: dt.date) -> tuple[str, str] | None:
    """(date, text) of the previous note's plan, from the newest note before `on`."""
    from txplan.plan.files import read_limited

    earlier = [e for e in notes if e.note.date is not None and e.note.date < on]
    if not earlier:
        return None
    latest = earlier[-1]
    try:
        text = read_limited(latest.path).decode("utf-8", "replace")
    except OSError:
        return None
    section = plan_section(text)
    return (latest.note.date.isoformat(), section) if section else None


def _plain(value: Any) -> str:
    """`value` as a YAML scalar: plain when it reads back as the same text in
    a flow list too (I1, O1.1, C-1042), quoted otherwise."""
    from txplan.plan.loader import load_text

    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", text):
        read = load_text(f"k: [{text}]\n").data
        if read == {"k": [text]}:
            return text
    return json.dumps(text, ensure_ascii=False)


def _quoted(value: Any) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def _comment(text: str, most: int = _STATEMENT_SHOWN) -> str:
    """Plan text on one comment line: no line breaks, no control characters."""
    one = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    # Plan text never becomes a suppression of the note's findings (`# txplan: ignore[...]`).
    one = _DIRECTIVE.sub("", one)
    return one if len(one) <= most else one[: most - 1].rstrip() + "…"


def _pad(line: str, width: int = 34) -> str:
    """A line of YAML padded so that the comment after it starts at `width`."""
    return line.ljust(width - 1) + " "


def _inner(text: str) -> str:
    """Plan text inside a placeholder: one line, no angle brackets, short."""
    return _comment(re.sub(r"[<>]", "", text), 40)


def _participants(plan: Any, session: _Session) -> str:
    from txplan.rules.notes import GROUP

    fmt = "group" if GROUP in session.cpt else plan.frequency.format if plan.frequency else None
    if fmt == "individual":
        return "[client]"
    if fmt == "couples":
        return '[client, "<partner>"]'
    if fmt == "family":
        return '[client, "<family member by role e.g. mother>"]'
    if fmt == "group":
        return _quoted("<# group members present>")
    return _quoted(UNKNOWN["participants"])


def _cpt(session: _Session, plan: Any) -> str:
    if len(session.cpt) == 1:
        return _quoted(session.cpt[0])
    if session.cpt:
        return "[" + ", ".join(_quoted(c) for c in session.cpt) + "]"
    fmt = plan.frequency.format if plan.frequency else None
    return _quoted(f"<CPT code e.g. {_USUAL_CPT.get(fmt or '', '90837')}>")


def render(
    options: Options,
    session: _Session,
    found: _Found,
    config: Config,
    carried: tuple[str, str] | None,
) -> str:
    """The note's text (front matter and Markdown), ready to write."""

    from txplan import __version__
    from txplan.rules.notes import active_objectives

    plan = found.plan
    # YAML and Markdown, not HTML: values go through `q` instead of escaping.
    env = resources.environment("scaffolds", autoescape=False)
    env.filters["q"] = _quoted
    env.filters["plain"] = _plain
    env.filters["comment"] = _comment
    env.filters["pad"] = _pad
    statements = {o.id: o.statement or "" for g in plan.goals for o in g.objectives if o.id}
    objectives = [
        {
            "id": oid,
            "statement": statements.get(oid, ""),
            "interventions": [i.id for i in plan.interventions if i.id and oid in i.objectives],
            "progress": f"<progress toward {_inner(oid)} or what stood in the way>",
        }
        for oid in active_objectives(plan)
    ]
    scores = last_scores(plan, found.notes, options.date, config)
    measured = []
    for name in instruments_measured(plan, config):
        from txplan.clinical import instruments

        known = instruments.find(name, config)
        last = scores.get(_fold(known.name if known else name))
        measured.append(
            {
                "instrument": name,
                "placeholder": f"<# {_inner(name)} score today>",
                "last": _last_and_due(last, options.date),
            }
        )
    place = plan.session.place if plan.session and plan.session.place else None
    clinician = plan.clinician
    hours, _ = config.note_limit(plan.client.payer)
    source = found.name if not found.version else f"{found.name}, {found.version}"
    return env.get_template(TEMPLATE).render(
        version=__version__,
        plan_file=_comment(source),
        client_id=_plain(options.client_id),
        date=options.date.isoformat(),
        start=_quoted(session.start or UNKNOWN["start"]),
        end=_quoted(session.end or UNKNOWN["end"]),
        cpt=_cpt(session, plan),
        place=place or UNKNOWN["place"],
        place_from_plan=place is not None,
        telehealth=place == "telehealth",
        method=UNKNOWN["method"],
        participants=_participants(plan, session),
        objectives=objectives,
        scores=measured,
        risk_why=risk_required(plan, options.client_id, config, options.today),
        clinician=(clinician.name if clinician and clinician.name else UNKNOWN["clinician"]),
        credentials=(
            clinician.credentials if clinician and clinician.credentials else UNKNOWN["credentials"]
        ),
        signed=UNKNOWN["signed"],
        hours=hours,
        carried=carried,
    )


# --- writing it ----------------------------------------------------------------------


def _exists(target: Path) -> Exists:
    return Exists(
        f"{target} exists; txplan never overwrites a note. Edit it instead, or give another --date."
    )


def _warnings(found: _Found, options: Options, config: Config) -> list[str]:
    """What the note rules will say of the session's date and the plan (N003):
    the note is still written, since the session was held."""
    from txplan.plan.notes.model import Note
    from txplan.rules.notes import NoteContext, no_plan_in_force

    note = Note.model_validate(
        {"txplan_note": 1, "client": options.client_id, "date": options.date}
    )
    ctx = NoteContext(
        note,
        config,
        options.today,
        plan=found.plan,
        plan_file=found.name,
        plan_version=found.version,
    )
    return [hit[1] for hit in no_plan_in_force(ctx)]


def create_note(options: Options, ask: Ask | None = None) -> str:
    """Write the scaffold; return what to tell the clinician."""
    from txplan.plan import files, identity
    from txplan.plan.loader import load_text
    from txplan.plan.notes.reader import front_matter
    from txplan.workflow.notes import client_notes

    refusal = identity.id_refusal(options.client_id)
    if refusal:
        raise Refused(refusal)
    if options.date > options.today:
        raise Refused(
            f"--date {options.date.isoformat()} is in the future; a note records a session "
            "held, so give the date it was held."
        )
    folder = Path(options.folder)
    if not folder.is_dir():
        raise Refused(f"{folder}: no such folder.")
    target = folder / NOTES_FOLDER / options.client_id / f"{options.date.isoformat()}{NOTE_SUFFIX}"
    if target.exists():
        raise _exists(target)
    try:
        config = ConfigFinder(Path(options.config) if options.config else None).for_file(target)
    except ConfigError as exc:
        raise Refused(str(exc)) from None
    found = _plan_in_force(options.client_id, folder, options.date, options.today, config)
    found.notes = client_notes(found.path, config, options.client_id)
    session = _session(options, ask, config)
    carried = _carried(found.notes, options.date)
    text = render(options, session, found, config, carried)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise Refused(f"{target.parent}: cannot make the folder ({exc.strerror or exc}).") from None
    try:
        files.create(target, text)
    except files.FileExists:
        raise _exists(target) from None
    except OSError as exc:
        raise Refused(f"{target}: cannot write the note ({exc.strerror or exc}).") from None
    fenced = front_matter(text)
    left = placeholders.count(load_text(fenced[0]).data) if fenced else 0
    where = found.name if not found.version else f"{found.name}, {found.version}"
    lines = [
        f"Wrote {target} from the plan in force on {options.date.isoformat()} ({where}).",
        f"It holds {left} placeholder{'' if left == 1 else 's'} (<...>) for what only you can "
        f"write; `txplan lint {target}` lists each with its line.",
    ]
    if carried:
        lines.append(f"The plan of the note of {carried[0]} is carried forward in its text.")
    lines += [f"Lint will report (N003): {said}" for said in _warnings(found, options, config)]
    return "\n".join(lines)
