"""`txplan status`: each objective's progress, and a caseload summary line."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from txplan.clinical import progress
from txplan.plan.discover import each_plan
from txplan.plan.files import cannot_read, read_limited
from txplan.settings.reading import ConfigFinder

if TYPE_CHECKING:
    from txplan.workflow.notes import NoteEntry, NoteFiles

OPEN = {None, "not-started", "in-progress"}


@dataclass(frozen=True)
class Line:
    objective_id: str
    state: str  # met | on track | behind | stale | no score yet | open | closed
    text: str
    chart: str = ""


@dataclass(frozen=True)
class PlanStatus:
    file: str
    client_id: str
    review_by: dt.date | None
    lines: tuple[Line, ...]


def collect(
    paths: Iterable[str],
    today: dt.date,
    config_override: str | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
) -> tuple[list[PlanStatus], list[str]]:
    """Each plan's objectives and their progress as of `today`. A plan's
    status is remembered in the cache beside lint's, under a hash of its
    text, name, settings and the date, so a second look the same day does
    not build every plan again. Session notes' scores count beside the
    plan's measures; the key holds the name, size and modification time of
    every note in the plan's plans folder, so a note added, edited or
    removed there is never answered from an old status."""
    from txplan.workflow import cache

    finder = ConfigFinder(Path(config_override) if config_override else None)
    caches = cache.Caches(cache.EntryCache, "status.json", cache_dir)
    notes = FolderNotes()
    out: list[PlanStatus] = []
    problems: list[str] = []
    stats: dict[str, os.stat_result] = {}
    for name, path in each_plan(paths, problems, _with_bar, stats if use_cache else None):
        config = finder.for_file(path)
        folder = notes.folder_of(path, config)
        made = functools.partial(
            _status, name, config=config, today=today, notes_of=functools.partial(notes.of, folder)
        )
        found: PlanStatus | str
        try:
            if use_cache:
                also = ("status", notes.stamp(folder))
                found = cache.remembered_or_made(
                    caches.for_plan(config, path),
                    path,
                    stats.get(os.fspath(path)),
                    functools.partial(
                        cache.key, name, config=config, today=today, selection=also, committed=None
                    ),
                    _decode,
                    made,
                    _encode,
                )
            else:
                found = made(read_limited(path))
        except OSError as exc:
            problems.append(cannot_read(name, exc))
            continue
        if isinstance(found, str):
            problems.append(found)
        else:
            out.append(found)
    caches.save()
    return out, problems


class FolderNotes:
    """The session notes of each plans folder, listed at most once a run (for
    the cache key and the reading both) and read only when a plan's notes
    are asked for."""

    def __init__(self) -> None:
        self._folders: dict[tuple[str, int], Path] = {}
        self._stamps: dict[Path, str] = {}
        self._listed: dict[Path, list[tuple[str, Path]]] = {}
        self._read: dict[Path, NoteFiles] = {}

    def folder_of(self, path: Path, config: Any) -> Path:
        from txplan.workflow.notes import plans_folder_of

        known = (os.path.dirname(os.fspath(path)), id(config))
        if known not in self._folders:
            self._folders[known] = plans_folder_of(path, config)
        return self._folders[known]

    def _listing(self, folder: Path) -> list[tuple[str, Path]]:
        if folder not in self._listed:
            from txplan.workflow.notes import note_paths

            self._listed[folder] = note_paths(folder)
        return self._listed[folder]

    def stamp(self, folder: Path) -> str:
        """A hash of each note's name, size and modification time; "" for none."""
        if folder not in self._stamps:
            import hashlib

            digest, found = hashlib.sha256(), False
            for name, path in sorted(self._listing(folder)):
                try:
                    info = path.stat()
                except OSError:
                    continue
                found = True
                digest.update(
                    f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode(
                        "utf-8", "surrogateescape"
                    )
                )
            self._stamps[folder] = digest.hexdigest() if found else ""
        return self._stamps[folder]

    def entries(self, folder: Path, client: str) -> list[NoteEntry]:
        """The client's readable notes (NoteEntry) in the folder, oldest first."""
        if folder not in self._read:
            from txplan.workflow.notes import NoteFiles

            self._read[folder] = NoteFiles(folder, self._listing(folder))
        return self._read[folder].of(client)

    def of(self, folder: Path, client: str) -> list[Any]:
        """The client's readable notes (Note models) in the folder, oldest first."""
        return [entry.note for entry in self.entries(folder, client)]


def _status(
    name: str, raw: bytes, config: Any, today: dt.date, notes_of: Any = lambda _: []
) -> PlanStatus | str:
    """The plan's status, or why it has none (one line); `notes_of` gives a
    client's session notes."""
    from txplan.plan.loader import load_bytes
    from txplan.plan.validate import plan_of

    plan = plan_of(load_bytes(raw))
    if plan is None:
        return f"{name}: not a readable plan; run `txplan lint {name}`."
    notes = notes_of(plan.client.id)
    measured = {id(p.objective): p for p in progress.plan_progress(plan, config, today, notes)}
    lines = []
    for goal in plan.goals:
        for objective in goal.objectives:
            p = measured.get(id(objective))
            lines.append(_line(objective, p, today))
    return PlanStatus(name, plan.client.id, plan.review_by, tuple(lines))


def _encode(found: PlanStatus | str) -> Any:
    if isinstance(found, str):
        return {"problem": found}
    return {
        "file": found.file,
        "client_id": found.client_id,
        "review_by": found.review_by.isoformat() if found.review_by else None,
        "lines": [[x.objective_id, x.state, x.text, x.chart] for x in found.lines],
    }


def _decode(stored: Any) -> PlanStatus | str | None:
    """What a cache entry holds, or None if it does not hold together."""
    try:
        if set(stored) == {"problem"} and type(stored["problem"]) is str:
            return str(stored["problem"])
        file, client_id, review_by = stored["file"], stored["client_id"], stored["review_by"]
        lines = []
        for line in stored["lines"]:
            if type(line) is not list or len(line) != 4 or any(type(x) is not str for x in line):
                return None
            lines.append(Line(*line))
        if type(file) is not str or type(client_id) is not str:
            return None
        when = None if review_by is None else dt.date.fromisoformat(review_by)
        return PlanStatus(file, client_id, when, tuple(lines))
    except (KeyError, TypeError, ValueError):
        return None


def _line(objective: Any, p: progress.Progress | None, today: dt.date) -> Line:
    oid = objective.id or "?"
    if p is not None:
        return Line(oid, p.state, progress.describe(p), p.sparkline())
    due = objective.target_date
    if objective.status in OPEN and due and due < today:
        state = "stale"
    elif objective.status in OPEN:
        state = "open"
    else:
        state = "met" if objective.status == "met" else "closed"
    shown = objective.status or "no status"
    when = f", due {due.isoformat()}" if due else ""
    return Line(oid, state, f"{oid} {shown}{when} (no instrument target): {state}")


def summary(plans: list[PlanStatus], today: dt.date) -> str:
    counts = Counter(line.state for plan in plans for line in plan.lines)
    total = sum(counts.values())
    order = ["on track", "behind", "met", "stale", "no score yet", "open", "closed"]
    parts = [f"{counts[s]} {s}" for s in order if counts[s]]
    overdue = sum(1 for p in plans if p.review_by and p.review_by < today)
    noun = "review" if overdue == 1 else "reviews"
    return (
        f"{len(plans)} plan{'s' if len(plans) != 1 else ''}, {total} objectives: "
        f"{', '.join(parts) or 'none'}; {overdue} {noun} overdue."
    )


_STYLE = {"behind": "red", "stale": "yellow", "met": "green", "on track": "cyan"}


def as_text(plans: list[PlanStatus], today: dt.date, color: bool, out: Any) -> None:
    lines = []
    for plan in plans:
        review = f"review by {plan.review_by.isoformat()}" if plan.review_by else "no review date"
        lines.append((f"{plan.client_id}  {plan.file}  ({review})", "bold"))
        for line in plan.lines:
            chart = f"  {line.chart}" if line.chart else ""
            lines.append((f"  {line.text}{chart}", _STYLE.get(line.state, "")))
    lines.append((summary(plans, today), "bold"))
    from txplan.outputs.terminal import clean

    lines = [(clean(text), style) for text, style in lines]
    if color:
        from rich.console import Console
        from rich.text import Text

        console = Console(file=out, force_terminal=True, highlight=False, soft_wrap=True)
        for text, style in lines:
            console.print(Text(text, style=style))
    else:
        out.write("\n".join(text for text, _ in lines) + "\n")


def as_json(plans: list[PlanStatus], today: dt.date) -> str:
    from txplan.outputs import jsontext

    return jsontext.dumps(
        {
            "version": 1,
            "today": today.isoformat(),
            "plans": [
                {
                    "file": p.file,
                    "client_id": p.client_id,
                    "review_by": p.review_by.isoformat() if p.review_by else None,
                    "objectives": [
                        {"id": line.objective_id, "state": line.state, "text": line.text}
                        for line in p.lines
                    ],
                }
                for p in plans
            ],
            "summary": summary(plans, today),
        },
    )


def _with_bar(found: list[tuple[str, Path]]) -> Iterable[tuple[str, Path]]:
    # About 2 ms a plan: a bar from 500 plans, a second or more of waiting.
    from txplan.outputs.progress_bar import tracked

    return tracked(found, "reading plans", at_least=500)
