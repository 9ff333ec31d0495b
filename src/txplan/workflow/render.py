"""`txplan render`'s work: find the plans, refuse the ones that are not
sound, render the others (txplan.outputs.render) and write each copy where
`-o` allows (txplan.outputs.targets)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from txplan.config import Config, ConfigError
from txplan.outputs import targets
from txplan.outputs.render import FORMATS, render

if TYPE_CHECKING:
    from txplan.clinical.progress import SinceReview
    from txplan.plan.model import Plan
    from txplan.workflow.status import FolderNotes


class RenderError(Exception):
    """The plan cannot be rendered as asked (exit 2)."""


@dataclass
class Rendered:
    """What a render wrote (name, or text for stdout), the plans it refused,
    and the stale copies of refused plans it removed (one line each)."""

    written: list[tuple[str, str | None]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class _Job:
    fmt: str
    redact: bool
    today: dt.date
    in_folder: bool
    where: targets.Target
    # The session notes, each plans folder's read once a render: their
    # scores join the charts, and --since-review summarises them.
    notes: FolderNotes | None = None
    since_review: bool = False
    done: Rendered = field(default_factory=Rendered)
    made: set[str] = field(default_factory=set)  # copies written by this render: never stale

    def refuse(self, line: str, path: Path, head: bytes) -> None:
        from txplan.plan.sniff import client_id

        self.done.refused.append(line)
        seen_id = client_id(head)
        if not self.in_folder or (self.redact and not seen_id):
            return
        stale = targets.copy_name(path, seen_id, self.redact, self.fmt)
        removed = None if stale in self.made else self.where.remove_stale(stale)
        if removed is not None:
            self.done.removed.append(
                f"removed {removed}: it showed an earlier version of {path.name}, "
                "which could not be rendered now."
            )


def render_paths(
    target: str,
    fmt: str,
    output: str | None,
    redact: bool,
    today: dt.date,
    config_file: str | None,
    since_review: bool = False,
) -> Rendered:
    """Render a plan (to `output`, or returned for stdout) or every plan in a
    folder (into `output`, default `out/` in the folder; txplan.outputs.targets
    checks both). A plan that cannot be read, or has a structural error, is
    refused (one line each) and nothing is written for it; the others are
    rendered. With `since_review`, each copy gains a section on the client's
    session notes dated after the last review up to `today`. In a folder,
    the copy an earlier render made of a refused plan is removed: a
    clinician opening out/ expects each copy to show its plan as it stands,
    and an old one would pass for it. Raises RenderError when nothing can be
    done as asked."""
    from txplan.plan.discover import UsageError, discover
    from txplan.settings.reading import ConfigFinder

    if fmt not in FORMATS:
        raise RenderError(f"--format must be one of {', '.join(FORMATS)}.")
    source = Path(target)
    refused: list[str] = []
    try:
        finder = ConfigFinder(Path(config_file) if config_file else None)
        found = list(discover([target], skipped=refused))
    except (UsageError, ConfigError) as exc:
        raise RenderError(str(exc)) from None
    inputs: list[Path | str] = [path for _, path in found]
    if config_file:
        inputs.append(config_file)
    in_folder = source.is_dir()
    try:
        where = (
            targets.folder_target(output, source, inputs)
            if in_folder
            else targets.target(output, inputs)
        )
    except targets.OutputError as exc:
        raise RenderError(str(exc)) from None
    job = _Job(fmt, redact, today, in_folder, where)
    job.since_review = since_review
    # Notes feed the HTML charts and the --since-review section; a plain
    # Markdown copy has neither, so its render reads no note.
    if since_review or fmt == "html":
        from txplan.workflow.status import FolderNotes

        job.notes = FolderNotes()
    job.done.refused.extend(refused)
    from txplan.outputs.progress_bar import tracked

    # About 12 ms a plan: a bar from 100 plans, more than a second of waiting.
    for name, path in tracked(found, "rendering plans", at_least=100):
        try:
            config = finder.for_file(path)
        except ConfigError as exc:
            raise RenderError(str(exc)) from None
        _render_one(job, name, path, config)
    return job.done


def _render_one(job: _Job, name: str, path: Path, config: Config) -> None:
    from txplan.plan.files import cannot_read, read_limited
    from txplan.plan.loader import load_bytes
    from txplan.workflow.lint import Refusal, sound_plan

    try:
        data = read_limited(path)
    except OSError as exc:
        job.refuse(cannot_read(name, exc), path, b"")
        return
    try:
        plan = sound_plan(name, load_bytes(data), config, "before rendering it")
    except Refusal as exc:
        job.refuse(str(exc), path, data[:4096])
        return
    mine = (
        [] if job.notes is None else job.notes.of(job.notes.folder_of(path, config), plan.client.id)
    )
    mine = [note for note in mine if note.date is not None and note.date <= job.today]
    since = _since_review(mine, plan, config, job.today) if job.since_review else None
    text = render(plan, config, job.today, job.fmt, job.redact, since, mine)
    if job.where.kind == "stdout":
        job.done.written.append((name, text))
        return
    # A rendered plan is PHI like its source: owner-only, replaced atomically.
    try:
        copy = targets.copy_name(path, plan.client.id, job.redact, job.fmt)
        written = job.where.write(text, copy)
    except targets.OutputError as exc:
        if not job.in_folder:
            raise RenderError(str(exc)) from None
        job.done.refused.append(f"{name}: {exc}")
        return
    job.made.add(copy)
    job.done.written.append((str(written), None))


def _since_review(mine: list[Any], plan: Plan, config: Config, today: dt.date) -> SinceReview:
    """What the client's session notes show since the last review (else
    since the plan was written), up to `today`."""
    from txplan.clinical import progress

    since = progress.last_review(plan) or dt.date.min
    return progress.since_review(plan, mine, config, since, today)
