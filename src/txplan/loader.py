"""Read a plan file into plain Python data plus the position of every value.

ruamel.yaml's C parser (ruamel.yaml.clib) composes the file into nodes that
carry their line and column; this module builds plain dicts, lists and
scalars from those nodes itself instead of using a constructor, because the
constructors raise on the very inputs a linter must report: duplicate keys,
impossible dates (`2026-13-01` raises a bare ValueError) and python tags.
Nothing here raises on bad input: every problem becomes an F001-F005 finding.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from txplan.findings import Finding, Span, YamlPath

MAX_BYTES = 1024 * 1024
# A real plan has a few hundred nodes; a bigger expansion is an alias bomb.
MAX_NODES = 50_000
# A plan is a few levels deep; far deeper input would exhaust the stack.
MAX_DEPTH = 64

_STD = "tag:yaml.org,2002:"
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_INT_OTHER = re.compile(r"^(0o[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)$")
_DATE = re.compile(r"^\d{4}-\d\d?-\d\d?$")


@dataclass
class Positions:
    """Where each value (and the key that names it) stands in the file."""

    values: dict[YamlPath, Span] = field(default_factory=dict)
    keys: dict[YamlPath, Span] = field(default_factory=dict)

    def span(self, path: YamlPath) -> Span:
        """The value at `path`, from its key when it has one; for a path that
        does not exist (a missing key) the nearest ancestor that does."""
        for cut in range(len(path), -1, -1):
            sub = path[:cut]
            value = self.values.get(sub)
            if value is None:
                continue
            key = self.keys.get(sub)
            if key is not None and (value.line != key.line or cut < len(path)):
                return Span(key.line, key.column, value.end_line, value.end_column)
            return value
        return Span()

    def key_span(self, path: YamlPath) -> Span:
        return self.keys.get(path) or self.span(path)


@dataclass
class Loaded:
    """A file read as far as it could be: data is None when it could not."""

    data: dict[str, Any] | None
    positions: Positions
    findings: list[Finding]
    lines: list[str]


def _finding(code: str, message: str, span: Span, path: YamlPath = ()) -> Finding:
    from txplan.rules import REGISTRY  # the registry knows names and severities

    rule = REGISTRY[code]
    return Finding(code, rule.name, rule.severity, message, path, span)


def _mark_span(start: Any, end: Any) -> Span:
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _decode(raw: bytes) -> tuple[str | None, Finding | None]:
    if len(raw) > MAX_BYTES:
        size = len(raw) / (1024 * 1024)
        return None, _finding(
            "F001",
            f"The file is {size:.1f} MiB; a plan is a few kilobytes and txplan reads at most "
            "1 MiB. Check that this is the plan file you meant.",
            Span(),
        )
    if b"\x00" in raw[:8192] or b"\x00" in raw:
        return None, _finding(
            "F001",
            "The file holds binary data, not text. A plan is a YAML text file; check that "
            "this is the plan file you meant.",
            Span(),
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, _finding(
            "F001",
            f"Byte 0x{raw[exc.start]:02x} is not UTF-8 text. Save the file as UTF-8 "
            "(most editors offer it under 'Save with encoding').",
            Span(line, column, line, column + 1),
        )


def _syntax_hint(problem: str, line_text: str) -> str:
    if "mapping values are not allowed" in problem:
        return (
            " A value that contains ': ' must be quoted or written as a folded block: "
            "`statement: >-` and the text on the next lines, indented."
        )
    if "unexpected ':'" in problem:
        return ' Quote a value that contains a colon, e.g. start: "13:03".'
    if "\t" in line_text and ("cannot start any token" in problem or "tab" in problem.lower()):
        return " Indent with spaces, not tabs."
    if "could not find expected ':'" in problem or "simple key" in problem:
        return " A line in a mapping needs `key: value`; a long text may need quoting."
    if "expected <block end>" in problem:
        return " Check the indentation of this line against the lines above it."
    if "found character" in problem and "`" in line_text:
        return " A value that starts with a special character must be quoted."
    return ""


def load_text(text: str) -> Loaded:
    """Compose `text` and build plain data; problems become findings."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    lines = text.splitlines()
    positions = Positions()
    yaml = YAML(typ="safe", pure=False)
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = exc.problem or "the YAML is not valid"
        if "expected a single document" in str(exc) or (
            exc.context and "single document" in exc.context
        ):
            problem = "the file holds more than one YAML document (a second `---`)"
            hint = " Keep one plan per file."
        else:
            line_text = lines[line - 1] if 0 < line <= len(lines) else ""
            hint = _syntax_hint(problem, line_text)
        message = f"The YAML cannot be read here: {problem}.{hint}"
        return Loaded(
            None, positions, [_finding("F001", message, Span(line, column, line, column))], lines
        )
    except (YAMLError, ValueError, RecursionError) as exc:
        message = f"The YAML cannot be read: {' '.join(str(exc).split())[:200]}."
        return Loaded(None, positions, [_finding("F001", message, Span())], lines)

    if root is None:
        message = "The file is empty. A plan starts with `txplan: 1` and `client: {id: ...}`."
        return Loaded(None, positions, [_finding("F003", message, Span())], lines)
    builder = _Builder(positions)
    if _too_deep(root):
        message = (
            f"The file nests values more than {MAX_DEPTH} levels deep, which no plan does. "
            "Check the brackets and indentation."
        )
        return Loaded(
            None,
            positions,
            [_finding("F001", message, _mark_span(root.start_mark, root.start_mark))],
            lines,
        )
    if builder.too_big(root):
        message = (
            f"The file expands to more than {MAX_NODES:,} values through YAML aliases (`*name`), "
            "which no plan needs. Write the repeated parts out instead of aliasing them."
        )
        return Loaded(
            None,
            positions,
            [_finding("F001", message, _mark_span(root.start_mark, root.start_mark))],
            lines,
        )
    data = builder.build(root, ())
    if not isinstance(data, dict):
        message = (
            "A plan is a set of `key: value` lines (a YAML mapping), starting with "
            "`txplan: 1`; this file holds a single value or a list."
        )
        builder.findings.append(
            _finding("F002", message, _mark_span(root.start_mark, root.end_mark))
        )
        return Loaded(None, positions, builder.findings, lines)
    return Loaded(data, positions, builder.findings, lines)


def load_bytes(raw: bytes) -> Loaded:
    text, problem = _decode(raw)
    if text is None:
        assert problem is not None
        return Loaded(None, Positions(), [problem], [])
    return load_text(text)


class _Builder:
    def __init__(self, positions: Positions) -> None:
        self.positions = positions
        self.findings: list[Finding] = []

    def too_big(self, root: Any) -> bool:
        """Count the values the tree expands to, each shared node once."""
        sizes: dict[int, int] = {}
        # Iterative post-order walk: a deep document must not hit the
        # recursion limit here.
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if id(node) in sizes:
                continue
            kids = _children(node)
            if done or not kids:
                total = 1 + sum(sizes.get(id(k), 1) for k in kids)
                sizes[id(node)] = total
                if total > MAX_NODES:
                    return True
                continue
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in sizes)
        return sizes.get(id(root), 1) > MAX_NODES

    def build(self, node: Any, path: YamlPath) -> Any:
        span = _mark_span(node.start_mark, node.end_mark)
        self.positions.values.setdefault(path, span)
        tag: str = node.tag or ""
        kind = type(node).__name__
        # `!` is YAML's non-specific tag: plain text.
        short = tag.removeprefix(_STD) if tag.startswith(_STD) else "str" if tag == "!" else "?"
        # A value under a foreign tag is reported and left out, so it is not
        # reported a second time as the wrong type.
        if kind == "MappingNode":
            if short != "map":
                self._bad_tag(tag, span, path)
                return None
            return self._mapping(node, path)
        if kind == "SequenceNode":
            if short != "seq":
                self._bad_tag(tag, span, path)
                return None
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, short, span, path)

    def _bad_tag(self, tag: str, span: Span, path: YamlPath) -> None:
        shown = tag.replace(_STD, "!!")
        self.findings.append(
            _finding(
                "F002",
                f"The tag `{shown}` is not allowed in a plan. A plan holds only text, numbers, "
                "dates, lists and mappings: remove the tag.",
                span,
                path,
            )
        )

    def _mapping(self, node: Any, path: YamlPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_span = _mark_span(key_node.start_mark, key_node.end_mark)
            if type(key_node).__name__ != "ScalarNode":
                self.findings.append(
                    _finding(
                        "F002",
                        "A key must be a plain word such as `statement`, not a list or mapping.",
                        key_span,
                        path,
                    )
                )
                continue
            key = str(key_node.value)
            if key == "<<":
                self.findings.append(
                    _finding(
                        "F002",
                        "YAML merge keys (`<<:`) are not supported in a plan; write the keys out.",
                        key_span,
                        path,
                    )
                )
                continue
            if key in out:
                first = self.positions.keys.get((*path, key), Span())
                self.findings.append(
                    _finding(
                        "F005",
                        f"The key `{key}` appears twice in this mapping (first on line "
                        f"{first.line}). Only one is kept; merge the two into one `{key}:`.",
                        key_span,
                        (*path, key),
                    )
                )
                continue
            self.positions.keys[(*path, key)] = key_span
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node: Any, short: str, span: Span, path: YamlPath) -> Any:
        value: str = node.value
        if short == "str" or node.style in ("'", '"', "|", ">"):
            return value
        if short == "null":
            return None
        if short == "bool":
            return value.lower() == "true"
        if short == "int":
            return _to_int(value)
        if short == "float":
            return _to_float(value)
        if short == "timestamp":
            return _to_date(value)
        if short in ("binary", "?") or not short:
            self._bad_tag(node.tag or "", span, path)
            return None
        return value


def _too_deep(root: Any) -> bool:
    stack = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend((kid, depth + 1) for kid in _children(node))
    return False


def _children(node: Any) -> list[Any]:
    kind = type(node).__name__
    if kind == "MappingNode":
        return [part for pair in node.value for part in pair]
    if kind == "SequenceNode":
        return list(node.value)
    return []


def _to_int(value: str) -> int | str:
    text = value.replace("_", "")
    try:
        if _INT.match(value) or _INT_OTHER.match(value):
            return int(text, 0) if not _INT.match(value) else int(text)
    except ValueError:
        pass
    return value


def _to_float(value: str) -> float | str:
    lowered = value.lower().lstrip("+")
    if lowered in (".inf", "-.inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    try:
        return float(value.replace("_", ""))
    except ValueError:
        return value


def _to_date(value: str) -> dt.date | dt.datetime | str:
    """A date, or the text unchanged so the model reports it with its place."""
    try:
        if _DATE.match(value):
            year, month, day = (int(p) for p in value.split("-"))
            return dt.date(year, month, day)
        return dt.datetime.fromisoformat(value.replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return value
