"""Lint plans: find the files, read each, run the rules, gather the results.

Pure functions over paths and settings; the command line (cli.py) only
parses options and prints what comes back.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from txplan.config import Config
from txplan.findings import Finding, Severity, Span
from txplan.plan.discover import UsageError, discover
from txplan.plan.files import NOTE_SUFFIX, PLAN_SUFFIX, cannot_read
from txplan.plan.files import read_limited as _read_limited
from txplan.records import ObjectiveText, PlanRecord
from txplan.settings.reading import ConfigFinder
from txplan.workflow.results import (
    FileResult,
    Gleaner,
    Selection,
    consequence,
    suppression_findings,
    wanted,
    with_severity,
)

if TYPE_CHECKING:
    from txplan.plan.history import Head
    from txplan.plan.loader import Loaded

# What lint finds in a folder: plans, and session notes.
SUFFIXES = (PLAN_SUFFIX, NOTE_SUFFIX)

# Below this many files a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 48


@dataclass
class LintResult:
    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    # The plans read and checked, by name; a report per file (JUnit) lists
    # the clean ones too.
    checked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Rules that could not run, each a line such as "X002 ... was not checked: why".
    unchecked: list[str] = field(default_factory=list)
    # How many of the files are session notes (`*.note.md`).
    notes: int = 0
    # What a Gleaner took from each plan, by its file: (path, settings, value).
    gleaned: dict[str, tuple[Path, Config, Any]] = field(default_factory=dict)


def lint_file(
    name: str,
    path: Path,
    config: Config,
    today: dt.date,
    selection: Selection,
    committed: bytes | None = None,
) -> FileResult:
    try:
        raw = _read_limited(path)
    except OSError as exc:
        return FileResult(name, [], error=cannot_read(name, exc))
    return lint_bytes(name, raw, config, today, selection, committed)


def lint_bytes(
    name: str,
    raw: bytes,
    config: Config,
    today: dt.date,
    selection: Selection,
    committed: bytes | None = None,
    gleaner: Gleaner | None = None,
    path: Path | None = None,
) -> FileResult:
    """lint_file on text already read (a file, or standard input), at most
    one byte past the loader's limit; with `gleaner`, what it takes from the
    plan (read from `path`) too."""
    from txplan.plan import suppress
    from txplan.plan.loader import load_bytes

    select, ignore = selection.merged(config)
    loaded = load_bytes(raw)
    findings, record, plan = _check_plan(name, loaded, config, today, select, ignore)
    gleaned = None
    if gleaner is not None:
        gleaned = gleaner.glean(name, path or Path(name), loaded, plan, config, today)
    # The same bytes as last committed cannot have changed: not parsing the
    # commit again is most of X002's cost over a caseload at rest.
    changed = committed is not None and committed != raw
    if (
        changed
        and committed is not None
        and loaded.data is not None
        and wanted("X002", select, ignore)
    ):
        findings.extend(_undocumented_change(loaded, committed))
    suppressions, malformed = suppress.parse(loaded.lines)
    findings = suppress.apply([f for f in findings if wanted(f.code, select, ignore)], suppressions)
    if wanted("F006", select, ignore):
        findings.extend(suppression_findings(suppressions, malformed))
    return FileResult(
        name, [with_severity(f, config, name) for f in findings], record, gleaned=gleaned
    )


def _check_plan(
    name: str,
    loaded: Loaded,
    config: Config,
    today: dt.date,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> tuple[list[Finding], PlanRecord | None, Any]:
    """What reading, validating and the plan rules find in one loaded file,
    and the plan model (None when it does not validate)."""
    from txplan.plan.sniff import not_a_plan
    from txplan.plan.validate import validate
    from txplan.rules import finding, plan_rules
    from txplan.rules.context import PlanContext

    other = not_a_plan(name, loaded)
    if other is not None:
        return [other], None, None
    findings = list(loaded.findings)
    if loaded.data is None:
        return findings, None, None
    validated = validate(loaded.data, loaded.positions)
    findings.extend(validated.findings)
    plan = validated.plan
    if plan is None:
        return findings, None, None
    ctx = PlanContext(plan, config, today, positions=loaded.positions, file=name)
    for entry in plan_rules():
        if entry.check is not None and wanted(entry.code, select, ignore):
            for hit in _hits(entry.check, ctx):
                where = hit[0]
                if not consequence(where, validated.set_aside):
                    span = hit[2] if len(hit) == 3 else loaded.positions.span(where)
                    findings.append(finding(entry.code, hit[1], span, where))
    return findings, _record(name, plan, loaded), plan


def _hits(check: Any, ctx: Any) -> list[Any]:
    """A rule's findings. Date arithmetic on a date near the calendar's end
    (9999-12-31) overflows; R008 reports such a date, so the rule that could
    not compute with it says nothing rather than stopping the run."""
    try:
        return list(check(ctx))
    except OverflowError:
        return []


def _record(name: str, plan: Any, loaded: Loaded) -> PlanRecord:
    return PlanRecord(
        name,
        plan.client.id,
        loaded.positions.span(("client", "id")),
        _objective_texts(plan, loaded),
    )


def caseload_record(name: str, path: Path) -> PlanRecord | None:
    """What the cross-file rules need from a plan that is not itself reported
    on (`lint --caseload`): its client ID and objective texts, without the
    plan rules; None if it does not read as a plan."""
    from txplan.plan.loader import load_bytes
    from txplan.plan.validate import validate

    try:
        loaded = load_bytes(_read_limited(path))
    except OSError:
        return None  # reported when that plan is itself linted
    if loaded.data is None:
        return None
    plan = validate(loaded.data, loaded.positions).plan
    return None if plan is None else _record(name, plan, loaded)


class Refusal(Exception):
    """A plan a command will not act on; the message is one line naming why."""


def sound_plan(
    name: str, loaded: Loaded, config: Config, doing: str, today: dt.date | None = None
) -> Any:
    """The Plan in `loaded`, or Refusal naming its first structural (F) error.

    A plan with an F error is not the plan that was written: validation set
    a bad value aside, or the reader kept one of two keys. Rendering or
    exporting it anyway would pass off a partial plan as the whole one, so
    commands that act on a plan (render, export, and later measure and
    review) call this first. `doing` ends the message: "before rendering it".
    """
    from txplan.plan import suppress
    from txplan.plan.validate import validate

    findings, _, _ = _check_plan(
        name, loaded, config, today or dt.date.today(), ("F",), config.ignore
    )
    suppressions, _ = suppress.parse(loaded.lines)
    kept = suppress.apply([f for f in findings if f.code.startswith("F")], suppressions)
    errors = sorted(
        (e for e in (with_severity(f, config, name) for f in kept) if e.severity is Severity.ERROR),
        key=Finding.sort_key,
    )
    if errors:
        first = errors[0]
        more = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
        raise Refusal(
            f"{name}:{first.span.line}:{first.span.column}: {first.code} {first.name}  "
            f"{first.message} Fix it{more} {doing}: `txplan lint {name}` lists every problem."
        )
    if loaded.data is None:
        raise Refusal(f"{name}: not a plan; `txplan lint {name}` says why.")
    plan = validate(loaded.data, loaded.positions).plan
    if plan is None:  # only if a non-F finding stopped validation; lint names it
        raise Refusal(f"{name}: not a plan; `txplan lint {name}` says why.")
    return plan


def refusing_unsound(config: Config) -> Callable[[Path, bytes], None]:
    """A vet for txplan.plan.editor: refuse to edit a plan with a structural
    (F) error, read under the edit's lock."""
    from txplan.plan.editor import EditError
    from txplan.plan.loader import load_bytes

    def vet(shown: Path, original: bytes) -> None:
        try:
            sound_plan(str(shown), load_bytes(original), config, "before editing it")
        except Refusal as exc:
            raise EditError(str(exc)) from None

    return vet


def _objective_texts(plan: Any, loaded: Loaded) -> tuple[ObjectiveText, ...]:
    from txplan.plan import placeholders
    from txplan.rules.caseload import MIN_WORDS, fingerprint

    names = [p for p in re.split(r"[\s,]+", plan.client.name or "") if len(p) >= 2]
    out = []
    for gi, goal in enumerate(plan.goals):
        for oi, objective in enumerate(goal.objectives):
            text = objective.statement or ""
            # Text still holding a placeholder is unwritten (C009's), not copied.
            if len(text.split()) < MIN_WORDS or placeholders.find(text):
                continue
            span = loaded.positions.span(("goals", gi, "objectives", oi, "statement"))
            out.append(ObjectiveText(objective.id or "", fingerprint(text, names), span, gi, oi))
    return tuple(out)


def _undocumented_change(loaded: Loaded, committed: bytes) -> Iterator[Finding]:
    from txplan.plan import history
    from txplan.rules import finding

    before, now = history.load(committed), loaded.data or {}
    changed = history.content_changes(before, now)
    if changed and len(now.get("changes") or []) <= len(before.get("changes") or []):
        yield finding(
            "X002",
            f"Since the last commit: {'; '.join(changed)}. Add a `changes` entry saying what "
            "changed and why, e.g. `- {date: YYYY-MM-DD, what: ..., why: ...}`.",
            loaded.positions.span(("changes",)),
            ("changes",),
        )


# name to report, file, its settings, and its last commit (X002): the blob id
# (what the cache keys on) and, for a plan checked, the content
Job = tuple[str, Path, Config, bytes | None, bytes | None]


def _lint_jobs(
    jobs: list[Job],
    today: dt.date,
    selection: Selection,
    keyed: bool = False,
    gleaner: Gleaner | None = None,
) -> list[tuple[str | None, FileResult]]:
    """Each job's result, with the cache key of the bytes it was read from
    when `keyed` (so a plan edited meanwhile is never filed under its old text)."""
    from txplan.workflow import cache

    out: list[tuple[str | None, FileResult]] = []
    for name, path, config, head, before in jobs:
        try:
            raw = _read_limited(path)
        except OSError as exc:
            out.append((None, FileResult(name, [], error=cannot_read(name, exc))))
            continue
        entry = None
        if keyed:
            entry = cache.key(name, cache.content_hash(raw), config, today, selection, head)
        result = lint_bytes(name, raw, config, today, selection, before, gleaner, path)
        out.append((entry, result))
    return out


# About 4 ms a plan on two cores: a bar from 300 plans, a second or more.
BAR_FROM = 300


def _listed(names: list[str], shown: int = 3) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _lint_all(
    jobs: list[Job],
    today: dt.date,
    selection: Selection,
    workers: int,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    committed: Callable[[list[Path]], dict[Path, bytes]] = lambda _: {},
    stats: dict[str, os.stat_result] | None = None,
    started: int | None = None,
    gleaner: Gleaner | None = None,
) -> list[FileResult]:
    """Every job's result, in order: remembered ones from the cache, the
    others checked (with a progress bar on a terminal) and remembered.
    `committed` gives the last committed content of the plans checked;
    `stats`, the files' stats taken since the run `started` (cache.Caches)."""
    from txplan.outputs.progress_bar import bar
    from txplan.workflow import cache

    caches = cache.Caches(cache.ResultCache, cache_dir=cache_dir, started=started)
    results: list[FileResult | None] = [None] * len(jobs)
    homes: list[cache.ResultCache | None] = [None] * len(jobs)
    # Asked before any plan is checked: a gleaner's key reads what the
    # workers then need (the notes folders), once, here.
    extras = [gleaner.key(job[1], job[2]) if gleaner else None for job in jobs]
    if use_cache:
        for i, job in enumerate(jobs):
            homes[i] = home = caches.for_plan(job[2], job[1])
            results[i] = _remembered(home, job, today, selection, stats or {}, gleaner, extras[i])
    missing = [i for i, result in enumerate(results) if result is None]
    # Only a plan checked again needs its committed version read (X002). One
    # whose version could not be read is filed as untracked, not under its
    # version: a later run that can read it checks X002 then.
    before = committed([jobs[i][1] for i in missing if jobs[i][3] is not None])
    todo: list[Job] = []
    for i in missing:
        name, path, config, head, _ = jobs[i]
        got = before.get(path)
        todo.append((name, path, config, head if got is not None else None, got))
    with bar(len(todo), "checking plans", at_least=BAR_FROM) as advance:
        if len(todo) >= PARALLEL_THRESHOLD and workers > 1:
            done = _parallel(todo, today, selection, workers, advance, use_cache, gleaner)
        else:
            done = []
            for job in todo:
                done += _lint_jobs([job], today, selection, use_cache, gleaner)
                advance(1)
    for i, (entry, result) in zip(missing, done, strict=True):
        results[i] = result
        remembering = homes[i]
        if remembering is not None and entry is not None and result.error is None:
            remembering.put(entry, (result.file, result.findings, result.record))
            extra = extras[i]
            if extra is not None:
                remembering.keep(cache.gleaned_key(entry, extra), result.gleaned)
    caches.save()
    return [result for result in results if result is not None]


def _remembered(
    home: Any,
    job: Job,
    today: dt.date,
    selection: Selection,
    stats: dict[str, os.stat_result],
    gleaner: Gleaner | None,
    extra: str | None,
) -> FileResult | None:
    """The job's result as the cache (`home`, a cache.ResultCache) holds it,
    with what `gleaner` took from it (under its key `extra`); None when it
    must be checked."""
    from txplan.workflow import cache

    name, path, config, head, _ = job
    try:
        content = home.content_hash_of(path, stats.get(os.fspath(path)))
    except OSError:
        return None  # reported when it is checked
    entry = cache.key(name, content, config, today, selection, head)
    remembered = home.get(entry)
    if remembered is None:
        return None
    if gleaner is None or extra is None:
        return FileResult(*remembered)
    gleaned_key = cache.gleaned_key(entry, extra)
    stored = home.entry(gleaned_key)
    gleaned = None if stored is None else gleaner.checked(stored)
    if gleaned is None:
        return None
    home.keep(gleaned_key, stored)
    file, findings, record = remembered
    return FileResult(file, findings, record, gleaned=gleaned)


def _lint_notes(
    out: LintResult,
    notes: list[tuple[str, Path, Config]],
    plans: list[tuple[str, Path, Config]],
    records: list[PlanRecord],
    today: dt.date,
    selection: Selection,
    workers: int,
) -> None:
    """The session notes' results added to `out`, each note judged by its
    client's plan among `plans` (or in the plans folder)."""
    from txplan.workflow.notes import lint_notes

    clients = {record.file: record.client_id for record in records}
    linted = [(name, path, clients.get(name)) for name, path, _ in plans]
    done = lint_notes(notes, linted, today, selection, out.unchecked, workers=workers)
    for result in done:
        out.findings.extend(result.findings)
        if result.error:
            out.errors.append(result.error)
            out.files -= 1
        else:
            out.checked.append(result.file)


def lint_paths(
    paths: Iterable[str],
    *,
    today: dt.date,
    config_override: str | None = None,
    selection: Selection | None = None,
    workers: int | None = None,
    caseload: Iterable[str] = (),
    respect_gitignore: bool = True,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    gleaner: Gleaner | None = None,
) -> LintResult:
    """Lint every plan under `paths`; the plans under `caseload` are read too,
    for the cross-file rules only, and nothing is reported about them.
    Results are remembered in the cache (txplan.workflow.cache) unless
    `use_cache` is false; what `gleaner` takes from each plan is in the
    result's `gleaned`. Raises UsageError or ConfigError."""
    selection = selection or Selection()
    finder = ConfigFinder(Path(config_override) if config_override else None)
    passed_over: list[tuple[str, Path]] = []
    skipped: list[str] = []
    git_ignored: list[str] = []
    # The files' stats, for the cache to know them by (kept only for it: memory).
    stats: dict[str, os.stat_result] | None = {} if use_cache else None
    started = time.time_ns()  # before any stat: what the cache may trust of them
    # Settings are read before any plan, so a bad txplan.toml stops the run at once.
    found = [
        (name, path, finder.for_file(path))
        for name, path in discover(
            paths, passed_over, skipped, respect_gitignore, git_ignored, SUFFIXES, stats
        )
    ]
    notes = [item for item in found if item[0].endswith(NOTE_SUFFIX)]
    if notes:
        found = [item for item in found if not item[0].endswith(NOTE_SUFFIX)]
    out = LintResult(files=len(found) + len(notes), errors=skipped, notes=len(notes))
    if git_ignored:  # never in silence: "0 plans checked" must not pass for a clean folder
        out.unchecked.append(
            f"not checked, because .gitignore ignores them: {_listed(git_ignored)} "
            "(--no-respect-gitignore checks them too)."
        )
    failures: list[str] = []
    heads, committed = _last_commits(found, selection, failures)
    jobs: list[Job] = [
        (name, path, config, heads[path][1] if path in heads else None, None)
        for name, path, config in found
    ]
    workers = workers or os.cpu_count() or 1
    results = _lint_all(
        jobs, today, selection, workers, cache_dir, use_cache, committed, stats, started, gleaner
    )
    out.unchecked += [f"X002 undocumented-change was not checked: {why}." for why in failures]
    records = _gathered(out, results)
    if gleaner is not None:
        out.gleaned = {
            job[0]: (job[1], job[2], result.gleaned)
            for job, result in zip(jobs, results, strict=True)
            if result.gleaned is not None
        }
    if notes:
        _lint_notes(out, notes, found, records, today, selection, workers)
    config_of = {name: config for name, _, config, _, _ in jobs}
    reported = set(config_of)
    named = {path.resolve() for _, path, _ in found} if caseload or passed_over else set()
    for name, path in discover(caseload, skipped=[], respect_gitignore=respect_gitignore):
        if path.resolve() not in named:
            record = caseload_record(os.path.normpath(name), path)
            if record is not None:
                records.append(record)
                config_of[record.file] = finder.for_file(path)
    out.findings.extend(
        f for f in _caseload_findings(records, config_of, selection) if f.file in reported
    )
    # A file also named on the command line was read after all.
    passed_over = [(n, p) for n, p in passed_over if p.resolve() not in named]
    out.findings.extend(_unread_findings(passed_over, finder, selection))
    out.findings.sort(key=Finding.sort_key)
    return out


def _gathered(out: LintResult, results: list[FileResult]) -> list[PlanRecord]:
    """The plans' results added to `out`; their summaries for the caseload rules."""
    records: list[PlanRecord] = []
    for result in results:
        out.findings.extend(result.findings)
        if result.error:
            out.errors.append(result.error)
            out.files -= 1  # a plan that could not be read was not checked
        else:
            out.checked.append(result.file)
        if result.record:
            records.append(result.record)
    return records


def _last_commits(
    found: list[tuple[str, Path, Config]], selection: Selection, failures: list[str]
) -> tuple[dict[Path, Head], Callable[[list[Path]], dict[Path, bytes]]]:
    """For X002: each plan's last committed version (its blob id, for the cache
    key), and how to read the content of those checked again. Where git
    cannot be asked, why goes to `failures`."""
    heads: dict[Path, Head] = {}
    if any(wanted("X002", *selection.merged(config)) for _, _, config in found):
        from txplan.plan.history import committed_ids

        heads = committed_ids([path for _, path, _ in found], failures)

    def committed(paths: list[Path]) -> dict[Path, bytes]:
        from txplan.plan.history import contents

        return contents({path: heads[path] for path in paths}, failures) if paths else {}

    return heads, committed


def lint_stdin(
    raw: bytes,
    name: str = "-",
    *,
    today: dt.date,
    config_override: str | None = None,
    selection: Selection | None = None,
) -> LintResult:
    """Lint one plan read from standard input, reported as `name` (a session
    note when `name` ends in `.note.md`, judged by its plans folder's plan).

    The settings are those of `name`'s folder (this folder for `-`), and F007
    compares `name` with the client ID, as `ruff --stdin-filename` does. The
    cross-file rules see this plan alone: X002 has no committed version of
    text that was never a file, and X001 and X003 no other plans.
    Raises ConfigError."""
    selection = selection or Selection()
    finder = ConfigFinder(Path(config_override) if config_override else None)
    config = finder.for_file(Path(name))
    if name.endswith(NOTE_SUFFIX):
        from txplan.workflow.notes import lint_notes

        out = LintResult(files=1, checked=[name], notes=1)
        note = (name, Path(name), config)
        for done in lint_notes([note], [], today, selection, out.unchecked, {name: raw}):
            out.findings.extend(done.findings)
        out.findings.sort(key=Finding.sort_key)
        return out
    result = lint_bytes(name, raw, config, today, selection)
    out = LintResult(files=1, findings=list(result.findings), checked=[name])
    if result.record is not None:
        records = [result.record]
        out.findings.extend(_caseload_findings(records, {name: config}, selection))
    out.findings.sort(key=Finding.sort_key)
    return out


def _unread_findings(
    passed_over: list[tuple[str, Path]], finder: ConfigFinder, selection: Selection
) -> Iterator[Finding]:
    """F008 for each skipped file that looks like a plan (`*.plan.yml` always)."""
    if not passed_over:
        return
    from txplan.plan import sniff
    from txplan.rules import finding

    for name, path in passed_over:
        head = sniff.peek(path)
        if not (name.endswith(".plan.yml") or sniff.looks_like_plan(head)):
            continue
        config = finder.for_file(path)
        if wanted("F008", *selection.merged(config)):
            found = finding("F008", sniff.unread_message(name, head))
            yield with_severity(found, config, name)


def _caseload_findings(
    records: list[PlanRecord], config_of: dict[str, Config], selection: Selection
) -> Iterator[Finding]:
    if len(records) < 2:
        return  # one plan has no copy and no namesake; the rules need not load
    from txplan.rules import finding
    from txplan.rules.caseload import copied_objectives, duplicate_clients

    for record, message in duplicate_clients(records):
        config = config_of[record.file]
        if wanted("X003", *selection.merged(config)):
            found = finding("X003", message, record.id_span, ("client", "id"))
            yield with_severity(found, config, record.file)
    clients_for = {name: c.copied_objective_clients for name, c in config_of.items()}
    # Whether X001 runs and at what severity (with_severity's), asked once per
    # settings, not for each of a caseload's many copies.
    severity_in: dict[int, Severity | None] = {}
    name = finding("X001", "").name
    for record, objective, message in copied_objectives(records, clients_for):
        config = config_of[record.file]
        if id(config) not in severity_in:
            runs = wanted("X001", *selection.merged(config))
            made = with_severity(finding("X001", message), config, record.file)
            severity_in[id(config)] = made.severity if runs else None
        severity = severity_in[id(config)]
        if severity is not None:
            yield Finding(
                "X001", name, severity, message, objective.path, objective.span, record.file
            )


def lint_versions(
    versions: list[tuple[str, bytes, Config, dt.date]], workers: int | None = None
) -> list[FileResult]:
    """Each (name, bytes, settings, day) checked as of its day, in order: a
    plan's versions from git (txplan report's trend), on every core when
    there are enough of them. No cache, no cross-file rules, no X002."""
    workers = workers or os.cpu_count() or 1
    if len(versions) < PARALLEL_THRESHOLD or workers < 2:
        return _lint_versions(versions)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from txplan.rules import registry

    registry()  # loaded before the fork, as _parallel does
    size = max(1, len(versions) // (workers * 4))
    chunks = [versions[i : i + size] for i in range(0, len(versions), size)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return [result for part in pool.map(_lint_versions, chunks) for result in part]


def _lint_versions(versions: list[tuple[str, bytes, Config, dt.date]]) -> list[FileResult]:
    return [lint_bytes(name, raw, config, on, Selection()) for name, raw, config, on in versions]


_HELD: list[Gleaner | None] = [None]  # a worker's gleaner (_parallel)


def _hold(gleaner: Gleaner | None) -> None:
    _HELD[0] = gleaner


def _lint_held(
    jobs: list[Job], today: dt.date, selection: Selection, keyed: bool
) -> list[tuple[str | None, FileResult]]:
    return _lint_jobs(jobs, today, selection, keyed, _HELD[0])


def _parallel(
    jobs: list[Job],
    today: dt.date,
    selection: Selection,
    workers: int,
    advance: Callable[[int], None],
    keyed: bool,
    gleaner: Gleaner | None = None,
) -> list[tuple[str | None, FileResult]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(jobs) // (workers * 4))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    # fork: workers inherit the imported modules, so they start in
    # milliseconds instead of each importing every rule family.
    from txplan.rules import registry

    registry()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    # The gleaner goes to each worker once, not with every chunk: what it
    # has read (a plans folder's notes) is read once a worker.
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_hold, initargs=(gleaner,)
    ) as pool:
        parts = pool.map(
            _lint_held,
            chunks,
            [today] * len(chunks),
            [selection] * len(chunks),
            [keyed] * len(chunks),
        )
        results: list[tuple[str | None, FileResult]] = []
        for part in parts:  # in order, as each chunk is done
            results += part
            advance(len(part))
        return results


__all__ = [
    "LintResult",
    "Selection",
    "Span",
    "UsageError",
    "discover",
    "lint_bytes",
    "lint_file",
    "lint_paths",
    "lint_stdin",
    "lint_versions",
]
