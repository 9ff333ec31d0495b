"""The loader: positions, and every kind of broken input as a finding."""

from __future__ import annotations

import time

from txplan.findings import format_path
from txplan.plan.loader import MAX_BYTES, load_bytes, load_text


def _codes(loaded) -> list[str]:
    return [f.code for f in loaded.findings]


def test_positions_are_one_based_and_point_at_values() -> None:
    loaded = load_text("txplan: 1\nclient:\n  id: C-1\ngoals:\n  - id: G1\n    statement: Sleep\n")
    assert loaded.data == {
        "txplan": 1,
        "client": {"id": "C-1"},
        "goals": [{"id": "G1", "statement": "Sleep"}],
    }
    span = loaded.positions.span(("goals", 0, "statement"))
    assert (span.line, span.column) == (6, 16)
    # A container value is reported from its key.
    assert loaded.positions.span(("client",)).line == 2
    # A missing key points at its nearest parent.
    assert loaded.positions.span(("goals", 0, "objectives")).line == 5


def test_format_path() -> None:
    assert (
        format_path(("goals", 0, "objectives", 1, "statement"))
        == "goals[0].objectives[1].statement"
    )
    assert format_path(()) == ""


def test_scalars_follow_yaml_1_2() -> None:
    loaded = load_text(
        "a: yes\nb: 0x1A\nc: 1_000\nd: .inf\ne: 2026-01-12\nf: ~\ng: true\nh: '5'\ni: 1.5\n"
    )
    data = loaded.data
    assert data is not None
    assert (
        data["a"] == "yes" and data["b"] == 26 and data["c"] == 1000 and data["d"] == float("inf")
    )
    assert str(data["e"]) == "2026-01-12" and data["f"] is None and data["g"] is True
    assert data["h"] == "5" and data["i"] == 1.5


def test_impossible_date_stays_text_for_the_model_to_report() -> None:
    loaded = load_text("txplan: 1\nwritten: 2026-13-01\n")
    assert loaded.data is not None and loaded.data["written"] == "2026-13-01"
    assert loaded.findings == []


def test_duplicate_key_is_reported_and_the_first_kept() -> None:
    loaded = load_text("txplan: 1\nwritten: 2026-01-12\nwritten: 2026-02-12\n")
    assert _codes(loaded) == ["F005"]
    assert loaded.findings[0].span.line == 3
    assert str(loaded.data["written"]) == "2026-01-12"  # type: ignore[index]


def test_python_tags_are_refused_not_run() -> None:
    loaded = load_text("txplan: 1\nx: !!python/object/apply:os.system ['echo hacked']\n")
    assert _codes(loaded) == ["F002"]
    assert loaded.data is not None and loaded.data["x"] is None


def test_custom_tags_are_refused() -> None:
    loaded = load_text("txplan: 1\nx: !secret 12\ny: !!binary aGk=\n")
    assert _codes(loaded) == ["F002", "F002"]
    assert loaded.data == {"txplan": 1, "x": None, "y": None}


def test_syntax_error_points_at_the_line_with_a_hint() -> None:
    loaded = load_text("txplan: 1\nproblems:\n  - statement: Goal: sleep\n")
    assert _codes(loaded) == ["F001"]
    finding = loaded.findings[0]
    assert finding.span.line == 3
    assert "quoted" in finding.message and ">-" in finding.message


def test_tabs_get_a_hint() -> None:
    loaded = load_text("txplan: 1\nclient:\n\tid: C-1\n")
    assert _codes(loaded) == ["F001"]
    assert "spaces" in loaded.findings[0].message


def test_empty_and_comment_only_files() -> None:
    assert _codes(load_bytes(b"")) == ["F003"]
    assert _codes(load_bytes(b"# nothing yet\n")) == ["F003"]


def test_binary_non_utf8_and_huge_files() -> None:
    assert _codes(load_bytes(b"\x00\x01\x02")) == ["F001"]
    latin = load_bytes("txplan: 1\nclient: {id: C-1, name: Jos\xe9}\n".encode("latin-1"))
    assert _codes(latin) == ["F001"] and latin.findings[0].span.line == 2
    big = load_bytes(b"a: 1\n" * (MAX_BYTES // 5 + 10))
    assert _codes(big) == ["F001"] and "MiB" in big.findings[0].message


def test_utf8_bom_is_accepted() -> None:
    loaded = load_bytes(b"\xef\xbb\xbftxplan: 1\n")
    assert loaded.data == {"txplan": 1} and loaded.findings == []


def test_alias_bomb_is_a_finding_within_a_second() -> None:
    levels = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    loaded = load_text("\n".join(levels) + "\n")
    assert time.perf_counter() - start < 1.0
    assert _codes(loaded) == ["F001"] and "alias" in loaded.findings[0].message


def test_modest_aliases_are_fine() -> None:
    loaded = load_text("a: &who {name: Ann}\nb: *who\n")
    assert loaded.findings == [] and loaded.data == {"a": {"name": "Ann"}, "b": {"name": "Ann"}}


def test_deep_nesting_does_not_crash() -> None:
    loaded = load_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert loaded.data is None or isinstance(loaded.data, dict)


def test_several_documents_are_one_finding() -> None:
    loaded = load_text("txplan: 1\n---\ntxplan: 1\n")
    assert _codes(loaded) == ["F001"] and "one plan per file" in loaded.findings[0].message


def test_extreme_nesting_is_a_finding_not_a_crash() -> None:
    # ruamel's C composer recursed here and crashed the interpreter
    # (SIGSEGV); run in a subprocess so a regression cannot take pytest down.
    import subprocess
    import sys

    code = (
        "from txplan.plan.loader import load_text; "
        "l = load_text('a: ' + '[' * 300000 + ']' * 300000); "
        "print(l.findings[0].code, 'levels deep' in l.findings[0].message)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["F001", "True"]


def test_values_under_foreign_tags_keep_their_place() -> None:
    loaded = load_text("n: [!foo 1, 2]\nm: !foo [1]\n? [x]\n: y\nz: 1\n")
    assert loaded.data == {"n": [None, 2], "m": None, "z": 1}
    assert [f.code for f in loaded.findings] == ["F002", "F002", "F002"]
    assert loaded.positions.span(("n", 1)).column == 13


def test_undefined_alias_is_a_finding() -> None:
    loaded = load_text("a: *nowhere\n")
    assert [f.code for f in loaded.findings] == ["F001"] and "&nowhere" in loaded.findings[
        0
    ].message
