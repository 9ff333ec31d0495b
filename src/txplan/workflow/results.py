"""What checking one file gives back, and the filters every check's findings
pass through: the rule selection, inline suppressions and the severities
txplan.toml sets. Shared by the lint of plans and of session notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from txplan.config import Config
from txplan.findings import Finding, Severity, Span, YamlPath
from txplan.records import PlanRecord

if TYPE_CHECKING:
    from txplan.plan.suppress import Suppression


@dataclass(frozen=True)
class Selection:
    """Which rules run: command-line --select/--ignore over txplan.toml."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def merged(self, config: Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (self.select or config.select, self.ignore + config.ignore)


@dataclass(slots=True)
class FileResult:
    file: str
    findings: list[Finding]
    record: PlanRecord | None = None
    error: str | None = None  # unreadable: reported as a one-line error
    gleaned: Any = None  # what a Gleaner took from the plan


class Gleaner(Protocol):
    """What another command gathers from each plan while lint has it read
    (`txplan report`): a plan parsed and validated once serves both. What
    it gleans is kept in lint's cache beside the plan's result, as JSON."""

    def key(self, path: Path, config: Config) -> str:
        """What the gleaned value depends on beyond the plan's bytes, the
        settings and the date (the plan's session notes, say)."""
        ...

    def glean(
        self, name: str, path: Path, loaded: Any, plan: Any, config: Config, today: dt.date
    ) -> Any:
        """The value for one plan: `loaded` as the loader read it, `plan` the
        model (None when the plan does not validate)."""
        ...

    def checked(self, stored: Any) -> Any:
        """A value read back from the cache, or None if it does not hold together."""
        ...


def wanted(code: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    if select and not any(code.startswith(s.upper()) for s in select):
        return False
    return not any(code.startswith(i.upper()) for i in ignore)


def consequence(where: YamlPath, set_aside: list[YamlPath]) -> bool:
    """A rule finding at or above a value already reported as invalid (F002)
    or as a placeholder (C009): "no second identifier" when the date of birth
    was an impossible date says the same thing twice."""
    return bool(where) and any(path[: len(where)] == where for path in set_aside)


def suppression_findings(
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


def with_severity(finding: Finding, config: Config, name: str) -> Finding:
    level = config.severity.get(finding.code)
    severity = Severity(level) if level else finding.severity
    # Built directly: dataclasses.replace costs several times more, once for
    # every finding of a caseload.
    f = finding
    return Finding(f.code, f.name, severity, f.message, f.path, f.span, name)
