"""Lint plans: find the files, read each, run the rules, gather the results.

Pure functions over paths and settings; the command line (cli.py) only
parses options and prints what comes back.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from txplan.config import Config, ConfigFinder
from txplan.discover import UsageError, discover
from txplan.findings import Finding, Severity, Span, YamlPath
from txplan.rules.caseload import ObjectiveText, PlanRecord

if TYPE_CHECKING:
    from txplan.loader import Loaded
    from txplan.suppress import Suppression

# Below this many files a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 48


@dataclass(frozen=True)
class Selection:
    """Which rules run: command-line --select/--ignore over txplan.toml."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def merged(self, config: Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (self.select or config.select, self.ignore + config.ignore)


@dataclass
class FileResult:
    file: str
    findings: list[Finding]
    record: PlanRecord | None = None
    error: str | None = None  # unreadable: reported as a one-line error


@dataclass
class LintResult:
    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _wanted(code: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    if select and not any(code.startswith(s.upper()) for s in select):
        return False
    return not any(code.startswith(i.upper()) for i in ignore)


def lint_file(
    name: str,
    path: Path,
    config: Config,
    today: dt.date,
    selection: Selection,
    committed: bytes | None = None,
) -> FileResult:
    from txplan import suppress
    from txplan.loader import load_bytes

    try:
        raw = _read_limited(path)
    except OSError as exc:
        return FileResult(name, [], error=f"{name}: cannot read the file ({exc.strerror or exc}).")
    select, ignore = selection.merged(config)
    loaded = load_bytes(raw)
    findings, record = _check_plan(name, loaded, config, today, select, ignore)
    if committed is not None and loaded.data is not None and _wanted("X002", select, ignore):
        findings.extend(_undocumented_change(loaded, committed))
    suppressions, malformed = suppress.parse(loaded.lines)
    findings = suppress.apply(
        [f for f in findings if _wanted(f.code, select, ignore)], suppressions
    )
    if _wanted("F006", select, ignore):
        findings.extend(_suppression_findings(suppressions, malformed))
    return FileResult(name, [_with_severity(f, config, name) for f in findings], record)


def _check_plan(
    name: str,
    loaded: Loaded,
    config: Config,
    today: dt.date,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> tuple[list[Finding], PlanRecord | None]:
    """What reading, validating and the plan rules find in one loaded file."""
    from txplan.rules import finding, plan_rules
    from txplan.rules.context import PlanContext
    from txplan.validate import validate

    findings = list(loaded.findings)
    if loaded.data is None:
        return findings, None
    validated = validate(loaded.data, loaded.positions)
    findings.extend(validated.findings)
    plan = validated.plan
    if plan is None:
        return findings, None
    ctx = PlanContext(plan, config, today, positions=loaded.positions)
    for entry in plan_rules():
        if entry.check is not None and _wanted(entry.code, select, ignore):
            for hit in entry.check(ctx):
                where = hit[0]
                if not _consequence(where, validated.set_aside):
                    span = hit[2] if len(hit) == 3 else loaded.positions.span(where)
                    findings.append(finding(entry.code, hit[1], span, where))
    record = PlanRecord(
        name,
        plan.client.id,
        loaded.positions.span(("client", "id")),
        _objective_texts(plan, loaded),
    )
    return findings, record


def _objective_texts(plan: Any, loaded: Loaded) -> tuple[ObjectiveText, ...]:
    from txplan import placeholders
    from txplan.rules.caseload import MIN_WORDS, fold

    names = [p for p in re.split(r"[\s,]+", plan.client.name or "") if len(p) >= 2]
    out = []
    for gi, goal in enumerate(plan.goals):
        for oi, objective in enumerate(goal.objectives):
            text = objective.statement or ""
            # Text still holding a placeholder is unwritten (C009's), not copied.
            if len(text.split()) < MIN_WORDS or placeholders.find(text):
                continue
            path = ("goals", gi, "objectives", oi, "statement")
            out.append(
                ObjectiveText(
                    objective.id or "", fold(text, names), loaded.positions.span(path), path
                )
            )
    return tuple(out)


def _undocumented_change(loaded: Loaded, committed: bytes) -> Iterator[Finding]:
    from txplan import history
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


def _consequence(where: YamlPath, set_aside: list[YamlPath]) -> bool:
    """A rule finding at or above a value already reported as invalid (F002)
    or as a placeholder (C009): "no second identifier" when the date of birth
    was an impossible date says the same thing twice."""
    return bool(where) and any(path[: len(where)] == where for path in set_aside)


def _suppression_findings(
    suppressions: list[Suppression], malformed: list[tuple[Span, str]]
) -> Iterator[Finding]:
    from txplan.rules import finding

    for span, message in malformed:
        yield finding("F006", message, span)
    for s in suppressions:
        unused = [c for c in s.codes if c not in s.used]
        if unused:
            yield finding(
                "F006",
                f"The suppression of {', '.join(unused)} suppresses nothing here. "
                "Remove it (or the codes that no longer fire).",
                s.span,
            )


def _read_limited(path: Path) -> bytes:
    """The file's bytes, at most one past the loader's limit: a device such
    as /dev/zero or a pipe must not make txplan read forever."""
    import stat

    from txplan.loader import MAX_BYTES

    with open(path, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        return handle.read(MAX_BYTES + 1)


def _with_severity(finding: Finding, config: Config, name: str) -> Finding:
    level = config.severity.get(finding.code)
    severity = Severity(level) if level else finding.severity
    return replace(finding, severity=severity, file=name)


# name to report, file, its settings, its content at the last commit (X002)
Job = tuple[str, Path, Config, bytes | None]


def _lint_jobs(jobs: list[Job], today: dt.date, selection: Selection) -> list[FileResult]:
    return [
        lint_file(name, path, config, today, selection, before)
        for name, path, config, before in jobs
    ]


def lint_paths(
    paths: Iterable[str],
    *,
    today: dt.date,
    config_override: str | None = None,
    selection: Selection | None = None,
    workers: int | None = None,
) -> LintResult:
    """Lint every plan under `paths`. Raises UsageError or ConfigError."""
    selection = selection or Selection()
    finder = ConfigFinder(Path(config_override) if config_override else None)
    # Settings are read before any plan, so a bad txplan.toml stops the run at once.
    found = [(name, path, finder.for_file(path)) for name, path in discover(paths)]
    before: dict[Path, bytes] = {}
    if any(_wanted("X002", *selection.merged(config)) for _, _, config in found):
        from txplan.history import committed

        before = committed([path for _, path, _ in found])
    jobs = [(name, path, config, before.get(path)) for name, path, config in found]
    count = workers or os.cpu_count() or 1
    if len(jobs) >= PARALLEL_THRESHOLD and count > 1:
        results = _parallel(jobs, today, selection, count)
    else:
        results = _lint_jobs(jobs, today, selection)
    out = LintResult(files=len(jobs))
    records: list[PlanRecord] = []
    for result in results:
        out.findings.extend(result.findings)
        if result.error:
            out.errors.append(result.error)
        if result.record:
            records.append(result.record)
    config_of = {name: config for name, _, config, _ in jobs}
    out.findings.extend(_caseload_findings(records, config_of, selection))
    out.findings.sort(key=Finding.sort_key)
    return out


def _caseload_findings(
    records: list[PlanRecord], config_of: dict[str, Config], selection: Selection
) -> Iterator[Finding]:
    from txplan.rules import finding
    from txplan.rules.caseload import copied_objectives, duplicate_clients

    for record, message in duplicate_clients(records):
        config = config_of[record.file]
        if _wanted("X003", *selection.merged(config)):
            found = finding("X003", message, record.id_span, ("client", "id"))
            yield _with_severity(found, config, record.file)
    clients_for = {name: c.copied_objective_clients for name, c in config_of.items()}
    for record, objective, message in copied_objectives(records, clients_for):
        config = config_of[record.file]
        if _wanted("X001", *selection.merged(config)):
            found = finding("X001", message, objective.span, objective.path)
            yield _with_severity(found, config, record.file)


def _parallel(
    jobs: list[Job], today: dt.date, selection: Selection, workers: int
) -> list[FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(jobs) // (workers * 4))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    # fork: workers inherit the imported modules and the ICD tables, so
    # they start in milliseconds instead of re-importing everything.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        parts = pool.map(_lint_jobs, chunks, [today] * len(chunks), [selection] * len(chunks))
        return [result for part in parts for result in part]


__all__ = ["LintResult", "Selection", "Span", "UsageError", "discover", "lint_file", "lint_paths"]
