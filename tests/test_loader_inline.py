"""The loader's inline walk builds exactly what its event handlers build.

`_Builder.run` handles the common events itself, for speed, and leaves the
rest (anchors, tags, containers as keys, duplicates, merge keys, the root) to
`handle`, the general handlers. The reference here sends every event to
`handle`; on any YAML, valid or not, both must give the same data,
positions and findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from txplan.plan import loader

ROOT = Path(__file__).parent.parent


def _read(text: str, short_path: bool) -> Any:
    made = loader._Builder()
    try:
        if short_path:
            made.run(loader._events(text))
        else:
            for event in loader._events(text):
                made.handle(event)
    except loader._Stop as stop:
        return ("stopped", stop.finding)
    except Exception as exc:  # the parser's own errors: both must raise the same
        return ("raised", type(exc).__name__, str(exc))
    spans = {path: loader._span_of(marks) for path, marks in made.positions.values.items()}
    keys = {path: loader._span_of(marks) for path, marks in made.positions.keys.items()}
    return (repr(made.root), spans, keys, made.findings, made.documents, made.count)


def _same(text: str) -> None:
    assert _read(text, short_path=True) == _read(text, short_path=False), text


_KEYS = st.sampled_from(["id", "goals", "<<", "statement", "a", "id", "'q'", '"<<"', "1"])
_SCALARS = st.sampled_from(
    [
        "Sleep",
        "'quoted'",
        '"double"',
        "12",
        "1.5",
        "2026-02-01",
        "2026-13-01",
        "~",
        "yes",
        "true",
        ".inf",
        "!!str 5",
        "!!int 7",
        "!custom x",
        "!!python/object:os.system x",
        "&a A",
        "*a",
        "*missing",
        "[1, two, &b {x: 1}]",
        "{k: v, k: w}",
        "[]",
        "{}",
        "!!map {x: 1}",
        "!!seq [1]",
        "&c [3]",
        "*c",
        "*b",
    ]
)


@st.composite
def _block(draw: Any, depth: int = 0) -> str:
    lines: list[str] = []
    pad = "  " * depth
    for _ in range(draw(st.integers(1, 4))):
        shape = draw(st.sampled_from(["scalar", "scalar", "map", "list", "complex-key"]))
        key = draw(_KEYS)
        if shape == "scalar" or depth >= 3:
            lines.append(f"{pad}{key}: {draw(_SCALARS)}")
        elif shape == "map":
            anchor = draw(st.sampled_from(["", " &m", " !!map", " !x"]))
            lines.append(f"{pad}{key}:{anchor}")
            lines.append(draw(_block(depth + 1)))
        elif shape == "list":
            lines.append(f"{pad}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                if draw(st.booleans()):
                    lines.append(f"{pad}  - {draw(_SCALARS)}")
                else:
                    inner = draw(_block(depth + 2)).lstrip()
                    lines.append(f"{pad}  - {inner}")
        else:
            lines.append(f"{pad}? [{draw(_SCALARS)}]\n{pad}: {draw(_SCALARS)}")
    return "\n".join(lines)


@settings(max_examples=400, deadline=None)
@given(_block(), st.sampled_from(["", "---\n", "%YAML 1.2\n---\n"]), st.booleans())
def test_inline_walk_matches_the_handlers(body: str, head: str, second: bool) -> None:
    _same(head + body + ("\n---\nx: 1\n" if second else "\n"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab:-[]{}&*!,'\"#?|>\n 1", max_size=60))
def test_inline_walk_matches_the_handlers_on_any_text(text: str) -> None:
    _same(text)


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "examples").rglob("*.plan.yaml"))
    + sorted((ROOT / "tests/data").rglob("*.yaml")),
    ids=lambda p: p.name,
)
def test_inline_walk_matches_the_handlers_on_the_corpus(path: Path) -> None:
    _same(path.read_text(encoding="utf-8", errors="replace"))


def test_the_pure_python_parser_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ruamel.yaml.clib the loader falls back to ruamel's own parser."""
    text = (ROOT / "examples").joinpath("C-2001.plan.yaml").read_text(encoding="utf-8")
    fast = loader.load_text(text)
    monkeypatch.setattr(loader, "_c_parser", lambda: None)
    slow = loader.load_text(text)
    assert slow.data == fast.data
    assert slow.positions.values.keys() == fast.positions.values.keys()
    assert [loader._span_of(m) for m in slow.positions.values.values()] == [
        loader._span_of(m) for m in fast.positions.values.values()
    ]
