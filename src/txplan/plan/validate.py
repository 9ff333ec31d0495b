"""Turn loaded data into a Plan, reporting what does not fit as F002/F003
(or C009, for a scaffold placeholder in a typed field).

A value that fails validation is reported at its line and then set aside
(the key removed, a list item emptied) and the rest validated again, so one
bad date does not hide every other finding in the plan.
"""

from __future__ import annotations

import copy
import math
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from txplan.findings import Finding, Span, YamlPath, format_path
from txplan.findings import reading_finding as _finding
from txplan.plan.loader import Positions

_MAX_PASSES = 8


def _field_type(model: Any, loc: YamlPath) -> Any:
    """The annotation reached by following `loc` from `model` (None if lost)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
            continue
        fields = getattr(_model_of(current), "model_fields", None)
        if fields is None or part not in fields:
            return None
        current = fields[part].annotation
    return _unwrap(current)


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X; Annotated[X, ...] -> X."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def _model_of(annotation: Any) -> Any:
    """A text-or-mapping item (a safety plan's support) navigates as its mapping."""
    if hasattr(annotation, "model_fields"):
        return annotation
    models = [_unwrap(a) for a in typing.get_args(annotation)]
    return next((m for m in models if hasattr(m, "model_fields")), annotation)


def _known_keys(model: Any, loc: YamlPath) -> list[str]:
    target = _model_of(_field_type(model, loc))
    fields = getattr(target, "model_fields", None)
    return list(fields) if fields else []


def _did_you_mean(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"Did you mean `{close[0]}`? " if close else ""


_PATTERN_ADVICE = {
    "start": 'Write the time as "HH:MM" in 24-hour form, quoted, e.g. "13:05".',
    "end": 'Write the time as "HH:MM" in 24-hour form, quoted, e.g. "13:55".',
    "npi": 'An NPI is exactly 10 digits; quote it, e.g. npi: "1234567890".',
}

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with `- `, or `[a, b]`)",
    "model_type": "a mapping of `key: value` lines",
    "dict_type": "a mapping of `key: value` lines",
    "model_attributes_type": "a mapping of `key: value` lines",
}


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"  # as the plan wrote it
    text = str(value)
    return f"`{text[:60]}{'…' if len(text) > 60 else ''}`"


def _message(model: Any, error: dict[str, Any]) -> tuple[str, bool]:
    """The finding's text, and whether it points at the key (not the value)."""
    loc: YamlPath = tuple(error["loc"])
    kind: str = error["type"]
    where = format_path(loc)
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _known_keys(model, loc[:-1])
        parent = format_path(loc[:-1]) or "the top level of the plan"
        hint = _did_you_mean(key, known)
        if not hint and value is None:
            # `{name: Depression, recurrent}` makes `recurrent` a key.
            hint = (
                "If this word belongs to the text before it, quote that text: inside `{...}` "
                "a comma starts a new key. "
            )
        listed = ", ".join(known)
        return (
            f"Unknown key `{key}` in {parent}. {hint}Known keys here: {listed}.",
            True,
        )
    if kind == "missing":
        return f"`{where}` is required.", True
    if kind == "literal_error":
        expected = typing.get_args(_field_type(model, loc)) or ()
        choices = [str(c) for c in expected]
        hint = _did_you_mean(str(value), choices)
        return (
            f"{_shown(value)} is not a valid `{loc[-1]}`. {hint}Write one of: "
            f"{', '.join(choices)}.",
            False,
        )
    if kind.startswith("date") or kind.startswith("datetime"):
        return (
            f"{_shown(value)} is not a valid date for `{where}`. Write a real calendar date "
            "as YYYY-MM-DD, e.g. 2026-01-12.",
            False,
        )
    if loc == ("client", "id") and isinstance(value, str) and kind.startswith("string_"):
        from txplan.plan import identity

        problem = identity.client_id_problem(value) or "it does not have the shape of one"
        return (
            f"`{identity.shown(value)}` is not a client ID: {problem}. Write a record number, "
            f"{identity.CLIENT_ID_SHAPE}; it names the file, so never the client's name.",
            False,
        )
    if kind == "string_pattern_mismatch":
        advice = _PATTERN_ADVICE.get(str(loc[-1]), "Check the spelling of this value.")
        return f"{_shown(value)} is not a valid `{where}`. {advice}", False
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{_shown(value)} is out of range for `{where}`: {error['msg'].lower()}.", False
    wanted = _TYPE_WORDS.get(kind)
    if wanted:
        return f"`{where}` should be {wanted}, not {_shown(value)}.", False
    return f"`{where}`: {error['msg']}.", False


def _prune(model: Any, data: Any, loc: YamlPath) -> bool:
    """Set aside the value at `loc` so validation can go on without it."""
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = loc[-1]
    if isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        # Keep the list's length so later items keep their index (and line).
        item_type = _field_type(model, loc)
        parent[last] = {} if hasattr(item_type, "model_fields") else ""
        return True
    return False


def _format_version(data: dict[str, Any], positions: Positions) -> Finding | None:
    from txplan.plan.model import FORMAT_VERSION

    if "txplan" not in data:
        return _finding(
            "F003",
            f"The plan does not say its format. Add `txplan: {FORMAT_VERSION}` as the first line.",
            Span(1, 1, 1, 1),
        )
    version = data["txplan"]
    if version != FORMAT_VERSION or isinstance(version, bool):
        return _finding(
            "F003",
            f"`txplan: {version}` is not a format this version of txplan knows. "
            f"Write `txplan: {FORMAT_VERSION}`.",
            positions.span(("txplan",)),
            ("txplan",),
        )
    return None


def _not_finite(value: Any) -> str | None:
    """What is wrong with a number no plan can use (infinite, NaN, beyond a
    float's range); None for anything else. Such a number would reach JSON,
    SARIF and FHIR output as `Infinity` or `NaN`, which is not JSON."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        if math.isnan(value):
            return "`.nan` (not a number)"
        sign = "-" if value < 0 else ""
        return f"an infinite number (`{sign}.inf`, or a number beyond 1e308 such as 1e400)"
    if isinstance(value, int):
        try:
            float(value)
        except OverflowError:
            return "a number beyond 1e308, too large to store"
    return None


def _holds_unusable_number(data: Any) -> bool:
    """Whether a number _not_finite refuses is anywhere in the data: a walk
    without paths, since nearly every plan has none (a float is unusable
    only when infinite or NaN, an int only when beyond a float's range)."""
    todo = [data]
    while todo:
        value = todo.pop()
        kind = type(value)
        if kind is dict:
            todo.extend(value.values())
        elif kind is list:
            todo.extend(value)
        elif kind is float:
            if not math.isfinite(value):
                return True
        elif kind is int:
            if value.bit_length() > 1000:
                return True
        elif kind is not str and kind is not bool and isinstance(value, dict | list | float | int):
            return True  # a subclass: let the full walk judge it
    return False


def _numbers_out_of_range(data: Any, loc: YamlPath = ()) -> Iterator[tuple[YamlPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _numbers_out_of_range(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _numbers_out_of_range(value, (*loc, i))
    else:
        problem = _not_finite(data)
        if problem:
            yield loc, problem


def _set_aside_numbers(
    data: dict[str, Any], found: list[tuple[YamlPath, str]], positions: Positions, result: Validated
) -> None:
    """Report and set aside every non-finite number in a field of the plan."""
    from txplan.plan.model import Plan

    for loc, problem in found:
        kind = _field_type(Plan, loc)
        if kind not in (int, float, str):
            # An unknown key, or a field that takes no number (a date, a choice,
            # a mapping): the model reports it as such, and it never reaches the plan.
            continue
        if kind in (int, float):
            advice = "A finite number is needed here, e.g. 12."
        else:
            advice = 'Only finite numbers can be stored; if this is text, quote it (e.g. `"..."`).'
        result.findings.append(
            _finding(
                "F002",
                f"`{format_path(loc)}` holds {problem}. {advice}",
                positions.span(loc),
                loc,
            )
        )
        if _prune(Plan, data, loc):
            result.set_aside.append(loc)


def _number_id(value: Any, positions: Positions) -> tuple[Finding, str] | None:
    """A client ID written as a bare number (`id: 1043`, `id: 1e5`), which
    YAML reads as a number: the finding, and the ID as written."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    loc: YamlPath = ("client", "id")
    marks = positions.values.get(loc)
    written = str(value)
    if marks is not None and 0 <= marks[0].index < marks[1].index <= len(positions.source):
        written = positions.source[marks[0].index : marks[1].index]
    from txplan.plan import identity

    if isinstance(value, float) and not math.isfinite(value):
        as_read = "infinity"
    else:
        as_read = str(value if isinstance(value, int) else repr(value))
    reading = f" ({as_read})" if as_read != written else ""
    message = (
        f"The client ID `{identity.shown(written)}` is written without quotes, so YAML reads "
        f"it as a number{reading}: an ID is text, and as a number it can change (`01043` "
        f'reads as 1043, `1e5` as 100000.0). Quote it: `id: "{written}"`.'
    )
    return _finding("F002", message, positions.span(loc), loc), written


@dataclass
class Validated:
    """The Plan (None if it cannot be built), the findings on the way, and the
    paths of values set aside as invalid: rule findings about what is missing
    there are consequences of those, and the engine drops them."""

    plan: Any
    findings: list[Finding] = field(default_factory=list)
    set_aside: list[YamlPath] = field(default_factory=list)


def validate(data: dict[str, Any], positions: Positions) -> Validated:
    from pydantic import ValidationError

    from txplan.plan.model import UNION_TAGS, Plan

    version_problem = _format_version(data, positions)
    if version_problem:
        return Validated(None, [version_problem])
    client = data.get("client")
    if not isinstance(client, dict) or client.get("id") in (None, ""):
        return Validated(
            None,
            [
                _finding(
                    "F002",
                    "The plan needs a client ID: add `client:` with `id: C-1042` (the ID, never "
                    "the client's name, since it names the file).",
                    positions.span(("client",)),
                    ("client", "id"),
                )
            ],
        )
    result = Validated(None)
    # Values are set aside in a copy: the caller's data stays as read (the
    # engine compares it with the last commit for X002).
    original = data
    written = _number_id(client["id"], positions)
    if written is not None:
        result.findings.append(written[0])
        # Checked from here on as the clinician wrote it, so the rest of the
        # plan still gets its report.
        data = copy.deepcopy(original)
        data["client"]["id"] = written[1]
    found = list(_numbers_out_of_range(data)) if _holds_unusable_number(data) else []
    if found:
        if data is original:
            data = copy.deepcopy(original)
        _set_aside_numbers(data, found, positions, result)
        if ("client", "id") in result.set_aside:
            return result
    seen: set[tuple[YamlPath, str]] = set()
    for _ in range(_MAX_PASSES):
        try:
            result.plan = Plan.model_validate(data)
            return result
        except ValidationError as exc:
            if data is original:
                data = copy.deepcopy(original)
            progressed = False
            for error in exc.errors(include_url=False):
                loc: YamlPath = tuple(p for p in error["loc"] if p not in UNION_TAGS)
                error["loc"] = loc
                if (loc, error["type"]) in seen:
                    continue
                seen.add((loc, error["type"]))
                result.findings.extend(_problems(dict(error), loc, positions))
                if loc[:2] == ("client", "id") or loc == ("txplan",):
                    return result
                if _prune(Plan, data, loc):
                    progressed = True
                    result.set_aside.append(loc)
            if not progressed:
                break
    return result


def _problems(error: dict[str, Any], loc: YamlPath, positions: Positions) -> list[Finding]:
    from txplan.plan import placeholders
    from txplan.plan.model import Plan

    value = error.get("input")
    if isinstance(value, str) and error["type"] != "extra_forbidden":
        # A scaffold's `<# score>` in a number field is not yet a wrong
        # value: it is text to fill in (C009), not a type error (F002).
        hits = list(placeholders.hits(value, loc, positions))
        if hits:
            return [
                _finding("C009", hit[1], hit[2] if len(hit) == 3 else positions.span(loc), loc)
                for hit in hits
            ]
    message, at_key = _message(Plan, error)
    span = positions.key_span(loc) if at_key else positions.span(loc)
    return [_finding("F002", message, span, loc)]


def plan_of(loaded: Any) -> Any:
    """The Plan in a loaded file, or None if it does not read as one (lint says why)."""
    if loaded.data is None:
        return None
    return validate(loaded.data, loaded.positions).plan
