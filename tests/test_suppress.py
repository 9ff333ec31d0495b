"""Inline suppressions: named codes, a required reason, unused ones reported."""

from __future__ import annotations

from pathlib import Path

from conftest import codes, example_text, lint_dir

LATE = "review_by: 2026-06-12"


def _lint(plans: Path, line: str):
    text = example_text().replace(
        "review_by: 2026-04-12          # element 7: next review date", line
    )
    return lint_dir(plans, {"C-1042.plan.yaml": text})


def test_suppression_on_the_line(plans: Path) -> None:
    assert "R002" in codes(_lint(plans, LATE))
    assert (
        codes(_lint(plans, f"{LATE}  # txplan: ignore[R002] payer letter of 2026-01-05")) == set()
    )


def test_suppression_on_the_line_above(plans: Path) -> None:
    result = _lint(plans, f"# txplan: ignore[R002] payer letter of 2026-01-05\n{LATE}")
    assert codes(result) == set()


def test_several_codes_and_case(plans: Path) -> None:
    result = _lint(plans, f"{LATE}  # TXPLAN: ignore[r002, R001] payer letter")
    f006 = [f for f in result.findings if f.code == "F006"]
    assert "R002" not in codes(result)
    assert len(f006) == 1 and "R001" in f006[0].message and "R002" not in f006[0].message


def test_a_suppression_needs_a_reason(plans: Path) -> None:
    result = _lint(plans, f"{LATE}  # txplan: ignore[R002]")
    assert {"R002", "F006"} <= codes(result)
    assert "gives no reason" in next(f.message for f in result.findings if f.code == "F006")


def test_malformed_directives(plans: Path) -> None:
    for line in (
        f"{LATE}  # txplan: ignore all of it",
        f"{LATE}  # txplan: skip[R002] x",
        f"{LATE}  # txplan: ignore[] because",
    ):
        assert {"F006", "R002"} <= codes(_lint(plans, line)), line


def test_unused_suppression_points_at_the_comment(plans: Path) -> None:
    result = _lint(plans, "review_by: 2026-04-12  # txplan: ignore[R002] payer letter")
    f006 = [f for f in result.findings if f.code == "F006"]
    assert len(f006) == 1 and f006[0].span.line == 17 and f006[0].span.column == 24
