"""The rule registry: every code txplan reports, with its docs.

One module per family (the letter of the code), each rule a function whose
docstring is its documentation page (`txplan rule CODE`) in four parts:
a one-line summary, then "Why:", "Fails:" and "Passes:" sections. A rule
yields (path, message) pairs; the engine adds code, name, severity and the
position (a rule that knows a closer one, such as a placeholder's place inside
a long statement, yields (path, message, span)). Rules of the F family are raised by the loader and the engine and
are registered here for their names and pages only.

Codes are a public contract: never reuse one for another meaning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from txplan.findings import WHILE_READING, Finding, Severity, Span, YamlPath

if TYPE_CHECKING:
    from txplan.rules.context import PlanContext

Hit = tuple[YamlPath, str] | tuple[YamlPath, str, Span]
Check = Callable[["PlanContext"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Check | None
    doc: str
    # What the rule reads: a plan (PlanContext) or a session note (NoteContext).
    reads: str = "plan"

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    def sections(self) -> dict[str, str]:
        """The docstring split into summary, body, Why, Fails, Passes."""
        text = _dedent(self.doc)
        parts = re.split(r"^(Why|Fails|Passes):\s*$", text, flags=re.M)
        head = parts[0].strip().split("\n", 1)
        out = {"summary": head[0].strip(), "body": head[1].strip() if len(head) > 1 else ""}
        for title, body in zip(parts[1::2], parts[2::2], strict=True):
            out[title.lower()] = body.strip("\n")
        return out


def _dedent(doc: str) -> str:
    import textwrap

    first, _, rest = doc.partition("\n")
    return first.strip() + "\n" + textwrap.dedent(rest)


# Every rule by code, once registry() has imported the families (REGISTRY).
# The caseload rules' module alone registers X001 and X003: a lint answered
# from the cache runs them without importing the families it does not use.
_RULES: dict[str, Rule] = {}
_families_loaded = False


def registry() -> dict[str, Rule]:
    """Every rule by code, in catalog order; the families are imported on
    first use."""
    global _families_loaded
    if not _families_loaded:
        _families_loaded = True  # before: a family that asks while loading gets what is there
        try:
            _load_families()
        except BaseException:
            _families_loaded = False  # a failed import is tried again, never half a registry
            raise
        _sorted_registry()
    return _RULES


def __getattr__(name: str) -> dict[str, Rule]:
    # `REGISTRY` reads as the full registry, whoever asks first.
    if name == "REGISTRY":
        return registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _registrable(code: str, name: str, severity: str) -> None:
    if code in _RULES:
        raise RuntimeError(f"rule code {code} registered twice")
    if code in WHILE_READING and WHILE_READING[code] != (name, Severity(severity)):
        raise RuntimeError(f"rule {code} is raised while reading as {WHILE_READING[code]}")


def rule(code: str, name: str, severity: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        _registrable(code, name, severity)
        _RULES[code] = Rule(code, name, Severity(severity), check, check.__doc__ or "")
        return check

    return register


def note_rule(code: str, name: str, severity: str) -> Callable[[Any], Any]:
    """Register a check of one session note against the plan in force."""

    def register(check: Any) -> Any:
        _registrable(code, name, severity)
        _RULES[code] = Rule(code, name, Severity(severity), check, check.__doc__ or "", "note")
        return check

    return register


def declare(code: str, name: str, severity: str, doc: str, reads: str = "plan") -> None:
    """Register a rule that the loader or engine raises (no check function)."""
    _registrable(code, name, severity)
    _RULES[code] = Rule(code, name, Severity(severity), None, doc, reads)


def finding(code: str, message: str, span: Span | None = None, path: YamlPath = ()) -> Finding:
    """A finding of rule `code`, with the rule's name and default severity."""
    entry = _RULES.get(code) or registry()[code]
    return Finding(code, entry.name, entry.severity, message, path, span or Span())


def plan_rules() -> Iterator[Rule]:
    for entry in registry().values():
        if entry.check is not None and entry.reads == "plan":
            yield entry


def note_rules() -> Iterator[Rule]:
    for entry in registry().values():
        if entry.check is not None and entry.reads == "note":
            yield entry


def by_code_or_name(key: str) -> Rule | None:
    wanted = key.strip()
    for entry in registry().values():
        if wanted.upper() == entry.code or wanted.lower() == entry.name:
            return entry
    return None


def _load_families() -> None:
    # The explicit list of families, in catalog order (rules.md).
    from txplan.rules import (  # noqa: F401
        caseload,
        compliance,
        diagnosis,
        elements,
        file,
        links,
        notes,
        problems,
        review,
        smart,
    )


__all__ = [
    "REGISTRY",
    "Hit",
    "Rule",
    "by_code_or_name",
    "declare",
    "finding",
    "note_rule",
    "note_rules",
    "plan_rules",
    "registry",
    "rule",
]


def _sorted_registry() -> None:
    order = "FEDPSLRCXN"
    items = sorted(_RULES.items(), key=lambda kv: (order.index(kv[0][0]), kv[0]))
    _RULES.clear()
    _RULES.update(items)
