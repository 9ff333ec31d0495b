"""Lint session notes: read each, find its client's plan and the version of
it in force on the session's date, run the note rules, and the rule across
a client's notes (N007).

A note's plan is the plan of the same client ID among the plans being
linted; failing that, the plans folder the note belongs to is searched: the
folder of the txplan.toml that governs the note, else the git repository
holding it, else the folder above `notes/`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from txplan.config import Config
from txplan.findings import Finding, Span, YamlPath
from txplan.plan.files import PLAN_SUFFIX, cannot_read, read_limited
from txplan.workflow.results import (
    FileResult,
    Selection,
    consequence,
    suppression_findings,
    wanted,
    with_severity,
)

NOTES_FOLDER = "notes"


@dataclass
class _Read:
    """One note as read, and what it was checked against."""

    name: str
    path: Path
    config: Config
    read: Any = None  # txplan.plan.notes.reader.ReadNote
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)
    plan_file: str = ""
    cited: set[str] = field(default_factory=set)
    active: set[str] = field(default_factory=set)
    # False for a note read only as history for N007: nothing is reported on it.
    reported: bool = True
    raw: bytes | None = None
    client: str | None = None


def lint_notes(
    notes: list[tuple[str, Path, Config]],
    plans: Iterable[tuple[str, Path, str | None]],
    today: dt.date,
    selection: Selection,
    unchecked: list[str],
    given: dict[str, bytes] | None = None,
    workers: int = 1,
) -> list[FileResult]:
    """Each note's result, in the order given. `plans` are the plans being
    linted (name, path, client ID when it read); why history could not be
    read goes to `unchecked`; `given` holds text already read, by name
    (standard input). A client's notes are checked together (N007 reads
    them all), each client's in one of `workers` processes."""
    from txplan.plan.notes.in_force import timelines

    reads = [_Read(name, path, config) for name, path, config in notes]
    reads += _neighbours(reads)
    for item in reads:
        _take_in(item, given)
    plan_of = _plans_for({item.client for item in reads if item.client}, reads, plans)
    failures: list[str] = []
    lines = timelines(plan_of.values(), today, failures)
    unchecked += [
        f"N002 and N003 judged notes by each plan's working copy: {why}." for why in failures
    ]
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(reads):
        groups.setdefault(item.client or f"\0{i}", []).append(i)
    shared = (reads, plan_of, lines, today, selection)
    if workers > 1 and len(reads) >= PARALLEL_NOTES:
        done = _in_parallel(list(groups.values()), shared, workers)
    else:
        done = _lint_groups(list(groups.values()), *shared)
    results = dict(done)
    return [results[i] for i, item in enumerate(reads) if item.reported]


# Below this many notes a worker pool costs more than it saves.
PARALLEL_NOTES = 200

_CLIENT = re.compile(
    rb"^client:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)[\"']?[ \t]*(?:#.*)?\r?$", re.M
)


def _take_in(item: _Read, given: dict[str, bytes] | None) -> None:
    """Read the note's bytes and tell its client: from the `client:` line
    when it is plainly written (cheap, before the note is parsed in a worker),
    else by reading the note here."""
    from txplan.plan.notes.reader import read_note

    try:
        item.raw = given[item.name] if given and item.name in given else read_limited(item.path)
    except OSError as exc:
        item.error = cannot_read(item.name, exc)
        return
    found = _CLIENT.search(item.raw, 0, 4096)
    if found:
        item.client = found.group(1).decode("ascii")
        return
    item.read = read_note(item.raw)
    item.client = item.read.note.client if item.read.note is not None else None


def _lint_groups(
    groups: list[list[int]],
    reads: list[_Read],
    plan_of: dict[str, tuple[str, Path]],
    lines: dict[Path, Any],
    today: dt.date,
    selection: Selection,
) -> list[tuple[int, FileResult]]:
    """Each note's result in the groups of `reads` (one group a client)."""
    from txplan.plan.notes.reader import read_note

    models: dict[int, Any] = {}
    out: list[tuple[int, FileResult]] = []
    for group in groups:
        items = [reads[i] for i in group]
        for item in items:
            if item.error is not None or item.raw is None:
                continue
            if item.read is None:
                item.read = read_note(item.raw)
            note = item.read.note
            if note is None:
                continue
            found = plan_of.get(note.client)
            version = lines[found[1]].in_force(note.date or today) if found else None
            _check(item, note, found, version, models, today, selection)
        _neglected(items, selection)
        out += [(i, _result(reads[i], selection)) for i in group if reads[i].reported]
    return out


# What forked workers read: set in the parent just before the pool starts.
_SHARED: tuple[Any, ...] = ()


def _lint_chunk(chunk: list[list[int]]) -> list[tuple[int, FileResult]]:
    return _lint_groups(chunk, *_SHARED)


def _in_parallel(
    groups: list[list[int]], shared: tuple[Any, ...], workers: int
) -> list[tuple[int, FileResult]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _SHARED
    if "fork" not in multiprocessing.get_all_start_methods():
        return _lint_groups(groups, *shared)
    from txplan.rules import registry

    registry()  # imported once here, not in each forked worker
    size = max(1, len(groups) // (workers * 4))
    chunks = [groups[i : i + size] for i in range(0, len(groups), size)]
    _SHARED = shared
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            out: list[tuple[int, FileResult]] = []
            for part in pool.map(_lint_chunk, chunks):
                out += part
            return out
    finally:
        _SHARED = ()


def _neighbours(reads: list[_Read]) -> list[_Read]:
    """The other notes in the folders of the notes linted, when the run did
    not take them in (pre-commit passes the staged note alone): N007 needs
    the client's recent notes to tell a neglected objective."""
    from txplan.plan.files import NOTE_SUFFIX

    config_of: dict[str, Config] = {}
    taken: set[str] = set()
    for item in reads:
        full = os.path.abspath(item.path)
        taken.add(full)
        config_of.setdefault(os.path.dirname(full), item.config)
    out: list[_Read] = []
    for folder, config in sorted(config_of.items(), key=lambda pair: pair[0]):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            full = os.path.join(folder, name)
            unread = name.endswith(NOTE_SUFFIX) and not name.startswith(".") and full not in taken
            if unread and os.path.isfile(full):
                out.append(_Read(full, Path(full), config, reported=False))
    return out


def _plans_for(
    clients: set[str], reads: list[_Read], plans: Iterable[tuple[str, Path, str | None]]
) -> dict[str, tuple[str, Path]]:
    """The plan (name, path) of each client, among the plans linted, else in
    the plans folder of one of the client's notes."""
    out: dict[str, tuple[str, Path]] = {}
    for name, path, client in plans:
        if client in clients and client not in out:
            out[client] = (name, path)
    searched: dict[Path, dict[str, tuple[str, Path]]] = {}
    for item in reads:
        if item.client is None or item.client in out:
            continue
        root = _plans_folder(item.path, item.config)
        if root not in searched:
            searched[root] = plans_under(root, clients)
        if item.client in searched[root]:
            out[item.client] = searched[root][item.client]
    return out


def _plans_folder(note: Path, config: Config) -> Path:
    from txplan.plan.history import repo_root

    if config.path is not None:
        return config.path.parent
    folder = note.resolve().parent
    root = repo_root(folder)
    if root is not None:
        return root
    for candidate in (folder, *folder.parents):
        if candidate.name == NOTES_FOLDER:
            return candidate.parent
    return folder


def plans_under(root: Path, wanted: set[str] | None = None) -> dict[str, tuple[str, Path]]:
    """Each client's plan under `root`, by client ID. A plan is named for its
    client (F007), so a plan named for a client in `wanted` is taken on its
    name (the check of the note reads it and confirms); only when a client
    is still missing are the plans named otherwise read for their IDs."""
    from txplan.plan.discover import discover
    from txplan.plan.loader import load_bytes

    out: dict[str, tuple[str, Path]] = {}
    others: list[tuple[str, Path]] = []
    for name, path in discover([os.fspath(root)], skipped=[], respect_gitignore=True):
        stem = path.name[: -len(PLAN_SUFFIX)]
        if wanted is not None and stem in wanted and stem not in out:
            out[stem] = (os.path.relpath(name), path)
        elif name.endswith(PLAN_SUFFIX):
            others.append((os.path.relpath(name), path))
    if wanted is not None and wanted <= set(out):
        return out
    for name, path in others:
        try:
            data = load_bytes(read_limited(path)).data
        except OSError:
            continue
        client = data.get("client") if isinstance(data, dict) else None
        key = client.get("id") if isinstance(client, dict) else None
        if isinstance(key, str | int) and str(key) not in out:
            out[str(key)] = (name, path)
    return out


def _plan_model(version: Any, models: dict[int, Any]) -> Any:
    if id(version) not in models:
        from txplan.plan.validate import validate

        loaded = version.loaded()
        models[id(version)] = (
            None if loaded.data is None else validate(loaded.data, loaded.positions).plan
        )
        version.release()
    return models[id(version)]


def _check(
    item: _Read,
    note: Any,
    found: tuple[str, Path] | None,
    version: Any,
    models: dict[int, Any],
    today: dt.date,
    selection: Selection,
) -> None:
    from txplan.rules import finding, note_rules
    from txplan.rules.notes import NoteContext, active_objectives

    ctx = NoteContext(note, item.config, today, set_aside=item.read.set_aside)
    if found is None:
        ctx.no_plan = (
            f"No plan for client {note.client} was found. Write it with "
            f"`txplan new {note.client}`, or correct the client ID."
        )
    elif version is not None:
        # Named by the file alone: the same finding whichever way the folder was named.
        ctx.plan_file, ctx.plan_version = os.path.basename(found[0]), version.label
        plan = _plan_model(version, models)
        if plan is None or plan.client.id != note.client:
            ctx.no_plan = (
                f"The plan for client {note.client} in force on this date, {ctx.where()}, "
                f"does not read as that client's plan; `txplan lint {found[0]}` says why."
            )
        else:
            ctx.plan = plan
            item.plan_file = ctx.plan_file
            item.active = set(active_objectives(plan))
    item.cited = {c.id for c in note.objectives if c.id}
    select, ignore = selection.merged(item.config)
    positions = item.read.positions
    for entry in note_rules():
        if not wanted(entry.code, select, ignore):
            continue
        check: Any = entry.check  # a note rule's check reads a NoteContext
        for where, message, span, severity in check(ctx):
            if consequence(where, item.read.set_aside):
                continue
            made = finding(entry.code, message, span or positions.span(where), where)
            if severity is not None:
                made.severity = severity
            item.findings.append(made)


def _neglected(reads: list[_Read], selection: Selection) -> None:
    """N007 on each client's latest note (by date) among those read."""
    from txplan.rules import finding
    from txplan.rules.notes import neglect_message, neglected

    by_client: dict[str, list[_Read]] = {}
    for item in reads:
        note = item.read.note if item.read else None
        if note is not None and note.date is not None and item.plan_file:
            by_client.setdefault(note.client, []).append(item)
    for items in by_client.values():
        items.sort(key=lambda i: (i.read.note.date, i.read.note.start or "", i.name))
        latest = items[-1]
        if not latest.reported or not wanted("N007", *selection.merged(latest.config)):
            continue
        history = [(i.read.note.date, i.cited, i.active) for i in items]
        span = latest.read.positions.span(("objectives",))
        for objective, why in neglected(history, latest.config):
            message = neglect_message(objective, why, latest.plan_file)
            latest.findings.append(finding("N007", message, span, ("objectives",)))


def _result(item: _Read, selection: Selection) -> FileResult:
    from txplan.plan import suppress

    if item.error is not None:
        return FileResult(item.name, [], error=item.error)
    select, ignore = selection.merged(item.config)
    read = item.read
    found = [f for f in [*read.findings, *item.findings] if wanted(f.code, select, ignore)]
    suppressions, malformed = suppress.parse(_front_lines(read.loaded.lines))
    found = suppress.apply(found, suppressions)
    if wanted("F006", select, ignore):
        found.extend(suppression_findings(suppressions, malformed))
    return FileResult(item.name, [with_severity(f, item.config, item.name) for f in found])


def _front_lines(lines: list[str]) -> list[str]:
    """The front matter's lines: a `#` in the Markdown text is a heading."""
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return lines[:number]
    return lines


@dataclass(frozen=True)
class NoteEntry:
    """A session note that reads, as the other commands use it."""

    name: str
    path: Path
    note: Any  # txplan.plan.notes.model.Note


def plans_folder_of(path: Path, config: Config) -> Path:
    """The plans folder a plan or note belongs to (see the module's docstring)."""
    return _plans_folder(path, config)


def note_paths(root: Path) -> list[tuple[str, Path]]:
    """Every session note file under `root` that git does not ignore, as
    (name to report, path)."""
    from txplan.plan.discover import discover
    from txplan.plan.files import NOTE_SUFFIX

    return list(
        discover([os.fspath(root)], skipped=[], respect_gitignore=True, suffixes=(NOTE_SUFFIX,))
    )


class NoteFiles:
    """The session notes under a folder: every file read once, and a note
    parsed only when its client is asked for (told by its `client:` line
    when that is plainly written), so one client's notes in a folder of
    thousands cost a read of each file, not a parse."""

    def __init__(self, root: Path, found: list[tuple[str, Path]] | None = None) -> None:
        """`found`: the folder's `note_paths`, when already listed."""
        self._files: dict[str | None, list[tuple[str, Path, bytes]]] = {}
        self._parsed: dict[str, list[NoteEntry]] = {}
        self._unnamed: dict[str, list[NoteEntry]] | None = None
        for name, path in note_paths(root) if found is None else found:
            try:
                raw = read_limited(path)
            except OSError:
                continue
            told = _CLIENT.search(raw, 0, 4096)
            client = told.group(1).decode("ascii") if told else None
            self._files.setdefault(client, []).append((name, path, raw))

    def clients(self) -> set[str]:
        """Every client with a readable note here."""
        named = {c for c in self._files if c is not None and self.of(c)}
        return named | set(self._unnamed_notes())

    def of(self, client: str) -> list[NoteEntry]:
        """The client's readable notes, oldest first (by date, then start
        time, then name). Notes that do not read (lint reports them) are left out."""
        if client not in self._parsed:
            entries = [
                entry
                for entry in (_entry(*item) for item in self._files.get(client, []))
                if entry is not None and entry.note.client == client
            ]
            entries += self._unnamed_notes().get(client, [])
            entries.sort(key=lambda e: (e.note.date or dt.date.min, e.note.start or "", e.name))
            self._parsed[client] = entries
        return self._parsed[client]

    def _unnamed_notes(self) -> dict[str, list[NoteEntry]]:
        if self._unnamed is None:
            self._unnamed = {}
            for item in self._files.get(None, []):
                entry = _entry(*item)
                if entry is not None:
                    self._unnamed.setdefault(entry.note.client, []).append(entry)
        return self._unnamed


def _entry(name: str, path: Path, raw: bytes) -> NoteEntry | None:
    from txplan.plan.notes.reader import read_note

    note = read_note(raw).note
    return None if note is None else NoteEntry(name, path, note)


def notes_by_client(root: Path) -> dict[str, list[NoteEntry]]:
    """Every readable session note under `root`, by client ID, oldest first."""
    files = NoteFiles(root)
    return {client: files.of(client) for client in sorted(files.clients())}


def client_notes(plan: Path, config: Config, client: str) -> list[NoteEntry]:
    """The session notes of `client` in the plans folder of `plan`, oldest first."""
    return NoteFiles(plans_folder_of(plan, config)).of(client)


__all__ = [
    "NOTES_FOLDER",
    "NoteEntry",
    "NoteFiles",
    "Span",
    "YamlPath",
    "client_notes",
    "lint_notes",
    "note_paths",
    "notes_by_client",
]
