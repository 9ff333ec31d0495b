"""Nothing echoed to a terminal can act on it: escape sequences, bidi
overrides and invisible characters from plans, file names and commits are
spelled out."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import edit, example_text, git_in, run_on_terminal
from txplan.cli import app
from txplan.outputs.terminal import clean

runner = CliRunner()
ESC = "\x1b[2J\x1b]8;;http://example.invalid\x07"
RLO = "\u202e"
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200b-\u200f]")


def test_clean_spells_out_what_would_act_on_a_terminal() -> None:
    assert clean("plain text, \u00e9 and \u6f22\u5b57") == "plain text, \u00e9 and \u6f22\u5b57"
    assert clean(f"a{RLO}b") == "a\\u202eb"
    assert clean("x\x1b[31my") == "x\\u001b[31my"
    assert clean("one\ntwo\u2028") == "one\\u000atwo\\u2028"
    assert clean("tab\there") == "tab\\u0009here"


@pytest.fixture
def hostile(plans: Path) -> Path:
    text = edit(
        example_text(),
        set_={"client.payer": f"aet{RLO}na{ESC}", "clinician.name": f"Dr {ESC}Sample"},
    )
    (plans / "C-1042.plan.yaml").write_text(text)
    return plans


@pytest.mark.parametrize(
    "argv",
    [
        ["lint"],
        ["lint", "--no-color"],
        ["due"],
        ["due", "--no-color"],
    ],
)
def test_no_command_echoes_a_control_character(hostile: Path, argv: list[str]) -> None:
    result = runner.invoke(app, [*argv, str(hostile), "--today", "2026-02-01"])
    assert "aet" in result.output or "Dr " in result.output, result.output
    assert not HIDDEN.search(result.output), repr(result.output)


def test_on_a_real_terminal_lint_shows_the_codes_not_their_effect(hostile: Path) -> None:
    code, screen = run_on_terminal(["lint", str(hostile), "--today", "2026-02-01"], [])
    assert code == 1
    assert "aet\\u202ena\\u001b[2J" in screen
    assert RLO not in screen and "\x1b[2J" not in screen and "\x1b]8" not in screen


def test_a_file_name_with_an_escape_is_spelled_out(plans: Path) -> None:
    folder = plans / f"team\x1b[2J{RLO}"
    folder.mkdir()
    (folder / "C-1042.plan.yaml").write_text(example_text().replace("reviews:", "reveiws:"))
    for argv in (["lint"], ["status"]):
        result = runner.invoke(app, [*argv, str(plans), "--today", "2026-02-01"])
        assert "team\\u001b[2J" in result.output, result.output
        assert not HIDDEN.search(result.output)


def test_history_spells_out_escapes_in_commit_subjects_and_authors(plans: Path) -> None:
    plan = plans / "C-1042.plan.yaml"
    plan.write_text(example_text())
    git_in(plans, "init", "-q")
    git_in(plans, "add", ".")
    env_author = f"Mallory{RLO}"
    git_in(plans, "-c", f"user.name={env_author}", "commit", "-qm", f"update{ESC} plan{RLO}txt")
    result = runner.invoke(app, ["history", str(plan)])
    assert result.exit_code == 0, result.output
    assert "update\\u001b[2J" in result.output and "plan\\u202etxt" in result.output
    assert not HIDDEN.search(result.output), repr(result.output)


def test_a_refusal_line_is_spelled_out_too(plans: Path) -> None:
    name = f"C-1{RLO}.plan.yaml"
    (plans / name).write_text("txplan: 1\nclient: [oops\n")
    result = runner.invoke(app, ["due", str(plans)])
    assert result.exit_code == 2
    assert "C-1\\u202e.plan.yaml" in result.stderr and RLO not in result.stderr
    assert os.path.exists(plans / name)


def test_measure_and_review_spell_out_what_they_echo_from_the_plan(plans: Path) -> None:
    # An objective ID with a bidi override and a zero-width space (C015 in
    # lint) is echoed back by the progress line and the statuses set.
    odd = f"O1.1{RLO}\u200b"
    plan = plans / "C-1042.plan.yaml"
    plan.write_text(example_text().replace("O1.1", odd), encoding="utf-8")
    day = ["--today", "2026-02-01"]
    measured = runner.invoke(app, ["measure", str(plan), "GAD-7", "12", *day])
    assert measured.exit_code == 0, measured.output
    assert "O1.1\\u202e\\u200b" in measured.stdout and "GAD-7" in measured.stdout
    reviewed = runner.invoke(
        app,
        [
            "review",
            str(plan),
            "--date",
            "2026-02-01",
            *day,
            "--no-input",
            "--summary",
            "reviewed",
            "--set",
            f"{odd}=met",
        ],
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert "O1.1\\u202e\\u200b" in reviewed.stdout
    for said in (measured.output, reviewed.output):
        assert not HIDDEN.search(said), repr(said)
