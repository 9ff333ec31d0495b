"""Inline suppressions: `# txplan: ignore[S002,S005] reason`.

A suppression applies to findings on its own line or the line below it
(so it can stand above the key it concerns). It must name codes and give a
reason; one without a reason suppresses nothing, and one that suppresses
nothing is reported (F006), like ruff's unused `noqa`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from txplan.findings import Finding, Span

_COMMENT = re.compile(r"(?:^|\s)#\s*txplan\s*:\s*(?P<verb>\w+)(?P<rest>.*)$", re.IGNORECASE)
_IGNORE = re.compile(r"^\[(?P<codes>[^\]]*)\]\s*(?P<reason>.*)$")
_CODE = re.compile(r"^[A-Z]\d{3}$")


@dataclass
class Suppression:
    line: int
    column: int
    end_column: int
    codes: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.line, self.end_column)


def parse(lines: list[str]) -> tuple[list[Suppression], list[tuple[Span, str]]]:
    """The suppressions in the file, and the malformed ones as (span, message)."""
    found: list[Suppression] = []
    problems: list[tuple[Span, str]] = []
    for number, text in enumerate(lines, start=1):
        if "txplan" not in text.lower():
            continue
        m = _COMMENT.search(text)
        if not m:
            continue
        column = m.start() + (1 if text[m.start()] != "#" else 0) + 1
        span = Span(number, column, number, len(text) + 1)
        if m.group("verb").lower() != "ignore":
            problems.append(
                (
                    span,
                    f"`# txplan: {m.group('verb')}` is not a known directive; write "
                    "`# txplan: ignore[CODE] reason`.",
                )
            )
            continue
        body = _IGNORE.match(m.group("rest").strip())
        if not body:
            problems.append(
                (
                    span,
                    "A suppression must name the codes it silences: "
                    "`# txplan: ignore[S002] reason`.",
                )
            )
            continue
        codes = tuple(c.strip().upper() for c in body.group("codes").split(",") if c.strip())
        bad = [c for c in codes if not _CODE.match(c)]
        if not codes or bad:
            problems.append(
                (
                    span,
                    f"`{body.group('codes')}` does not name rule codes; write e.g. "
                    "`ignore[S002]` or `ignore[S002,S005]`.",
                )
            )
            continue
        # A second comment after the brackets is not a reason.
        reason = body.group("reason").split("#", 1)[0].strip()
        if not reason:
            problems.append(
                (
                    span,
                    f"The suppression of {', '.join(codes)} gives no reason, so it is not "
                    "applied. Say why after the brackets, e.g. `# txplan: ignore[S002] "
                    "client-chosen qualitative goal`.",
                )
            )
            continue
        found.append(Suppression(number, column, len(text) + 1, codes, reason))
    return found, problems


def apply(findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """The findings no suppression covers; marks the suppressions used."""
    if not suppressions:
        return findings
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        by_line.setdefault(s.line, []).append(s)
        by_line.setdefault(s.line + 1, []).append(s)
    kept = []
    for finding in findings:
        covering = [s for s in by_line.get(finding.span.line, []) if finding.code in s.codes]
        if covering:
            for s in covering:
                s.used.add(finding.code)
        else:
            kept.append(finding)
    return kept
