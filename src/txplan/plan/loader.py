"""Read a plan file into plain Python data plus the position of every value.

ruamel.yaml's C parser (ruamel.yaml.clib, libyaml) turns the file into
events that carry their line and column; this module builds plain dicts,
lists and scalars from the events itself, with an explicit stack, instead of
using ruamel's composer and constructors, because:

- the constructors raise on the very inputs a linter must report: duplicate
  keys, impossible dates (`2026-13-01` raises a bare ValueError), python tags;
- the C composer recurses, and a few hundred thousand nested brackets crash
  the interpreter (a segmentation fault, not even an exception);
- ruamel's implicit resolver was the largest single cost of reading a plan;
  unquoted scalars are resolved here by the YAML 1.2 core schema instead;
- counting values while building stops an alias bomb after MAX_NODES values.

Nothing here raises on bad input: every problem becomes an F001-F005 finding.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from txplan.findings import Finding, Span, YamlPath, reading_finding

MAX_BYTES = 1024 * 1024
# A real plan has a few hundred values; far more is an alias bomb.
MAX_NODES = 50_000
# A plan is a few levels deep; far deeper input would exhaust the stack.
MAX_DEPTH = 64

_STD = "tag:yaml.org,2002:"
_MAP = _STD + "map"
_SEQ = _STD + "seq"
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_INT_OTHER = re.compile(r"^(0o[0-7_]+|0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$")
_DATE = re.compile(r"^\d{4}-\d\d?-\d\d?$")

Marks = tuple[Any, Any]  # a node's start and end marks; a Span only when asked


def _span_of(marks: Marks) -> Span:
    start, end = marks
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


@dataclass
class Positions:
    """Where each value (and the key that names it) stands in the file."""

    values: dict[YamlPath, Marks] = field(default_factory=dict)
    keys: dict[YamlPath, Marks] = field(default_factory=dict)
    source: str = ""  # the text read, to place a part of a value (within)

    def span(self, path: YamlPath) -> Span:
        """The value at `path`, from its key when it has one; for a path that
        does not exist (a missing key) the nearest ancestor that does."""
        for cut in range(len(path), -1, -1):
            sub = path[:cut]
            marks = self.values.get(sub)
            if marks is None:
                continue
            value = _span_of(marks)
            key_marks = self.keys.get(sub)
            if key_marks is not None:
                key = _span_of(key_marks)
                if value.line != key.line or cut < len(path):
                    return Span(key.line, key.column, value.end_line, value.end_column)
            return value
        return Span()

    def key_span(self, path: YamlPath) -> Span:
        marks = self.keys.get(path)
        return _span_of(marks) if marks else self.span(path)

    def within(self, path: YamlPath, patterns: list[re.Pattern[str]]) -> list[Span | None]:
        """Where each pattern matches inside the source of the scalar at `path`,
        each searched after the one before: a part of a value at its own line
        and column, also inside a folded or literal block. None where the
        source does not show it (an alias, an escape sequence)."""
        marks = self.values.get(path)
        if marks is None or not 0 <= marks[0].index < marks[1].index <= len(self.source):
            return [None] * len(patterns)
        start, end = marks
        stop = end.index
        out: list[Span | None] = []
        cursor = start.index
        for pattern in patterns:
            match = pattern.search(self.source, cursor, stop)
            if match is None:
                out.append(None)
                continue
            first = self._place(start, match.start())
            last = self._place(start, match.end())
            out.append(Span(first[0], first[1], last[0], last[1]))
            cursor = match.end()
        return out

    def _place(self, start: Any, index: int) -> tuple[int, int]:
        """1-based line and column of a source index at or after a mark."""
        breaks = self.source.count("\n", start.index, index)
        if not breaks:
            return start.line + 1, start.column + 1 + index - start.index
        return start.line + 1 + breaks, index - self.source.rfind("\n", start.index, index)


@dataclass
class Loaded:
    """A file read as far as it could be: data is None when it could not."""

    data: dict[str, Any] | None
    positions: Positions
    findings: list[Finding]
    lines: list[str]


def _finding(code: str, message: str, span: Span, path: YamlPath = ()) -> Finding:
    return reading_finding(code, message, span, path)


def _decode(raw: bytes) -> tuple[str | None, Finding | None]:
    if len(raw) > MAX_BYTES:
        size = len(raw) / (1024 * 1024)
        return None, _finding(
            "F001",
            f"The file is {size:.1f} MiB; a plan is a few kilobytes and txplan reads at most "
            "1 MiB. Check that this is the plan file you meant.",
            Span(),
        )
    if b"\x00" in raw:
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


@cache
def _yaml() -> Any:
    """One YAML reader per process: building one scans for plug-ins."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False)


@cache
def _c_parser() -> Any:
    """libyaml's parser as ruamel.yaml.clib builds it, or None without it."""
    try:
        from _ruamel_yaml import CParser  # type: ignore[import-not-found]
    except ImportError:
        try:
            from _ruamel_yaml_clibz import CParser  # type: ignore[import-not-found]
        except ImportError:
            return None
    return CParser


def _events(text: str) -> Iterator[Any]:
    """The parser's events for `text`. The C parser is driven directly:
    `YAML.parse` builds a new loader class and a constructor for every
    document, which cost more than parsing a note."""
    parser_class = _c_parser()
    if parser_class is None:
        yield from _yaml().parse(text)
        return
    parser = parser_class(text)
    try:
        get = parser.get_event
        event = get()
        while event is not None:
            yield event
            event = get()
    finally:
        parser.dispose()


def _failed(code: str, message: str, span: Span, lines: list[str]) -> Loaded:
    return Loaded(None, Positions(), [_finding(code, message, span)], lines)


def _syntax_finding(exc: Any, lines: list[str]) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    problem = exc.problem or "the YAML is not valid"
    line_text = lines[line - 1] if 0 < line <= len(lines) else ""
    message = f"The YAML cannot be read here: {problem}.{_syntax_hint(problem, line_text)}"
    return _finding("F001", message, Span(line, column, line, column))


def load_text(text: str) -> Loaded:
    """Parse `text` and build plain data; problems become findings."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    lines = text.splitlines()
    builder = _Builder()
    try:
        builder.run(_events(text))
    except MarkedYAMLError as exc:
        return Loaded(None, Positions(), [_syntax_finding(exc, lines)], lines)
    except (YAMLError, ValueError) as exc:
        message = f"The YAML cannot be read: {' '.join(str(exc).split())[:200]}."
        return _failed("F001", message, Span(), lines)
    except _Stop as stop:
        return Loaded(None, Positions(), [stop.finding], lines)
    builder.positions.source = text
    if not builder.documents:
        message = "The file is empty. A plan starts with `txplan: 1` and `client: {id: ...}`."
        return _failed("F003", message, Span(), lines)
    data = builder.root
    if not isinstance(data, dict):
        message = (
            "A plan is a set of `key: value` lines (a YAML mapping), starting with "
            "`txplan: 1`; this file holds a single value or a list."
        )
        span = builder.positions.span(())
        return Loaded(
            None, builder.positions, [*builder.findings, _finding("F002", message, span)], lines
        )
    return Loaded(data, builder.positions, builder.findings, lines)


def load_bytes(raw: bytes) -> Loaded:
    text, problem = _decode(raw)
    if text is None:
        assert problem is not None
        return Loaded(None, Positions(), [problem], [])
    return load_text(text)


class _Stop(Exception):
    """The file cannot be read further; the finding says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


_DROPPED = object()  # a value left out (a foreign tag): reported, not stored


@dataclass(slots=True)
class _Frame:
    """A mapping or list being built.

    role: "value" (part of the plan), "key" (a container used as a mapping
    key: reported, and its value skipped) or "dropped" (under a foreign tag).
    Inside a key or dropped frame, path is None and nothing is recorded.
    """

    value: Any
    path: YamlPath | None
    start: Any
    anchor: str | None
    count_at_start: int
    role: str = "value"
    key: str | None = None
    has_key: bool = False


class _State:
    """What reading has built and found so far, and the findings it adds on the way.

    The placing of values (_Tree), the scalars and aliases (_Values), the
    containers (_Containers) and the event walk (_Builder) build on it in subclasses rather than as separate objects:
    a plan is read event by event, and one object with plain attributes keeps
    each lookup as cheap as it was in a single class.
    """

    def __init__(self) -> None:
        self.positions = Positions()
        self.findings: list[Finding] = []
        self.count = 0
        self.documents = 0
        self.root: Any = None
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}

    def _count(self, n: int = 1) -> None:
        # Counting as we go stops an alias bomb after MAX_NODES values,
        # long before its expansion (9 levels of 9 aliases: 387 million).
        self.count += n
        if self.count > MAX_NODES:
            raise _Stop(_too_many_values())

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _Stop(_second_document(event))

    def _bad_tag(self, tag: str, marks: Marks, path: YamlPath | None) -> None:
        shown = tag.replace(_STD, "!!")
        self.findings.append(
            _finding(
                "F002",
                f"The tag `{shown}` is not allowed in a plan. A plan holds only text, numbers, "
                "dates, lists and mappings: remove the tag.",
                _span_of(marks),
                path or (),
            )
        )

    def _problem(self, message: str, marks: Marks) -> None:
        path = self.stack[-1].path if self.stack else ()
        self.findings.append(_finding("F002", message, _span_of(marks), path or ()))


class _Tree(_State):
    """Where each value goes: the slot the next value fills in the open mapping or
    list, its key, and the record of where keys stand."""

    def _slot(self) -> tuple[YamlPath | None, bool]:
        """The path of the next value (None if not recorded), and whether it is a key."""
        if not self.stack:
            return (), False
        top = self.stack[-1]
        if isinstance(top.value, dict) and not top.has_key:
            return None, True
        if top.path is None:
            return None, False
        if isinstance(top.value, dict):
            return (None if top.key is None else (*top.path, top.key)), False
        return (*top.path, len(top.value)), False

    def _place(self, value: Any, anchor: str | None, started: int) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, max(1, self.count - started))
        if not self.stack:
            self.root = None if value is _DROPPED else value
            return
        top = self.stack[-1]
        if isinstance(top.value, dict):
            key, top.key, top.has_key = top.key, None, False
            if key is not None:
                top.value[key] = None if value is _DROPPED else value
        else:
            # A dropped item leaves None, so later items keep their index (and line).
            top.value.append(None if value is _DROPPED else value)

    def _take_key(self, key: str, marks: Marks, plain: bool) -> None:
        top = self.stack[-1]
        top.has_key = True
        if key == "<<" and plain:
            self._problem(
                "YAML merge keys (`<<:`) are not supported in a plan; write the keys out.", marks
            )
            top.key = None
            return
        if key in top.value:
            if top.path is not None:
                first = self.positions.key_span((*top.path, key))
                self.findings.append(
                    _finding(
                        "F005",
                        f"The key `{key}` appears twice in this mapping (first on line "
                        f"{first.line}). Only one is kept; merge the two into one `{key}:`.",
                        _span_of(marks),
                        (*top.path, key),
                    )
                )
            top.key = None
            return
        top.key = key
        if top.path is not None:
            self.positions.keys[(*top.path, key)] = marks

    def _skip_next_value(self) -> None:
        top = self.stack[-1]
        top.has_key, top.key = True, None


class _Values(_Tree):
    """A value in the open mapping or list: a scalar, or an alias copied in."""

    def _scalar(self, event: Any) -> None:
        self._count()
        path, is_key = self._slot()
        marks = (event.start_mark, event.end_mark)
        if is_key:
            self._take_key(event.value, marks, plain=event.tag is None and event.implicit[0])
            return
        value = _scalar_value(event)
        if value is _DROPPED:
            self._bad_tag(event.tag, marks, path)
        if path is not None:
            self.positions.values.setdefault(path, marks)
        self._place(value, event.anchor, self.count - 1)

    def _alias(self, event: Any) -> None:
        import copy

        marks = (event.start_mark, event.end_mark)
        if event.anchor not in self.anchors:
            raise _Stop(_unknown_alias(event.anchor, marks))
        value, size = self.anchors[event.anchor]
        self._count(size)
        path, is_key = self._slot()
        if is_key:
            self._problem("A key must be a plain word, not an alias.", marks)
            self._skip_next_value()
            return
        if path is not None:
            self.positions.values.setdefault(path, marks)
        self._place(copy.deepcopy(value), None, self.count)


class _Containers(_Values):
    """Mappings and lists opening and closing: a frame on the stack for each."""

    def _start(self, event: Any, container: dict[str, Any] | list[Any], expected: str) -> None:
        self._count()
        marks = (event.start_mark, event.end_mark)
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(_too_deep(marks))
        path, is_key = self._slot()
        role = "value"
        if is_key:
            self._problem(
                "A key must be a plain word such as `statement`, not a list or mapping.", marks
            )
            role, path = "key", None
        elif event.tag not in (None, "!", expected):
            self._bad_tag(event.tag, marks, path)
            role, path = "dropped", None
        self.stack.append(
            _Frame(container, path, event.start_mark, event.anchor, self.count - 1, role)
        )

    def _end(self, event: Any) -> None:
        frame = self.stack.pop()
        if frame.role == "key":
            self._skip_next_value()
            return
        if frame.path is not None:
            self.positions.values.setdefault(frame.path, (frame.start, event.end_mark))
        value = _DROPPED if frame.role == "dropped" else frame.value
        self._place(value, frame.anchor, frame.count_at_start)

    def _open(self, event: Any, opened: dict[str, Any] | list[Any], expected: str) -> None:
        """A mapping or list opening: the short path of _start."""
        stack = self.stack
        tag = event.tag
        plain = tag is None or tag == "!" or tag == expected
        if event.anchor is not None or not plain or not stack or len(stack) >= MAX_DEPTH:
            self._start(event, opened, expected)
            return
        top = stack[-1]
        container = top.value
        if type(container) is list:
            path = None if top.path is None else (*top.path, len(container))
        elif top.has_key:
            path = None if top.path is None or top.key is None else (*top.path, top.key)
        else:
            self._start(event, opened, expected)  # a list or mapping as a key
            return
        self.count += 1
        if self.count > MAX_NODES:
            raise _Stop(_too_many_values())
        stack.append(_Frame(opened, path, event.start_mark, None, self.count - 1))

    def _close(self, event: Any) -> None:
        """A mapping or list closing: the short path of _end."""
        stack = self.stack
        frame = stack[-1]
        if frame.role != "value" or frame.anchor is not None or len(stack) == 1:
            self._end(event)
            return
        stack.pop()
        if frame.path is not None:
            self.positions.values.setdefault(frame.path, (frame.start, event.end_mark))
        top = stack[-1]
        container = top.value
        if type(container) is list:
            container.append(frame.value)
        else:
            key = top.key
            top.key, top.has_key = None, False
            if key is not None:
                container[key] = frame.value


class _Builder(_Containers):
    """The walk over the parser's events."""

    def run(self, events: Iterable[Any]) -> None:
        """Build from `events`. The common events (a plain or quoted value, a
        mapping or list opening or closing, with no anchor or tag, below the
        document's top) take a short path, values inline: a plan is hundreds
        of events and a caseload millions, and the general handlers' method
        calls per step were most of the time spent reading. Everything else
        goes to `handle`; the short path does what it would do."""
        scalar, mapping, sequence, mapping_end, sequence_end = _event_kinds()[:5]
        stack = self.stack
        record = self.positions.values.setdefault
        keys = self.positions.keys
        for event in events:
            kind = type(event)
            if kind is scalar and event.tag is None and event.anchor is None and stack:
                self.count += 1
                if self.count > MAX_NODES:
                    raise _Stop(_too_many_values())
                top = stack[-1]
                container = top.value
                if type(container) is list:
                    if top.path is not None:
                        record((*top.path, len(container)), (event.start_mark, event.end_mark))
                    container.append(_plain(event.value) if event.implicit[0] else event.value)
                elif top.has_key:
                    key = top.key
                    top.key, top.has_key = None, False
                    if key is not None:
                        if top.path is not None:
                            record((*top.path, key), (event.start_mark, event.end_mark))
                        container[key] = _plain(event.value) if event.implicit[0] else event.value
                elif event.value == "<<" or event.value in container:
                    marks = (event.start_mark, event.end_mark)
                    self._take_key(event.value, marks, plain=event.implicit[0])
                else:
                    top.key, top.has_key = event.value, True
                    if top.path is not None:
                        keys[(*top.path, event.value)] = (event.start_mark, event.end_mark)
            elif kind is mapping:
                self._open(event, {}, _MAP)
            elif kind is sequence:
                self._open(event, [], _SEQ)
            elif kind is mapping_end or kind is sequence_end:
                self._close(event)
            else:
                self.handle(event)

    def handle(self, event: Any) -> None:
        """Any event, by the general handlers, which hold the rules."""
        scalar, mapping, sequence, mapping_end, sequence_end, alias, document = _event_kinds()
        kind = type(event)
        if kind is scalar:
            self._scalar(event)
        elif kind is mapping:
            self._start(event, {}, _MAP)
        elif kind is sequence:
            self._start(event, [], _SEQ)
        elif kind is mapping_end or kind is sequence_end:
            self._end(event)
        elif kind is alias:
            self._alias(event)
        elif kind is document:
            self._document(event)


@cache
def _event_kinds() -> tuple[type, ...]:
    """ruamel's event classes, imported on the first read."""
    from ruamel.yaml import events

    return (
        events.ScalarEvent,
        events.MappingStartEvent,
        events.SequenceStartEvent,
        events.MappingEndEvent,
        events.SequenceEndEvent,
        events.AliasEvent,
        events.DocumentStartEvent,
    )


def _scalar_value(event: Any) -> Any:
    """A scalar event's value; _DROPPED under a tag a plan may not use."""
    tag = event.tag
    if tag is None:
        return _plain(event.value) if event.implicit[0] else event.value
    short = tag.removeprefix(_STD) if tag.startswith(_STD) else "?"
    if tag == "!" or short == "str" or event.style:
        return event.value
    if short in ("null", "bool", "int", "float", "timestamp"):
        return _plain(event.value)
    return _DROPPED


def _too_many_values() -> Finding:
    return _finding(
        "F001",
        f"The file expands to more than {MAX_NODES:,} values through YAML aliases "
        "(`*name`), which no plan needs. Write the repeated parts out instead.",
        Span(),
    )


def _second_document(event: Any) -> Finding:
    return _finding(
        "F001",
        "The file holds more than one YAML document (a second `---`). Keep one plan per file.",
        _span_of((event.start_mark, event.start_mark)),
    )


def _too_deep(marks: Marks) -> Finding:
    return _finding(
        "F001",
        f"The file nests values more than {MAX_DEPTH} levels deep, which no plan "
        "does. Check the brackets and indentation.",
        _span_of(marks),
    )


def _unknown_alias(anchor: str, marks: Marks) -> Finding:
    return _finding(
        "F001", f"The alias `*{anchor}` names no anchor `&{anchor}` above it.", _span_of(marks)
    )


def _plain(value: str) -> Any:
    """An unquoted scalar by the YAML 1.2 core schema, as ruamel would read it."""
    if value in _NULL:
        return None
    first = value[0]
    if first in "tTfF" and value in _BOOL:
        return _BOOL[value]
    if first.isdigit() or first in "+-.":
        if _INT.match(value) or _INT_OTHER.match(value):
            return _to_int(value)
        if _TIMESTAMP.match(value):
            return _to_date(value)
        if value.lower() in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[value.lower()]
        if _FLOAT.match(value):
            return _to_float(value)
    return value


def _to_int(value: str) -> int | str:
    try:
        return int(value.replace("_", ""), 0 if value[:2] in ("0o", "0x") else 10)
    except ValueError:
        return value


def _to_float(value: str) -> float | str:
    try:
        return float(value.replace("_", ""))
    except ValueError:
        return value


def _to_date(value: str) -> dt.date | dt.datetime | str:
    """A date, or the text unchanged so the model reports it with its place."""
    try:
        if _DATE.match(value):
            if len(value) == 10:  # YYYY-MM-DD, the way nearly every date is written
                return dt.date.fromisoformat(value)
            year, month, day = (int(p) for p in value.split("-"))
            return dt.date(year, month, day)
        return dt.datetime.fromisoformat(value.replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return value
