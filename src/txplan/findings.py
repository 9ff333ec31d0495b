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


@dataclass(frozen=True)
class Span:
    """1-based line and column of a value, as editors count them."""

    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1


@dataclass
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
