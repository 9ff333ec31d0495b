"""Dates at the calendar's ends (0001-01-01, 9999-12-31): every command
answers with a finding or one line, never an OverflowError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import edit, example_text
from txplan.cli import app

runner = CliRunner()
LAST = "9999-12-31"


@pytest.mark.parametrize(
    "set_",
    [
        {"review_by": LAST},
        {"written": LAST},
        {"written": "0001-01-01"},
        {"goals[0].objectives[0].target_date": LAST},
    ],
)
@pytest.mark.parametrize("today", ["2026-04-06", LAST, "0001-01-01"])
def test_reading_commands_never_overflow(plans: Path, set_: dict[str, str], today: str) -> None:
    plan = plans / "C-1042.plan.yaml"
    plan.write_text(edit(example_text(), set_=set_))
    for args in (
        ["lint", "--no-color"],
        ["status", "--no-color"],
        ["due", "--check"],
        ["due", "-f", "ics"],
        ["due", "-f", "csv"],
        ["due", "--within", "99999999d"],
    ):
        result = runner.invoke(app, [*args, "--today", today, str(plans)])
        assert result.exit_code in (0, 1), (args, result.output)
        assert "internal error" not in result.output, (args, result.output)


def test_a_review_that_would_move_the_date_past_the_calendar_is_refused(plans: Path) -> None:
    plan = plans / "C-1042.plan.yaml"
    plan.write_text(example_text())
    before = plan.read_bytes()
    day = "9999-12-30"
    result = runner.invoke(
        app, ["review", str(plan), "--date", day, "--today", day, "--no-input", "--summary", "x"]
    )
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert result.stderr.count("\n") == 1 and LAST in result.stderr
    assert plan.read_bytes() == before


def test_a_new_plan_whose_review_date_would_pass_the_calendar_is_refused(plans: Path) -> None:
    result = runner.invoke(
        app,
        [
            "new",
            "C-5001",
            "--diagnosis",
            "F41.1",
            "--no-input",
            "--today",
            "9999-12-30",
            "--dir",
            str(plans),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and LAST in result.stderr
    assert not (plans / "C-5001.plan.yaml").exists()


def test_a_future_birth_year_is_withheld_from_output_that_leaves_the_machine(
    plans: Path,
) -> None:
    plan = plans / "C-1042.plan.yaml"
    plan.write_text(edit(example_text(), set_={"client.dob": "2062-07-02"}))
    day = ["--today", "2026-12-01"]
    local = runner.invoke(app, ["lint", str(plan), "--no-color", *day])
    # R008 guesses the year meant: fine on the clinician's screen ...
    assert "2062" in local.stdout and "did you mean 2026" in local.stdout
    for fmt in ("sarif", "github"):
        said = runner.invoke(app, ["lint", str(plan), "-f", fmt, *day]).stdout
        if fmt == "sarif":
            results = json.loads(said)["runs"][0]["results"]
            said = "\n".join(r["message"]["text"] for r in results if r["ruleId"] == "R008")
        # ... but neither the typed year nor the guessed one leaves the machine.
        assert "R008" in said or "did you mean" in said, (fmt, said)
        assert "2062" not in said and "07-02" not in said, (fmt, said)
        assert "did you mean [withheld]" in said, (fmt, said)
