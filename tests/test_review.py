"""`txplan review`: a review recorded in place, statuses, the next date, and
what a changed plan requires."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import edit, run_on_terminal
from txplan.cli import app
from txplan.plan.loader import load_text

runner = CliRunner()
DAY = ["--date", "2026-04-06", "--today", "2026-04-06"]


def _review(plan: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["review", str(plan), *DAY, "--no-input", *args])


def test_records_the_review_and_changes_only_those_lines(plan: Path) -> None:
    before = plan.read_text()
    result = _review(
        plan,
        "--rate",
        "G1=6",
        "--note",
        "G1=GAD-7 now 10",
        "--set",
        "O1.3=met",
        "--set",
        "G2=partially-met",
        "--summary",
        "Client met O1.3.",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Recorded the review of 2026-04-06 in {plan}.",
        "Statuses: O1.3 → met, G2 → partially-met.",
        "Next review by 2026-07-05.",
    ]
    changed = [
        line
        for line in difflib.ndiff(before.splitlines(), plan.read_text().splitlines())
        if line[:1] in "+-"
    ]
    assert changed == [
        "- review_by: 2026-04-12          # element 7: next review date",
        "+ review_by: 2026-07-05          # element 7: next review date",
        "+         status: met",
        "+     status: partially-met",
        "- reviews: []                    # appended by `txplan review`",
        "+ reviews:                       # appended by `txplan review`",
        "+   - date: 2026-04-06",
        "+     by: Susan Q. Practitioner, LCSW",
        "+     summary: Client met O1.3.",
        "+     progress:",
        "+       - {goal: G1, rating: 6, note: GAD-7 now 10}",
        "+     next_review: 2026-07-05",
    ]
    data = load_text(plan.read_text()).data
    assert data is not None and str(data["reviews"][0]["next_review"]) == "2026-07-05"


def test_the_payers_cycle_sets_the_next_date(plan: Path) -> None:
    (plan.parent / "txplan.toml").write_text("[payers.aetna]\nreview_days = 30\n")
    result = _review(plan, "--summary", "Steady.")
    assert result.stdout.strip().endswith("Next review by 2026-05-06.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate", "G9=5"], "no goal G9"),
        (["--rate", "G1=11"], "a rating is 0 to 10"),
        (["--rate", "G1=high"], "whole number 0 to 10"),
        (["--set", "O1.3=done"], "write one of not-started"),
        (["--set", "G1=in-progress"], "write one of active"),
        (["--set", "X1=met"], "no goal or objective X1"),
        (["--rate", "G1"], "write ID=VALUE"),
    ],
)
def test_refusals_leave_the_plan_alone(plan: Path, args: list[str], message: str) -> None:
    before = plan.read_bytes()
    result = _review(plan, *args)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert plan.read_bytes() == before


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_a_changed_plan_needs_what_and_why_and_is_unsigned(plan: Path) -> None:
    folder = plan.parent
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    _git(folder, "-c", "user.email=t@example.invalid", "-c", "user.name=T", "commit", "-qm", "plan")
    plan.write_text(
        edit(
            plan.read_text(),
            set_={
                "goals[0].objectives[2].statement": "Client will demonstrate 4 coping techniques within 6 weeks."
            },
        )
    )
    refused = _review(plan, "--summary", "Raised O1.3.")
    assert refused.exit_code == 2 and "objective O1.3 reworded" in refused.stderr
    done = _review(
        plan,
        "--summary",
        "Raised O1.3.",
        "--what",
        "O1.3 asks for 4 techniques",
        "--why",
        "3 were met early",
    )
    assert done.exit_code == 0, done.output
    assert "signatures were reset" in done.stdout
    data = load_text(plan.read_text()).data
    assert data is not None
    assert data["changes"][0]["why"] == "3 were met early"
    assert (
        "date" not in data["signatures"]["clinician"] and "date" not in data["signatures"]["client"]
    )


def test_subprocess_review(plan: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "review", str(plan), *DAY, "--rate", "G2=4"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "Next review by 2026-07-05." in run.stdout


def test_interactive_review_on_a_terminal(plan: Path) -> None:
    # G1 rating, note; O1.1-O1.3 statuses; G2 rating (12 is refused, then skipped); O2.1, O2.2; summary
    answers = ["7", "GAD-7 now 11", "", "met", "", "12", "", "", "", "Going well."]
    code, text = run_on_terminal(["review", str(plan), *DAY], answers)
    assert code == 0, text
    assert "a rating is a whole number 0 to 10" in text  # "12" was asked again
    data = load_text(plan.read_text()).data
    assert data is not None
    review = data["reviews"][0]
    assert review["progress"][0] == {"goal": "G1", "rating": 7, "note": "GAD-7 now 11"}
    assert review["summary"] == "Going well."
    assert data["goals"][0]["objectives"][1]["status"] == "met"
