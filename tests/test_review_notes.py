"""`txplan review` drafts each open goal's progress note from the session
notes since the last review, for the clinician to confirm or edit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import run_on_terminal
from txplan.cli import app
from txplan.plan.loader import load_text

runner = CliRunner()
DAY = ["--date", "2026-02-20", "--today", "2026-02-20"]
LAST_REVIEW = """reviews:                       # appended by `txplan review`
  - date: 2026-02-01
    by: Susan Q. Practitioner, LCSW
    summary: First month of weekly CBT.
    next_review: 2026-05-02
"""


def _note(plan: Path, date: str, objectives: str, score: int | None = None) -> None:
    folder = plan.parent / "notes" / "C-1042"
    folder.mkdir(parents=True, exist_ok=True)
    scores = f"scores:\n  - {{instrument: GAD-7, score: {score}}}\n" if score is not None else ""
    (folder / f"{date}.note.md").write_text(
        "---\n"
        "txplan_note: 1\n"
        "client: C-1042\n"
        f"date: {date}\n"
        'start: "14:00"\n'
        'end: "14:53"\n'
        'cpt: "90837"\n'
        "place: office\n"
        "participants: [client]\n"
        f"objectives:\n{objectives}"
        f"{scores}"
        f"signed: {{by: Susan Q. Practitioner, credentials: LCSW, date: {date}}}\n"
        "---\n"
        "Fictional session.\n"
    )


def _cite(objective: str, progress: str) -> str:
    return f"  - id: {objective}\n    interventions: [I1]\n    progress: {progress}\n"


@pytest.fixture
def reviewed(plan: Path) -> Path:
    """The example plan (C-1042) reviewed on 2026-02-01, in a folder whose
    txplan.toml knows its payer, so it lints clean on 2026-02-20."""
    (plan.parent / "txplan.toml").write_text("[payers.aetna]\nreview_days = 90\n")
    text = plan.read_text()
    start = text.index("reviews: []")
    end = text.index("changes: []")
    plan.write_text(text[:start] + LAST_REVIEW + "\n" + text[end:])
    return plan


@pytest.fixture
def notes(reviewed: Path) -> Path:
    """One note before the last review (it must not count), three after."""
    _note(
        reviewed,
        "2026-01-26",
        _cite("O1.1", "Started a worry log.") + _cite("O1.3", "Paced breathing."),
        14,
    )
    _note(reviewed, "2026-02-03", _cite("O1.1", "Worry log kept on 3 of 7 days."), 13)
    _note(
        reviewed,
        "2026-02-10",
        _cite("O1.1", "Worry log kept on 4 of 7 days.")
        + _cite("O2.2", "Thought record at work twice."),
    )
    _note(reviewed, "2026-02-17", _cite("O1.1", "Worry log kept on 5 of 7 days."), 11)
    return reviewed


def _review(plan: Path, *args: str) -> Any:
    return runner.invoke(app, ["review", str(plan), *DAY, "--no-input", *args])


def _progress(plan: Path) -> dict[str, dict[str, Any]]:
    data = load_text(plan.read_text()).data
    assert data is not None
    return {item["goal"]: dict(item) for item in data["reviews"][-1].get("progress") or []}


G1 = (
    "Since 2026-02-01: 3 notes; O1.1 addressed in 3 (latest: Worry log kept on 5 of 7 days), "
    "O1.2 in 0, O1.3 in 0; GAD-7 14 → 11."
)
G2 = "Since 2026-02-01: 3 notes; O2.1 addressed in 0, O2.2 in 1 (latest: Thought record at work twice)."


def test_each_open_goal_is_drafted_from_the_notes_since_the_last_review(notes: Path) -> None:
    result = _review(notes, "--summary", "Steady progress.")
    assert result.exit_code == 0, result.output
    # the note of 2026-01-26 is before the review: not counted, its O1.3 not cited;
    # its GAD-7 14 is the score the window starts from
    assert _progress(notes) == {"G1": {"goal": "G1", "note": G1}, "G2": {"goal": "G2", "note": G2}}


def test_a_met_objective_no_note_cited_is_left_out(notes: Path) -> None:
    notes.write_text(
        notes.read_text().replace(
            "        target_date: 2026-02-23\n  - id: G2",
            "        target_date: 2026-02-23\n        status: met\n  - id: G2",
        )
    )
    assert _review(notes).exit_code == 0
    assert _progress(notes)["G1"]["note"] == (
        "Since 2026-02-01: 3 notes; O1.1 addressed in 3 (latest: Worry log kept on 5 of 7 days), "
        "O1.2 in 0; GAD-7 14 → 11."
    )


def test_a_closed_goal_is_not_drafted(notes: Path) -> None:
    text = notes.read_text()
    notes.write_text(
        text.replace(
            "target_date: 2026-03-23\n    objectives:",
            "target_date: 2026-03-23\n    status: met\n    objectives:",
        )
    )
    assert notes.read_text() != text
    assert _review(notes).exit_code == 0
    assert set(_progress(notes)) == {"G1"}


def test_the_rating_and_the_draft_go_together(notes: Path) -> None:
    assert _review(notes, "--rate", "G1=6").exit_code == 0
    assert _progress(notes)["G1"] == {"goal": "G1", "rating": 6, "note": G1}


def test_a_note_given_wins_over_the_draft(notes: Path) -> None:
    result = _review(notes, "--note", "G1=Sleeping better; worry log most days.", "--note", "G2=")
    assert result.exit_code == 0, result.output
    progress = _progress(notes)
    assert progress["G1"]["note"] == "Sleeping better; worry log most days."
    assert progress["G2"] == {"goal": "G2"}  # an empty --note: no note, as before, and no draft


def test_a_placeholder_or_a_long_progress_is_not_quoted_whole(reviewed: Path) -> None:
    _note(reviewed, "2026-02-03", _cite("O1.1", "TODO"))
    long = "Worry log kept most days " + "and the client named each trigger " * 5
    _note(reviewed, "2026-02-10", _cite("O2.2", long.strip()))
    assert _review(reviewed).exit_code == 0
    progress = _progress(reviewed)
    assert "O1.1 addressed in 1, O1.2 in 0" in progress["G1"]["note"]  # TODO not quoted
    quoted = progress["G2"]["note"].split("(latest: ")[1]
    assert quoted.endswith("…).") and len(quoted) <= 104


def test_without_notes_since_the_last_review_nothing_changes(
    reviewed: Path, tmp_path: Path
) -> None:
    _note(reviewed, "2026-01-26", _cite("O1.1", "Started a worry log."), 14)  # before it
    twin = tmp_path / "twin" / "C-1042.plan.yaml"
    twin.parent.mkdir()
    twin.write_text(reviewed.read_text())
    (twin.parent / "txplan.toml").write_text((reviewed.parent / "txplan.toml").read_text())
    for plan in (reviewed, twin):  # with the old note, and with no notes at all
        result = _review(plan, "--rate", "G1=6", "--summary", "Steady.")
        assert result.exit_code == 0, result.output
    assert reviewed.read_text() == twin.read_text()
    assert _progress(reviewed) == {"G1": {"goal": "G1", "rating": 6}}


def _lint(plan: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "txplan", "lint", str(plan), "--today", "2026-02-20"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_subprocess_review_writes_a_draft_that_lints_clean(notes: Path) -> None:
    assert _lint(notes).returncode == 0  # clean before, so a finding after is the draft's
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "review", str(notes), *DAY, "--no-input"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "note: 'Since 2026-02-01: 3 notes; O1.1 addressed in 3" in notes.read_text()
    linted = _lint(notes)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert _progress(notes)["G1"]["note"] == G1


def test_on_a_terminal_enter_keeps_the_draft_and_an_answer_replaces_it(notes: Path) -> None:
    # G1: rating 7, Enter keeps the draft; O1.1-O1.3 kept; G2: no rating,
    # its draft replaced; O2.1, O2.2 kept; summary
    answers = ["7", "", "", "", "", "", "Deadlines met two weeks running.", "", "", "Going well."]
    code, text = run_on_terminal(["review", str(notes), *DAY], answers)
    assert code == 0, text
    assert "Enter keeps" in text and "Since 2026-02-01: 3 notes" in text
    progress = _progress(notes)
    assert progress["G1"] == {"goal": "G1", "rating": 7, "note": G1}
    assert progress["G2"] == {"goal": "G2", "note": "Deadlines met two weeks running."}


def test_on_a_terminal_a_dash_writes_no_note(notes: Path) -> None:
    answers = ["", "-", "", "", "", "", "-", "", "", ""]
    code, text = run_on_terminal(["review", str(notes), *DAY], answers)
    assert code == 0, text
    assert text.count("- for none") == 2  # both goals were offered their drafts
    assert _progress(notes) == {}
