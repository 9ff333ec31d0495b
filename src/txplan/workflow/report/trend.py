"""The report's trend: errors per plan, month by month, from the plans'
git history (txplan.plan.notes.in_force reads it: one `git log` and one
`git cat-file --batch` a repository). Each plan counts as it stood at the
month's end, its last version committed by then (this month, the working
copy), checked as of the day that version was committed: a version's count
does not change with the day the report is made, so it is checked once and
remembered in lint's cache."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from txplan.findings import Finding, Severity
from txplan.settings.reading import ConfigFinder

if TYPE_CHECKING:
    from txplan.workflow.due import Row

# The trend's months when --since does not say.
TREND_MONTHS = 12


def months(today: dt.date, since: dt.date | None) -> list[tuple[str, dt.date]]:
    """Each month of the trend with the day it is read at: its last day,
    and today for this month. From `since`'s month, else TREND_MONTHS back."""
    import calendar

    start = since or _months_back(today, TREND_MONTHS - 1)
    year, month = start.year, start.month
    out = []
    while (year, month) <= (today.year, today.month):
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        out.append((f"{year:04d}-{month:02d}", min(last, today)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _months_back(day: dt.date, count: int) -> dt.date:
    """The first of the month `count` months before `day`'s (year 1 at the earliest)."""
    month = max(day.year * 12 + day.month - 1 - count, 12)
    return dt.date(month // 12, month % 12 + 1, 1)


def trend(
    plans: list[Row],
    today: dt.date,
    since: dt.date | None,
    finder: ConfigFinder,
    use_cache: bool,
    cache_dir: Path | None,
) -> dict[str, Any]:
    """Errors per plan at each month's end, from the plans' git history."""
    from txplan.plan.notes.in_force import timelines

    failures: list[str] = []
    found = {}
    if _any_committed(plans, failures):
        found = timelines(((p.file, Path(p.file)) for p in plans), today, failures)
    committed = any(v.label.startswith("commit") for line in found.values() for v in line.versions)
    if not committed:
        why = failures[0] if failures else "the plans are not in git, or not yet committed"
        return {"months": [], "why": f"no history to show: {why}."}
    # From the month of the first commit, when that is later than asked.
    first = min(v.committed for t in found.values() for v in t.versions if v.committed is not None)
    shown = [(label, day) for label, day in months(today, since) if day >= first.replace(day=1)]
    chosen = [
        [(timeline, _as_of(timeline.versions, day, day == today)) for timeline in found.values()]
        for _, day in shown
    ]
    errors = _VersionErrors(finder, use_cache, cache_dir)
    errors.check([pair for month in chosen for pair in month if pair[1] is not None], today)
    points = []
    for (label, _), month in zip(shown, chosen, strict=True):
        counted = [errors.of(timeline, version) for timeline, version in month if version]
        points.append(
            {
                "month": label,
                "plans": len(counted),
                "errors": sum(counted),
                "errors_per_plan": round(sum(counted) / len(counted), 2) if counted else None,
            }
        )
    errors.save()
    return {"months": points, "why": None}


def _any_committed(plans: list[Row], failures: list[str]) -> bool:
    """Whether git has a commit touching any plan's folder: one question a
    repository, before every plan and version is read for the timelines."""
    import os

    from txplan.plan.history import NoHistory, _git, repo_root

    folders: dict[Path, set[str]] = {}
    for folder in {os.path.abspath(os.path.dirname(plan.file)) for plan in plans}:
        root = repo_root(Path(folder))
        if root is not None:
            folders.setdefault(root, set()).add(os.path.relpath(folder, root))
    for root, inside in folders.items():
        try:
            asked = _git("--literal-pathspecs", "log", "-1", "--format=%H", "--", *inside, cwd=root)
        except (NoHistory, OSError) as exc:
            failures.append(str(exc) if isinstance(exc, NoHistory) else "git could not be started")
            return True  # timelines says why, in its words
        if asked.returncode != 0 or asked.stdout.strip():
            return True
    return False


def _as_of(versions: list[Any], day: dt.date, this_month: bool) -> Any:
    """The newest version committed by `day` (the working copy, this month)
    that git or the disk gave the text of."""
    for version in reversed([v for v in versions if v.raw is not None]):
        if version.label.startswith("commit"):
            if version.committed is not None and version.committed <= day:
                return version
        elif this_month:
            return version
    return None


class _VersionErrors:
    """How many errors each version of a plan has, checked as of the day it
    was committed: once each, on every core, and remembered in lint's cache."""

    def __init__(self, finder: ConfigFinder, use_cache: bool, cache_dir: Path | None) -> None:
        from txplan.workflow import cache

        self.finder = finder
        self.use_cache = use_cache
        self.caches = cache.Caches(cache.ResultCache, cache_dir=cache_dir)
        self.known: dict[tuple[str, str], int] = {}

    def check(self, pairs: list[tuple[Any, Any]], today: dt.date) -> None:
        """Count the errors of each (timeline, version) not yet known."""
        from txplan.workflow import cache
        from txplan.workflow.lint import lint_versions
        from txplan.workflow.results import Selection

        todo: dict[tuple[str, str], tuple[str, bytes, Any, dt.date, str | None, Any]] = {}
        for timeline, version in pairs:
            ident = (timeline.file, version.label)
            if ident in self.known or ident in todo:
                continue
            config = self.finder.for_file(timeline.path)
            raw = version.raw
            on = (version.committed if version.label.startswith("commit") else None) or today
            entry, home = None, None
            if self.use_cache:
                home = self.caches.for_plan(config, timeline.path)
                content = cache.content_hash(raw)
                entry = cache.key(timeline.file, content, config, on, Selection(), None)
                remembered = home.get(entry)
                if remembered is not None:
                    self.known[ident] = _errors(remembered[1])
                    continue
            todo[ident] = (timeline.file, raw, config, on, entry, home)
        items = list(todo.items())
        done = lint_versions(
            [(name, raw, config, on) for _, (name, raw, config, on, _, _) in items]
        )
        for (ident, (_, _, _, _, entry, home)), result in zip(items, done, strict=True):
            self.known[ident] = _errors(result.findings)
            if home is not None and entry is not None:
                home.put(entry, (result.file, result.findings, result.record))

    def of(self, timeline: Any, version: Any) -> int:
        return self.known[(timeline.file, version.label)]

    def save(self) -> None:
        if self.use_cache:
            self.caches.save()


def _errors(findings: list[Finding]) -> int:
    return sum(f.severity is Severity.ERROR for f in findings)
