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
from txplan.cli import app
from txplan.plan.placeholders import PATTERN
from txplan.workflow import scaffold
from txplan.workflow.lint import lint_paths

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


# A placeholder as it stands in the source: a folded statement may break it over lines.
_IN_SOURCE = re.compile(PATTERN.pattern.replace(r"[^<>\n]{0,99}", r"[^<>]{0,160}"))
# Who a variant fill writes for: two clinicians' words differ by more than numbers.
_WHO = ["", "Avery", "Blake", "Casey"]


def fill(text: str, variant: int = 0) -> str:
    """Every placeholder written, as a clinician would; another `variant`
    writes other scores and other words (the same plan for another client)."""
    clock = itertools.cycle(["10:00", "10:50"])

    def one(match: re.Match[str]) -> str:
        inner = " ".join(match.group(0)[1:-1].split())
        if inner.startswith("#"):
            score = next((v for k, v in _SCORES.items() if k in inner), "5")
            return str(int(score) + variant)
        if "YYYY-MM-DD" in inner:
            return "1990-05-05" if "birth" in inner else TODAY.isoformat()
        if "HH:MM" in inner:
            return next(clock)
        if "|" in inner:
            return inner.split("|")[0]
        value = next((v for k, v in _TEXT.items() if k in inner), None)
        if value is None:
            _, example, rest = inner.partition("e.g. ")
            value = rest if example else "Fictional detail for this test"
        return f"{value} (as {_WHO[variant]} put it)" if variant else value

    return _IN_SOURCE.sub(one, text)


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


def _objectives(path: Path) -> list[tuple[str, str]]:
    from txplan.plan.loader import load_text

    data = load_text(path.read_text()).data
    assert data is not None
    return [(o["id"], o["statement"]) for g in data["goals"] for o in g["objectives"]]


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_every_preset_objective_holds_a_placeholder_in_words(plans: Path, name: str) -> None:
    """X001 folds numbers away, so a baseline score alone would leave two
    clients' objectives the same: each needs words only the clinician writes."""
    assert _new(plans, "C-1", "--template", name).exit_code == 0
    objectives = _objectives(plans / "C-1.plan.yaml")
    assert objectives
    for oid, statement in objectives:
        words = [p for p in PATTERN.findall(statement) if p.startswith("<") and p[1] != "#"]
        assert words, f"{name} {oid} has no placeholder for the client's words: {statement}"


# Pairs of one template, of siblings, and the anxiety family together.
GROUPS = [["gad", "gad"], ["mdd-single", "mdd-recurrent"], ["gad", "panic", "social-anxiety"]]


def _scaffold_group(folder: Path, names: list[str]) -> list[Path]:
    out = []
    for i, name in enumerate(names):
        assert _new(folder, f"C-{i + 1}", "--template", name).exit_code == 0
        out.append(folder / f"C-{i + 1}.plan.yaml")
    return out


def _x001(folder: Path) -> list[tuple[str, str]]:
    found = lint_paths([str(folder)], today=TODAY).findings
    return sorted((Path(f.file).name, f.message) for f in found if f.code == "X001")


@pytest.mark.parametrize("names", GROUPS)
def test_fresh_scaffolds_linted_together_report_no_copied_objective(
    plans: Path, names: list[str]
) -> None:
    _scaffold_group(plans, names)
    assert _x001(plans) == []


def test_every_fresh_scaffold_linted_together_reports_no_copied_objective(plans: Path) -> None:
    _scaffold_group(plans, ALL_TEMPLATES + ALL_TEMPLATES)
    assert _x001(plans) == []


@pytest.mark.parametrize("names", GROUPS)
def test_filled_differently_no_copied_objective(plans: Path, names: list[str]) -> None:
    for variant, path in enumerate(_scaffold_group(plans, names)):
        path.write_text(fill(path.read_text(), variant))
    findings = lint_paths([str(plans)], today=TODAY).findings
    assert [(f.code, f.message) for f in findings if f.severity.value != "info"] == []


def test_filled_identically_still_copied(plans: Path) -> None:
    first, second = _scaffold_group(plans, ["gad", "gad"])
    for path in (first, second):
        path.write_text(fill(path.read_text()))
    reported = _x001(plans)
    objectives = [oid for oid, _ in _objectives(first)]
    assert len(reported) == 2 * len(objectives)
    assert {message.split()[1] for _, message in reported} == set(objectives)


def test_sibling_templates_filled_identically_are_copies(plans: Path) -> None:
    paths = _scaffold_group(plans, ["mdd-single", "mdd-recurrent"])
    for path in paths:
        path.write_text(fill(path.read_text()))
    assert {message.split()[1] for _, message in _x001(plans)} >= {"O1.1", "O1.2", "O2.1"}


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_new_announces_as_many_placeholders_as_lint_reports(plans: Path, name: str) -> None:
    result = _new(plans, "C-1", "--template", name)
    announced = re.search(r"It holds (\d+) placeholders? ", result.stdout)
    assert announced, result.stdout
    plan = plans / "C-1.plan.yaml"
    found = [f for f in lint_paths([str(plan)], today=TODAY).findings if f.code == "C009"]
    assert int(announced.group(1)) == len(found)
    # Each at its own place: the source there reads the placeholder it names.
    text = plan.read_text()
    starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    places = set()
    for f in found:
        named = f.message.split("`")[1]
        at = starts[f.span.line - 1] + f.span.column - 1
        end = starts[f.span.end_line - 1] + f.span.end_column - 1
        assert " ".join(text[at:end].split()) == named, (f.span, named)
        places.add((f.span.line, f.span.column))
    assert len(places) == len(found)


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
    from txplan.plan.loader import load_text

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


# Client IDs: one pattern (identity.py) -----------------------------------


@pytest.mark.parametrize(
    ("client_id", "reason"),
    [
        ("C-1043\n", "U+000A LINE FEED"),
        ("C-1043\u200b", "U+200B ZERO WIDTH SPACE"),
        ("C-\u202e3401", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("C-1043\x1b[31m", "U+001B ESCAPE"),
        ("C" * 5000, "5000 characters long"),
        ("C" * 40 + "1", "41 characters long"),
        ("Ç-1043", "U+00C7 LATIN CAPITAL LETTER C WITH CEDILLA"),
        ("C 1043", "a space"),
        ("../C-1043", "`/`"),
        ("C--1043", "one at a time"),
        ("_C-1043", "one at a time"),
        ("C-1043.", "one at a time"),
        ("INTAKE", "has no digit"),
    ],
)
def test_new_refuses_what_is_not_a_client_id(plans: Path, client_id: str, reason: str) -> None:
    result = _new(plans, client_id)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert reason in line and "is not a client ID" in line, line
    assert "A client ID is a record number, ASCII letters and digits" in line
    assert "internal error" not in line and len(line) < 400
    assert [p.name for p in plans.iterdir()] == ["txplan.toml"]


def test_new_refuses_a_name_as_an_id(plans: Path) -> None:
    result = _new(plans, "Jordan-Avery")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "reads as a person's name (`Jordan Avery`)" in line and "opaque ID" in line
    assert [p.name for p in plans.iterdir()] == ["txplan.toml"]


@pytest.mark.parametrize("client_id", ["1e5", "1043", "01043", "C-1043", "INT_0042.7"])
def test_an_id_that_yaml_would_read_as_a_number_is_written_quoted(
    plans: Path, client_id: str
) -> None:
    result = _new(plans, client_id)
    assert result.exit_code == 0, result.output
    plan = plans / f"{client_id}.plan.yaml"
    from txplan.plan.loader import load_bytes

    assert load_bytes(plan.read_bytes()).data["client"]["id"] == client_id  # type: ignore[index]
    found = lint_paths([str(plan)], today=TODAY).findings
    assert not [f.message for f in found if f.code in ("F002", "F007")]


def test_subprocess_new_refuses_a_line_break_and_a_huge_id(tmp_path: Path) -> None:
    for client_id in ("C-1043\n", "C-1" * 2000):
        run = subprocess.run(
            [sys.executable, "-m", "txplan", "new", client_id, "--no-input"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 2, run.stderr
        [line] = run.stderr.strip().splitlines()
        assert line.startswith("txplan: '") and "is not a client ID" in line
        assert "Traceback" not in run.stderr and run.stdout == ""
        assert list(tmp_path.iterdir()) == []
