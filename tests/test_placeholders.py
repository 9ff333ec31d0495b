"""C009 reports every placeholder at its own line and column, in every
scalar style: plain, quoted, flow, folded and literal blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import lint_dir

HEAD = "txplan: 1\nclient: {id: C-1, name: Ann Example, dob: 1990-01-01}\n"


def _c009(folder: Path, body: str) -> list[tuple[int, int, int, int, str]]:
    result = lint_dir(folder, {"C-1.plan.yaml": HEAD + body})
    return sorted(
        (f.span.line, f.span.column, f.span.end_line, f.span.end_column, f.message.split("`")[1])
        for f in result.findings
        if f.code == "C009"
    )


@pytest.mark.parametrize("indicator", ["|", "|-", "|+", ">", ">-", ">2"])
def test_block_scalars_place_each_placeholder(plans: Path, indicator: str) -> None:
    body = (
        f"recommendation: {indicator}\n"
        "  Weekly CBT with <name of the\n"
        "  group> and TODO referrals;\n"
        "  then <cadence> and <# sessions>.\n"
    )
    # Folded, the line break is a space and the first placeholder spans two
    # lines; literal, the break stays and `<name of the` is no placeholder.
    folded = [(4, 19, 5, 9, "<name of the group>")] if indicator.startswith(">") else []
    assert _c009(plans, body) == [
        *folded,
        (5, 14, 5, 18, "TODO"),
        (6, 8, 6, 17, "<cadence>"),
        (6, 22, 6, 34, "<# sessions>"),
    ]


def test_several_in_one_plain_scalar_and_in_quotes(plans: Path) -> None:
    body = (
        "assessment:\n"
        "  presenting_problem: Worries about <topics> on <# days> days, ___ nights\n"
        "  history: 'Onset <when the client''s worry began>; TODO'\n"
        'recommendation: "CBT \\"<modality>\\" then <cadence>"\n'
    )
    assert _c009(plans, body) == [
        (4, 37, 4, 45, "<topics>"),
        (4, 49, 4, 57, "<# days>"),
        (4, 64, 4, 67, "___"),
        (5, 19, 5, 51, "<when the client's worry began>"),
        (5, 53, 5, 57, "TODO"),
        (6, 24, 6, 34, "<modality>"),
        (6, 42, 6, 51, "<cadence>"),
    ]


def test_a_plain_scalar_over_lines_and_a_flow_mapping(plans: Path) -> None:
    body = (
        "problems:\n"
        "  - id: P1\n"
        "    statement: Sleeps <# hours>\n"
        "      hours a night; misses <# count\n"
        "      days> of work.\n"
        "signatures:\n"
        '  client: {name: Ann Example, date: "<YYYY-MM-DD>", method: "<wet|electronic>"}\n'
    )
    assert _c009(plans, body) == [
        (5, 23, 5, 32, "<# hours>"),
        (6, 29, 7, 12, "<# count days>"),
        (9, 38, 9, 50, "<YYYY-MM-DD>"),
        (9, 62, 9, 78, "<wet|electronic>"),
    ]


def test_typed_fields_report_each_at_its_place(plans: Path) -> None:
    """A placeholder in a date or number field is C009's too, at its own place."""
    body = (
        "written: <YYYY-MM-DD>\n"
        "measures:\n"
        '  - {instrument: GAD-7, date: 2026-01-01, score: "<# GAD-7 score today>"}\n'
    )
    assert _c009(plans, body) == [
        (3, 10, 3, 22, "<YYYY-MM-DD>"),
        (5, 51, 5, 72, "<# GAD-7 score today>"),
    ]


def test_an_alias_is_reported_at_the_alias(plans: Path) -> None:
    """Where the source does not show the text (an alias), the finding stays
    at the value rather than guessing."""
    body = "recommendation: &r <modality>\ndischarge_criteria: *r\n"
    assert _c009(plans, body) == [
        (3, 20, 3, 30, "<modality>"),
        (4, 21, 4, 23, "<modality>"),
    ]
