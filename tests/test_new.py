"""`txplan new`: templates, the scaffold's contract with lint, and the file it writes."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import run_on_terminal
from txplan import scaffold
from txplan.cli import app
from txplan.engine import lint_paths
from txplan.placeholders import PATTERN

runner = CliRunner()
TODAY = dt.date(2026, 11, 22)
ALL_TEMPLATES = sorted(scaffold.catalog())

# What a clinician would write: numbers by instrument (a baseline worse than
# each template's target), choices by their first option, text by topic.
_SCORES = {"GAD-7": "15", "PHQ-9": "17", "PCL-5": "52", "AUDIT": "22", "0-10": "7"}
_TEXT = {
    "ICD-10-CM": "F43.23",
    "diagnosis name": "Adjustment disorder with mixed anxiety and depressed mood",
    "credentials": "LCSW",
    "problem:": "Worries about money on 5 days a week, rated 7/10, and sleeps 5 hours a night.",
    "goal:": "Worry less and sleep more.",
    "objective:": "Client will sleep 6 or more hours on 5 of 7 nights within 8 weeks, per sleep diary.",
    "intervention:": "Cognitive restructuring of worry thoughts with weekly thought records.",
}


def fill(text: str) -> str:
    clock = itertools.cycle(["10:00", "10:50"])

    def one(match: re.Match[str]) -> str:
        inner = match.group(0)[1:-1]
        if inner.startswith("#"):
            return next((v for k, v in _SCORES.items() if k in inner), "5")
        if "YYYY-MM-DD" in inner:
            return "1990-05-05" if "birth" in inner else TODAY.isoformat()
        if "HH:MM" in inner:
            return next(clock)
        if "|" in inner:
            return inner.split("|")[0]
        return next((v for k, v in _TEXT.items() if k in inner), "Fictional detail for this test")

    return PATTERN.sub(one, text)


def _new(folder: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["new", *args, "--dir", str(folder), "--no-input", "--today", TODAY.isoformat()]
    )


def _codes(path: Path) -> list[str]:
    result = lint_paths([str(path)], today=TODAY)
    return [f.code for f in result.findings]


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_fresh_scaffold_fails_only_on_placeholders_and_filled_is_clean(
    plans: Path, name: str
) -> None:
    # An opaque ID per template: `C-social-anxiety` would read as a name (C014).
    client_id = f"C-{3000 + ALL_TEMPLATES.index(name)}"
    # The payer is a key of the folder's [payers] (EXAMPLE_SETTINGS: aetna).
    result = _new(plans, client_id, "--template", name, "--payer", "aetna")
    assert result.exit_code == 0, result.output
    plan = plans / f"{client_id}.plan.yaml"
    codes = _codes(plan)
    assert codes and set(codes) == {"C009"}, codes
    plan.write_text(fill(plan.read_text()))
    findings = lint_paths([str(plan)], today=TODAY).findings
    assert [(f.code, f.message) for f in findings if f.severity.value != "info"] == []


@pytest.mark.parametrize(
    ("code", "template"),
    [
        ("F41.1", "gad"),
        ("F41.0", "panic"),
        ("F40.10", "social-anxiety"),
        ("F32.A", "mdd-single"),
        ("F33.2", "mdd-recurrent"),
        ("F43.12", "ptsd"),
        ("F43.21", "adjustment"),
        ("F90.0", "adhd"),
        ("F10.20", "alcohol-use"),
        ("F91.3", "child-disruptive"),
        ("Z63.0", "relationship-distress"),
        ("F50.010", "blank"),
    ],
)
def test_template_chosen_by_diagnosis(code: str, template: str) -> None:
    assert scaffold.for_diagnosis(code).name == template


def test_the_file_is_private_named_by_id_and_dated(plans: Path) -> None:
    (plans / "txplan.toml").write_text("[payers.medicaid]\nreview_days = 30\n")
    result = _new(
        plans,
        "C-7",
        "--diagnosis",
        "f41.1",
        "--name",
        'Ann "Quote" O\'Neil: Jr',
        "--dob",
        "1990-02-03",
        "--payer",
        "medicaid",
        "--clinician",
        "Sam Writer",
        "--credentials",
        "LMSW",
    )
    assert result.exit_code == 0, result.output
    plan = plans / "C-7.plan.yaml"
    assert stat.S_IMODE(plan.stat().st_mode) == 0o600
    text = plan.read_text()
    assert text.startswith("# yaml-language-server: $schema=plan.schema.json\n")
    assert json.loads((plans / "plan.schema.json").read_text())["title"].startswith("txplan")
    from txplan.loader import load_text

    data = load_text(text).data
    assert data is not None
    assert data["client"]["name"] == 'Ann "Quote" O\'Neil: Jr'
    assert str(data["written"]) == "2026-11-22" and str(data["session"]["date"]) == "2026-11-22"
    assert str(data["review_by"]) == "2026-12-22"  # the payer's 30-day cycle
    assert data["diagnoses"][0]["code"] == "F41.1"
    assert "supervisor" in data["signatures"]  # LMSW is pre-licensure
    assert [f.code for f in lint_paths([str(plan)], today=TODAY).findings if f.code != "C009"] == []


def test_never_overwrites(plans: Path) -> None:
    plan = plans / "C-8.plan.yaml"
    plan.write_text("mine\n")
    result = _new(plans, "C-8")
    assert result.exit_code == 1 and "never overwrites" in result.stderr
    assert plan.read_text() == "mine\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Jordan Avery"], "is not a client ID"),
        (["C-9", "--diagnosis", "F41"], "is a category"),
        (["C-9", "--diagnosis", "F41.7"], "Nearest: F41.0"),
        (["C-9", "--template", "gadd"], "no template 'gadd'"),
        (["C-9", "--dob", "1990-02-30"], "is not a date"),
    ],
)
def test_refusals_are_exit_2(plans: Path, args: list[str], message: str) -> None:
    result = _new(plans, *args)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert not list(plans.glob("*.plan.yaml"))


@pytest.mark.parametrize(
    ("config", "payer", "message"),
    [
        (
            "[payers.aetna]\nreview_days = 90\n[payers.medicaid]\nreview_days = 30\n",
            "aetan",
            "did you mean 'aetna'? Payers: aetna, medicaid.",
        ),
        ("review_days = 60\n", "aetna", "has no [payers]. Add `[payers.aetna]`"),
    ],
)
def test_an_unknown_payer_is_refused(plans: Path, config: str, payer: str, message: str) -> None:
    (plans / "txplan.toml").write_text(config)
    result = _new(plans, "C-9", "--payer", payer)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not list(plans.glob("*.plan.yaml"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Ana-Beltran-1996-05-30"], "carries a date"),
        (["C-19960530"], "carries a date"),
        (["Jordan-Avery"], "reads as a person's name"),
        (["Avery-7", "--name", "Jordan Avery"], "part of the client's name (`Avery`)"),
        (["X-140391", "--dob", "1991-03-14"], "date of birth"),
    ],
)
def test_an_identifying_client_id_is_refused(plans: Path, args: list[str], message: str) -> None:
    result = _new(plans, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "opaque ID" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(plans.glob("*.plan.yaml"))


def test_the_payer_prompt_asks_again_for_an_unknown_key(tmp_path: Path) -> None:
    (tmp_path / "txplan.toml").write_text("[payers.aetna]\nreview_days = 60\n")
    answers = ["F41.0", "Morgan Ellery", "1990-12-01", "Pat Writer", "LPC", "aetan", "aetna"]
    code, text = run_on_terminal(["new", "C-21", "--today", "2026-11-22"], answers, cwd=tmp_path)
    assert code == 0, text
    screen = " ".join(text.split())  # the terminal wraps long lines
    assert "a key of [payers] in txplan.toml" in screen
    assert "did you mean 'aetna'? Payers: aetna." in screen
    assert 'payer: "aetna"' in (tmp_path / "C-21.plan.yaml").read_text()


def test_list_templates() -> None:
    result = runner.invoke(app, ["new", "--list-templates"])
    assert result.exit_code == 0
    for name in ALL_TEMPLATES:
        assert name in result.stdout


def test_prompts_on_a_terminal_validate_as_they_go(tmp_path: Path) -> None:
    """Through a real pseudo-terminal: a wrong code and date are asked again."""
    answers = [
        "F41.7",
        "F41.0",
        "Morgan Ellery",
        "1990-13-01",
        "1990-12-01",
        "Pat Writer",
        "LPC",
        "",
    ]
    code, text = run_on_terminal(["new", "C-20", "--today", "2026-11-22"], answers, cwd=tmp_path)
    assert code == 0, text
    assert "not an ICD-10-CM code" in text and "is not a date" in text
    data = (tmp_path / "C-20.plan.yaml").read_text()
    assert '"F41.0"' in data and "Morgan Ellery" in data and "1990-12-01" in data
    assert "from the panic template" in text


def test_subprocess_new_and_lint(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "new", "C-30", "--diagnosis", "F33.1", "--no-input"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    lint = subprocess.run(
        [sys.executable, "-m", "txplan", "lint", "C-30.plan.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert lint.returncode == 1 and " C009 placeholder-text " in lint.stdout
