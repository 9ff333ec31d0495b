"""Reading a session note: its YAML front matter with positions, validated.

The front matter is parsed by the plan's own reader (txplan.plan.loader),
so the limits that protect lint (size, binary data, aliases, depth) and the
positions (line and column in the note itself) are the same. The Markdown
body after the closing `---` is the clinician's free text and is not judged.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from txplan.findings import Finding, Span, YamlPath
from txplan.findings import reading_finding as _finding
from txplan.plan.loader import Loaded, Positions, load_bytes

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_MAX_PASSES = 8

START_HINT = (
    "A note starts with front matter: a `---` line, `txplan_note: 1`, `client: C-1042` "
    "and the session's details, then a closing `---` line before the note's text."
)


@dataclass
class ReadNote:
    """A note read as far as it could be: note is None when it could not."""

    loaded: Loaded
    note: Any = None  # txplan.plan.notes.model.Note
    findings: list[Finding] = field(default_factory=list)
    set_aside: list[YamlPath] = field(default_factory=list)

    @property
    def positions(self) -> Positions:
        return self.loaded.positions


def front_matter(text: str) -> tuple[str, int] | None:
    """The front matter's YAML (the opening `---` line included, so every
    position is the note's own line) and the number of its closing line;
    None when the text does not start with front matter or never closes it."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].rstrip("\r")):
        return None
    for number, line in enumerate(lines[1:], start=2):
        if _CLOSE.match(line.rstrip("\r")):
            return "\n".join(lines[: number - 1]) + "\n", number
    return None


def read_note(raw: bytes) -> ReadNote:
    """The note in `raw`, with what reading and validating found."""
    from txplan.plan.loader import load_text

    if not raw.strip():
        empty = Loaded(None, Positions(), [], [])
        return ReadNote(empty, findings=[_finding("F003", "The note is empty. " + START_HINT)])
    text = _text(raw)
    if isinstance(text, Loaded):
        return ReadNote(text, findings=list(text.findings))
    fenced = front_matter(text)
    if fenced is None:
        lines = text.splitlines()
        empty = Loaded(None, Positions(), [], lines)
        if lines and _FENCE.match(lines[0].rstrip("\r")):
            message = "The front matter has no closing `---` line. " + START_HINT
            return ReadNote(empty, findings=[_finding("F001", message)])
        return ReadNote(empty, findings=[_finding("F003", START_HINT)])
    yaml_text, _ = fenced
    loaded = load_text(yaml_text)
    loaded.lines = text.splitlines()  # suppressions and reports see the whole note
    read = ReadNote(loaded, findings=[_as_note(f) for f in loaded.findings])
    if loaded.data is not None:
        _validate(loaded.data, loaded.positions, read)
    return read


def _text(raw: bytes) -> str | Loaded:
    """The decoded text, or a Loaded holding why it could not be decoded."""
    loaded = load_bytes(raw) if (b"\x00" in raw or len(raw) > _limit()) else None
    if loaded is not None:
        return loaded
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return load_bytes(raw)  # the loader says where the bad byte is


def _limit() -> int:
    from txplan.plan.loader import MAX_BYTES

    return MAX_BYTES


def _as_note(found: Finding) -> Finding:
    """The loader speaks of plans; a note's reader says note."""
    if found.code == "F003" and found.message.startswith("The file is empty"):
        return _finding("F003", "The front matter is empty. " + START_HINT, found.span)
    if found.code == "F002" and "A plan is a set of" in found.message:
        return _finding(
            "F002",
            "The front matter is a set of `key: value` lines (a YAML mapping), starting "
            "with `txplan_note: 1`.",
            found.span,
        )
    return found


def _validate(data: dict[str, Any], positions: Positions, read: ReadNote) -> None:
    from pydantic import ValidationError

    from txplan.plan.notes.model import NOTE_FORMAT_VERSION, Note
    from txplan.plan.validate import _message, _prune

    version = data.get("txplan_note")
    if version != NOTE_FORMAT_VERSION or isinstance(version, bool):
        shown = "missing" if version is None else f"`{version}`"
        read.findings.append(
            _finding(
                "F003",
                f"The note format version is {shown}; write `txplan_note: 1` as the first "
                "line of the front matter.",
                positions.span(("txplan_note",)) if version is not None else Span(),
                ("txplan_note",),
            )
        )
        return
    if data.get("client") in (None, ""):
        read.findings.append(
            _finding(
                "F002",
                "The note needs the client ID of the plan it belongs to: add `client: C-1042`.",
                positions.span(()),
                ("client",),
            )
        )
        return
    original, seen = data, set()
    for _ in range(_MAX_PASSES):
        try:
            read.note = Note.model_validate(data)
            break
        except ValidationError as exc:
            if data is original:
                data = copy.deepcopy(original)
            progressed = False
            for error in _one_per_union(exc.errors(include_url=False)):
                loc: YamlPath = error["loc"]
                if (loc, error["type"]) in seen:
                    continue
                seen.add((loc, error["type"]))
                problem = _problem(Note, error, loc, positions, _message)
                if problem is not None:
                    read.findings.append(problem)
                if loc[:1] == ("client",):
                    return
                cut = loc[:1] if loc[:1] and loc[0] in _UNIONS else loc
                if _prune(Note, data, cut):
                    progressed = True
                    read.set_aside.append(cut)
            if not progressed:
                break
    read.findings.extend(_placeholders(original, positions))


_UNIONS = ("cpt", "participants")


def _one_per_union(errors: list[Any]) -> list[Any]:
    """pydantic reports a value a union refused once per branch (`cpt` is not
    text, and not a list): keep the most specific, so the note gets one finding."""
    for error in errors:
        error["loc"] = tuple(p for p in error["loc"] if not _union_tag(p))
    deepest: dict[str, int] = {}
    for error in errors:
        top = error["loc"][:1]
        if top and top[0] in _UNIONS:
            deepest[top[0]] = max(deepest.get(top[0], 0), len(error["loc"]))
    kept, seen = [], set()
    for error in errors:
        loc = error["loc"]
        if loc[:1] and loc[0] in deepest:
            if len(loc) < deepest[loc[0]] or loc in seen:
                continue
            seen.add(loc)
        kept.append(error)
    return kept


def _union_tag(part: Any) -> bool:
    # pydantic names the branch of a union it tried (`str`, `list[str]`,
    # `constrained-str`, `function-before[...]`): not a key of the note.
    return isinstance(part, str) and (
        part in ("str", "int", "list[str]", "constrained-str", "list[constrained-str]")
        or part.startswith(("function-", "list[", "constrained-"))
    )


def _problem(
    model: Any, error: Any, loc: YamlPath, positions: Positions, message: Any
) -> Finding | None:
    """F002 for a value the model refused; None for a scaffold placeholder
    still standing in a typed field (`start: "<HH:MM>"`): C009 reports it."""
    from txplan.plan import placeholders

    value = error.get("input")
    if isinstance(value, str) and error["type"] != "extra_forbidden" and placeholders.find(value):
        return None
    text, at_key = message(model, dict(error))
    text = text.replace("the top level of the plan", "the note's front matter")
    if loc == ("cpt",) or loc[:1] == ("cpt",):
        text = (
            f"{text.rstrip('.')}. A CPT code is five characters, quoted, e.g. "
            '`cpt: "90837"`; with add-ons, a list: `cpt: ["90837", "90785"]`.'
        )
    elif loc[:1] == ("participants",):
        text = (
            f"{text.split('. ')[0].rstrip('.')}. Write who took part, as a list: `[client]`, "
            "`[client, mother]`; for a group, the number of members: `participants: 8`."
        )
    span = positions.key_span(loc) if at_key else positions.span(loc)
    return _finding("F002", text, span, loc)


def _placeholders(data: Any, positions: Positions) -> Iterator[Finding]:
    """C009 for every scaffold placeholder still in the front matter."""
    from txplan.plan import placeholders

    texts = list(_texts(data, ()))
    # One search over them all first: nearly every note has none. A match
    # across two of the texts only means they are searched one by one.
    if not placeholders.PATTERN.search("\n".join(text for _, text in texts)):
        return
    for path, text in texts:
        for hit in placeholders.hits(text, path, positions):
            span = hit[2] if len(hit) == 3 else positions.span(path)
            yield _finding(
                "C009", hit[1].replace("this plan records", "this note records"), span, path
            )


def _texts(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))
