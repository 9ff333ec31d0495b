"""What a check reports: a finding, its severity and its place in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

YamlPath = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


def format_path(path: YamlPath) -> str:
    """`('goals', 0, 'statement')` -> `goals[0].statement`; the root is ``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column of a value, as editors count them."""

    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1


@dataclass(slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    path: YamlPath = ()
    span: Span = field(default_factory=Span)
    file: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.span.line, self.span.column, self.code)

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": format_path(self.path),
        }


# Findings raised while a file is read and validated (txplan.plan), before
# any rule runs. The rule registry documents each under this name and
# severity, and refuses to register one that disagrees.
WHILE_READING: dict[str, tuple[str, Severity]] = {
    "F001": ("yaml-syntax", Severity.ERROR),
    "F002": ("schema", Severity.ERROR),
    "F003": ("format-version", Severity.ERROR),
    "F005": ("duplicate-key", Severity.ERROR),
    "C009": ("placeholder-text", Severity.ERROR),
}


def reading_finding(
    code: str, message: str, span: Span | None = None, path: YamlPath = ()
) -> Finding:
    """A finding of one of the codes raised while reading, with its rule's
    name and default severity."""
    name, severity = WHILE_READING[code]
    return Finding(code, name, severity, message, path, span or Span())
