"""`txplan measure`: checked, appended in the file's own style, progress shown."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from txplan.cli import app

runner = CliRunner()


def _measure(plan: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["measure", str(plan), *args, "--today", "2026-03-02"])


def test_appends_one_line_and_reports_band_and_progress(plan: Path) -> None:
    before = plan.read_text()
    result = _measure(plan, "gad7", "12", "--date", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Recorded GAD-7 12 on 2026-03-01 in {plan}: moderate.",
        "  O1.1 GAD-7 15 → 12 (target 9): 50% of the way, 58% of the time: on track",
    ]
    added = [
        line
        for line in difflib.ndiff(before.splitlines(), plan.read_text().splitlines())
        if line[:1] in "+-"
    ]
    assert added == ["+   - {instrument: GAD-7, date: 2026-03-01, score: 12}"]


def test_behind_and_met(plan: Path) -> None:
    behind = runner.invoke(
        app, ["measure", str(plan), "GAD-7", "14", "--date", "2026-03-25", "--today", "2026-03-25"]
    )
    assert "GAD-7 15 → 14 (target 9)" in behind.stdout and behind.stdout.strip().endswith(
        ": behind"
    )
    met = runner.invoke(
        app, ["measure", str(plan), "GAD-7", "8", "--date", "2026-03-26", "--today", "2026-03-26"]
    )
    assert met.stdout.strip().endswith(": met")


def test_an_empty_or_missing_list_becomes_a_block_list(plans: Path) -> None:
    for text in ("txplan: 1\nclient: {id: C-1}\nmeasures: []\n", "txplan: 1\nclient: {id: C-1}\n"):
        path = plans / "C-1.plan.yaml"
        path.write_text(text)
        assert _measure(path, "PHQ-9", "11", "--date", "2026-03-01").exit_code == 0
        assert path.read_text().endswith(
            "measures:\n  - {instrument: PHQ-9, date: 2026-03-01, score: 11}\n"
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["GAD7X", "12"], "Did you mean GAD-7?"),
        (["GAD-7", "25"], "outside GAD-7's range (0-21)"),
        (["GAD-7", "twelve"], "is not a score"),
        (["GAD-7", "12", "--date", "2026-03-09"], "is in the future"),
        (["GAD-7", "15", "--date", "2026-01-12"], "already recorded for 2026-01-12"),
    ],
)
def test_refusals_leave_the_file_alone(plan: Path, args: list[str], message: str) -> None:
    before = plan.read_bytes()
    result = _measure(plan, *args)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert plan.read_bytes() == before


def test_a_plan_that_does_not_read_is_not_edited(plans: Path) -> None:
    path = plans / "C-1.plan.yaml"
    path.write_text("txplan: 1\nclient: {id: C-1}\nwritten: 2026-13-01\n")
    result = _measure(path, "GAD-7", "12")
    assert result.exit_code == 2 and ":3:10: F002 schema" in result.stderr
    assert "before editing it: `txplan lint" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_subprocess_measure(plan: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "txplan",
            "measure",
            str(plan),
            "PHQ-9",
            "6",
            "--date",
            "2026-02-01",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "Recorded PHQ-9 6 on 2026-02-01" in run.stdout and "mild" in run.stdout
