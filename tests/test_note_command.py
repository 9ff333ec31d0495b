"""`txplan note CLIENT_ID`: the scaffold of a session note, drawn from the plan
in force, and its contract with lint: untouched, only placeholders (C009);
filled in, nothing at all."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import EXAMPLE_SETTINGS, TODAY, edit, example_text, git_in, run_on_terminal
from txplan.cli import app
from txplan.plan import placeholders
from txplan.plan.loader import load_text
from txplan.plan.notes.reader import front_matter
from txplan.workflow.lint import lint_paths

runner = CliRunner()
DAY = TODAY.isoformat()  # 2026-02-01: the example plan is clean, in force since 2026-01-12
NOTE = Path("notes") / "C-1042" / f"{DAY}.note.md"
TXPLAN = Path(sys.executable).parent / "txplan"


def _note(folder: Path, *args: str, client: str = "C-1042") -> Result:
    return runner.invoke(
        app, ["note", client, "--dir", str(folder), "--no-input", "--today", DAY, *args]
    )


def _ok(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.exception is None


def _refused(result: Result, code: int = 2) -> str:
    """The one line of a refusal, after checking the exit code and that
    nothing went to standard output and no traceback anywhere."""
    assert result.exit_code == code, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines: list[str] = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("txplan: "), result.stderr
    assert "internal error" not in lines[0]
    return lines[0]


def _lint(folder: Path) -> list[tuple[str, str, str]]:
    """(file, code, message) of every finding `txplan lint FOLDER` reports."""
    result = lint_paths([str(folder)], today=TODAY)
    assert result.errors == [] and result.unchecked == []
    return [(Path(f.file).name, f.code, f.message) for f in result.findings]


_QUOTED = re.compile(r'"(<[^"<>\n]*>)"')


def fill(text: str, signed: str = DAY) -> str:
    """Every placeholder of the scaffold written as a clinician would: times
    that fit the CPT code, numbers for scores, a signature on the day."""
    clock = itertools.cycle(["14:00", "14:53"])

    def one(match: re.Match[str]) -> str:
        inner = match.group(1)[1:-1]
        if inner == "HH:MM":
            return f'"{next(clock)}"'
        if inner.startswith("CPT code"):
            return '"90837"'
        if inner.startswith("#"):
            return "6" if "group" in inner else "11"
        if inner == "YYYY-MM-DD":
            return signed
        if "|" in inner:
            return inner.split("|")[0]
        if inner.startswith("risk"):
            return '"Denies suicidal ideation, intent or plan; safety plan reviewed."'
        return '"Fictional detail written for this test."'

    return _QUOTED.sub(one, text)


def _front(path: Path) -> dict:  # type: ignore[type-arg]
    fenced = front_matter(path.read_text(encoding="utf-8"))
    assert fenced is not None
    data = load_text(fenced[0]).data
    assert isinstance(data, dict)
    return data


# --- the contract with lint ----------------------------------------------------------


def test_unfilled_lints_only_placeholders_and_filled_lints_clean(plan: Path) -> None:
    folder = plan.parent
    result = _note(folder)
    _ok(result)
    note = folder / NOTE
    found = _lint(folder)
    assert found and {(name, code) for name, code, _ in found} == {(note.name, "C009")}
    # The command counts the placeholders lint reports.
    assert f"It holds {len(found)} placeholders" in result.stdout
    note.write_text(fill(note.read_text()))
    assert placeholders.count(_front(note)) == 0
    assert _lint(folder) == []


def test_filled_with_the_options_given_lints_clean(plan: Path) -> None:
    folder = plan.parent
    _ok(_note(folder, "--start", "2:00 PM", "--end", "14:40", "--cpt", "90834,90785"))
    note = folder / NOTE
    data = _front(note)
    assert (data["start"], data["end"], data["cpt"]) == ("14:00", "14:40", ["90834", "90785"])
    note.write_text(fill(note.read_text()))
    assert _lint(folder) == []


def test_a_signature_past_the_limit_is_what_lint_reports(plan: Path) -> None:
    # The filled scaffold is judged like any note: the fill is what decides.
    folder = plan.parent
    _ok(_note(folder, "--date", "2026-01-26"))
    note = folder / "notes" / "C-1042" / "2026-01-26.note.md"
    note.write_text(fill(note.read_text(), signed="2026-01-31"))
    assert [code for _, code, _ in _lint(folder)] == ["N005"]


# --- what the scaffold holds ---------------------------------------------------------


def test_the_note_is_private_named_by_date_and_drawn_from_the_plan(plan: Path) -> None:
    folder = plan.parent
    result = _note(folder)
    _ok(result)
    note = folder / NOTE
    assert stat.S_IMODE(note.stat().st_mode) == 0o600
    assert result.stdout.splitlines()[0] == (
        f"Wrote {note} from the plan in force on {DAY} ({plan})."
    )
    data = _front(note)
    assert (data["txplan_note"], data["client"], str(data["date"])) == (1, "C-1042", DAY)
    assert (data["start"], data["end"], data["cpt"]) == (
        "<HH:MM>",
        "<HH:MM>",
        "<CPT code e.g. 90837>",
    )
    assert data["participants"] == ["client"]  # the plan's format: individual
    cited = {o["id"]: o["interventions"] for o in data["objectives"]}
    assert cited == {
        "O1.1": ["I1"],
        "O1.2": ["I3"],
        "O1.3": ["I2"],
        "O2.1": ["I4"],
        "O2.2": ["I1", "I4"],
    }
    assert [s["instrument"] for s in data["scores"]] == ["GAD-7", "PHQ-9"]
    text = note.read_text()
    assert "# last 15 on 2026-01-12 (the plan's measures); next due 2026-02-11" in text
    assert "# last 8 on 2026-01-12 (the plan's measures); next due 2026-02-11" in text
    assert data["signed"] == {
        "by": "Susan Q. Practitioner",
        "credentials": "LCSW",
        "date": "<YYYY-MM-DD>",
    }
    assert "within 72 hours" in text
    body = text.split("\n---\n", 1)[1]
    assert "## Plan" in body and "Carried forward" not in body


def test_only_active_objectives_are_listed(plan: Path) -> None:
    plan.write_text(
        edit(
            example_text(),
            {"goals[0].objectives[2].status": "met", "goals[1].status": "discontinued"},
        )
    )
    _ok(_note(plan.parent))
    assert [o["id"] for o in _front(plan.parent / NOTE)["objectives"]] == ["O1.1", "O1.2"]


def test_a_telehealth_plan_asks_for_the_method_and_an_office_plan_does_not(plan: Path) -> None:
    folder = plan.parent
    _ok(_note(folder))
    data = _front(folder / NOTE)
    assert (data["place"], data["method"]) == ("telehealth", "<video|audio>")
    # Filled: video, and clean (the first test); an office plan has no method.
    office = edit(
        example_text(),
        {"session.place": "office"},
        delete=["session.client_location", "session.hipaa_platform"],
    )
    plan.write_text(office)
    (folder / NOTE).unlink()
    _ok(_note(folder, "--date", "2026-01-30"))
    note = folder / "notes" / "C-1042" / "2026-01-30.note.md"
    data = _front(note)
    assert data["place"] == "office" and "method" not in data
    note.write_text(fill(note.read_text(), signed="2026-01-30"))
    assert _lint(folder) == []


def test_a_plan_without_a_session_place_leaves_it_to_the_clinician(plan: Path) -> None:
    plan.write_text(edit(example_text(), delete=["session"]))
    _ok(_note(plan.parent))
    note = plan.parent / NOTE
    assert _front(note)["place"] == "<office|telehealth|home|school|other>"
    note.write_text(fill(note.read_text()))
    assert _lint(note) == []  # the plan itself now lacks its session (C006)


SAFETY_PLAN = {
    "warning_signs": ["Stops answering texts"],
    "coping": ["Paced breathing"],
    "supports": [{"name": "Riley Avery", "relation": "partner", "phone": "555-0100"}],
    "crisis_contacts": ["988 Suicide & Crisis Lifeline (call or text 988)"],
}


def test_a_plan_with_a_safety_plan_requires_the_risk_assessment(plan: Path) -> None:
    folder = plan.parent
    plan.write_text(edit(example_text(), {"safety_plan": SAFETY_PLAN}))
    _ok(_note(folder))
    note = folder / NOTE
    text = note.read_text()
    assert "# Required: the plan holds a safety plan, so each session reassesses risk." in text
    assert _front(note)["risk"].startswith("<risk assessment:")
    # What the prompt guards against: the rule that requires it (N008).
    scaffold = text
    note.write_text(fill(scaffold).replace(_risk_line(fill(scaffold)), 'risk: "n/a"'))
    assert [code for _, code, _ in _lint(folder)] == ["N008"]
    note.write_text(fill(scaffold))
    assert _lint(folder) == []


def test_an_elevated_risk_level_requires_it_too(plan: Path) -> None:
    plan.write_text(
        edit(
            example_text(),
            {
                "assessment.risk.level": "moderate",
                "safety_plan": SAFETY_PLAN,
            },
        )
    )
    _ok(_note(plan.parent))
    assert "# Required: the plan holds a safety plan" in (plan.parent / NOTE).read_text()


def test_without_a_safety_plan_the_risk_prompt_is_optional(plan: Path) -> None:
    folder = plan.parent
    _ok(_note(folder))
    note = folder / NOTE
    text = note.read_text()
    assert "Required" not in text and "or delete this line" in _risk_line(text)
    # Deleting the line is as clean as writing it.
    note.write_text(fill(text).replace(_risk_line(fill(text)) + "\n", ""))
    assert "risk:" not in note.read_text()
    assert _lint(folder) == []


def _risk_line(text: str) -> str:
    (line,) = [line for line in text.splitlines() if line.startswith("risk:")]
    return line


@pytest.mark.parametrize(
    ("fmt", "participants", "cpt"),
    [
        ("family", ["client", "<family member by role e.g. mother>"], "<CPT code e.g. 90847>"),
        ("couples", ["client", "<partner>"], "<CPT code e.g. 90847>"),
        ("group", "<# group members present>", "<CPT code e.g. 90853>"),
    ],
)
def test_the_plans_format_sets_the_participants(
    plan: Path, fmt: str, participants: object, cpt: str
) -> None:
    plan.write_text(edit(example_text(), {"frequency.format": fmt}))
    _ok(_note(plan.parent))
    note = plan.parent / NOTE
    data = _front(note)
    assert (data["participants"], data["cpt"]) == (participants, cpt)
    assert {code for _, code, _ in _lint(plan.parent)} == {"C009"}


def test_a_group_code_asks_for_the_count_of_members(plan: Path) -> None:
    folder = plan.parent
    _ok(_note(folder, "--start", "14:00", "--end", "15:30", "--cpt", "90853"))
    note = folder / NOTE
    assert _front(note)["participants"] == "<# group members present>"
    note.write_text(fill(note.read_text()).replace('"90837"', '"90853"'))
    assert _front(note)["participants"] == 6
    assert _lint(folder) == []


def test_plan_text_copied_into_comments_never_suppresses_a_finding(plan: Path) -> None:
    plan.write_text(
        edit(
            example_text(),
            {
                "goals[0].objectives[0].statement": "Client will sleep # txplan: ignore[N004] well.",
                "goals[0].objectives[1].id": "txplan",
                "interventions[2].objectives": ["txplan"],
            },
        )
    )
    folder = plan.parent
    _ok(_note(folder, "--start", "14:00", "--end", "14:10"))
    note = folder / NOTE
    assert "# txplan:" not in note.read_text()
    note.write_text(fill(note.read_text()))
    # 10 minutes bill no psychotherapy code: the finding stands, and no F006.
    note.write_text(note.read_text().replace('"90837"', '"90832"'))
    assert [code for name, code, _ in _lint(note)] == ["N004"]


def test_the_previous_notes_plan_is_carried_forward(plan: Path) -> None:
    folder = plan.parent
    _ok(_note(folder, "--date", "2026-01-26", "--start", "13:00", "--end", "13:53"))
    earlier = folder / "notes" / "C-1042" / "2026-01-26.note.md"
    text = fill(earlier.read_text(), signed="2026-01-26").replace(
        "<!-- What comes next: homework, the next session's focus. The next note carries "
        "this forward. -->",
        "- Worry log daily; bring it next week.\n- Practise paced breathing before work.\n\n"
        "### Homework\n\nSleep diary.",
    )
    text = text.replace("score: 11", "score: 12", 1)  # GAD-7 at this session
    earlier.write_text(text + "\n## Next\n\nNot carried.\n")
    result = _note(folder)
    _ok(result)
    assert "The plan of the note of 2026-01-26 is carried forward in its text." in result.stdout
    note = (folder / NOTE).read_text()
    body = note.split("\n---\n", 1)[1]
    assert body.startswith(
        "\n## Carried forward from 2026-01-26\n\n"
        "- Worry log daily; bring it next week.\n- Practise paced breathing before work.\n\n"
        "### Homework\n\nSleep diary.\n\n## Data\n"
    )
    assert "Not carried." not in body
    # The last GAD-7 is the earlier note's; the PHQ-9 the plan's.
    assert "# last 12 on 2026-01-26 (a session note)" in note
    assert "# last 11 on 2026-01-26 (a session note)" in note
    (folder / NOTE).write_text(fill(note))
    assert _lint(folder) == []


def test_the_newest_plan_is_carried_not_one_carried_before() -> None:
    from txplan.workflow.note_scaffold import plan_section

    assert plan_section("---\ntxplan_note: 1\nclient: C-1042\n---\nNo headings.\n") == ""
    note = (
        "---\ntxplan_note: 1\nclient: C-1042\n---\n"
        "## Carried forward from 2026-01-19\n\nOld plan.\n\n"
        "## Data\n\nSaid things.\n\n# PLAN for next week\n\nNew plan.\n### Detail\n\nMore.\n"
        "# Signature\n\nNot carried.\n"
    )
    assert plan_section(note) == "New plan.\n### Detail\n\nMore."
    assert plan_section(note.replace("# PLAN", "### Plan")) == ""


def test_an_empty_plan_section_is_not_carried(plan: Path) -> None:
    folder = plan.parent
    _ok(_note(folder, "--date", "2026-01-26"))
    earlier = folder / "notes" / "C-1042" / "2026-01-26.note.md"
    earlier.write_text(fill(earlier.read_text(), signed="2026-01-26"))
    result = _note(folder)
    _ok(result)
    assert "Carried forward" not in (folder / NOTE).read_text()
    assert "carried forward" not in result.stdout


def test_the_plan_in_force_on_the_date_is_the_one_used(plan: Path) -> None:
    """A note for an earlier session cites the plan as it stood then: the
    version in git, not the working copy revised since."""
    folder = plan.parent
    git_in(folder, "init", "-q")
    git_in(folder, "add", ".")
    git_in(folder, "commit", "-qm", "plan")
    revised = edit(
        example_text(),
        {
            "goals[0].objectives[2].status": "met",
            "changes": [{"date": dt.date(2026, 2, 15), "what": "O1.3 met", "why": "Review"}],
        },
    )
    plan.write_text(revised)
    _ok(_note(folder, "--today", "2026-02-16", "--date", DAY))
    assert "the working copy" not in (folder / NOTE).read_text()
    assert "O1.3" in [o["id"] for o in _front(folder / NOTE)["objectives"]]
    later = runner.invoke(
        app,
        ["note", "C-1042", "--dir", str(folder), "--no-input", "--today", "2026-02-16"],
    )
    _ok(later)
    assert "the working copy" in later.stdout
    ids = [
        o["id"] for o in _front(folder / "notes" / "C-1042" / "2026-02-16.note.md")["objectives"]
    ]
    assert "O1.3" not in ids


def test_a_session_after_the_review_date_is_written_with_a_warning(plan: Path) -> None:
    result = _note(plan.parent, "--date", "2026-04-20", "--today", "2026-04-21")
    _ok(result)
    assert (
        "Lint will report (N003): The session on 2026-04-20 falls after the plan's review date"
        in result.stdout
    )
    assert (plan.parent / "notes" / "C-1042" / "2026-04-20.note.md").exists()


# --- refusals ------------------------------------------------------------------------


def test_never_overwrites(plan: Path) -> None:
    note = plan.parent / NOTE
    note.parent.mkdir(parents=True)
    note.write_text("mine\n")
    line = _refused(_note(plan.parent), code=1)
    assert "never overwrites a note" in line and str(note) in line
    assert note.read_text() == "mine\n"
    # Nor its own scaffold a second time.
    note.unlink()
    _ok(_note(plan.parent))
    before = note.read_text()
    _refused(_note(plan.parent, "--start", "10:00"), code=1)
    assert note.read_text() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-02-30"], "--date: '2026-02-30' is not a date; write YYYY-MM-DD."),
        (["--date", "yesterday"], "--date: 'yesterday' is not a date"),
        (["--today", "soon"], "--today: 'soon' is not a date"),
        (["--start", "25:00"], "--start: '25:00' is not a time"),
        (["--end", "2pm"], "--end: '2pm' is not a time"),
        (["--cpt", "9083"], "--cpt: '9083' is not a CPT code"),
        (
            ["--start", "14:00", "--end", "14:45", "--cpt", "90837"],
            "--cpt 90837: The session ran 45 minutes (14:00 to 14:45), which is 90834; "
            "90837 needs 53 minutes or more.",
        ),
        (
            ["--start", "14:00", "--end", "13:00"],
            "--end: The session ends (13:00) no later than it starts (14:00)",
        ),
        (["--cpt", "90840"], "90840 adds 30 minutes to crisis psychotherapy"),
        (["--dir", "nowhere"], "nowhere: no such folder."),
        (["--date", "2026-02-02"], "--date 2026-02-02 is in the future"),
    ],
)
def test_refusals_are_one_line_exit_2(
    plan: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(plan.parent)
    line = _refused(_note(plan.parent, *args))
    assert message in line, line
    assert not (plan.parent / "notes").exists()


def test_a_client_with_no_plan_is_refused(plan: Path) -> None:
    line = _refused(_note(plan.parent, client="C-2001"))
    assert line == (
        f"txplan: no plan for client C-2001 in {plan.parent}: write it with `txplan new "
        "C-2001`, or check the client ID and --dir."
    )


@pytest.mark.parametrize("client", ["Jordan-Avery", "C-1042/../x", "C 1042", ""])
def test_what_is_not_a_client_id_is_refused(plan: Path, client: str) -> None:
    line = _refused(_note(plan.parent, client=client))
    assert "client ID" in line or "client's name" in line
    assert not (plan.parent / "notes").exists()


def test_a_plan_named_otherwise_is_found_by_its_client_id(plan: Path) -> None:
    plan.rename(plan.parent / "avery-intake.plan.yaml")
    _ok(_note(plan.parent))
    assert (plan.parent / NOTE).exists()


def test_a_plan_with_a_structural_error_is_refused(plan: Path) -> None:
    plan.write_text(example_text().replace("review_by: 2026-04-12", "reveiw_by: 2026-04-12"))
    line = _refused(_note(plan.parent))
    assert "F002" in line and "before writing a note" in line
    assert not (plan.parent / "notes").exists()


def test_another_clients_plan_under_the_name_is_refused(plan: Path) -> None:
    plan.write_text(example_text().replace("id: C-1042", "id: C-1043"))
    line = _refused(_note(plan.parent))
    assert "is the plan of client C-1043, not C-1042" in line


def test_a_plan_with_no_active_objective_is_refused(plan: Path) -> None:
    plan.write_text(edit(example_text(), {"goals[0].status": "met", "goals[1].status": "met"}))
    line = _refused(_note(plan.parent))
    assert "has no active objective for a note to cite (N001)" in line


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe",
        b"txplan: 1\nclient: [oops\n",
        b'{"txplan":1,"client":{"id":"C-1042"},"goals":[{"objectives":5}]}',
        b'{"txplan":1,"client":{"id":"C-1042"},"goals":[],"interventions":[{"id":"I1"}]}',
        b"txplan: 1\nclient: {id: C-1042}\ngoals: [{objectives: [{id: O1}]}]\n",
        example_text().replace("measures:", "measures: 5\nx:").encode(),
    ],
)
def test_hostile_plans_are_refused_in_one_line_or_scaffolded(plan: Path, raw: bytes) -> None:
    plan.write_bytes(raw)
    result = _note(plan.parent)
    said = result.output + result.stderr
    assert "Traceback" not in said and "internal error" not in said, said
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 0:
        note = plan.parent / NOTE
        assert {code for _, code, _ in _lint(note)} <= {"C009"}
    else:
        _refused(result)


# --- a real terminal and a real process ----------------------------------------------


def test_prompts_on_a_terminal_ask_again_until_the_times_fit(plan: Path) -> None:
    code, screen = run_on_terminal(
        ["note", "C-1042", "--today", DAY],
        ["2pm", "14:00", "14:53", "90834", "90837"],
        cwd=plan.parent,
    )
    assert code == 0, screen
    said = " ".join(screen.split())  # as the terminal wrapped it
    assert "'2pm' is not a time" in said
    assert "The session ran 53 minutes (14:00 to 14:53), which is 90837; 90834 needs" in said
    assert "Traceback" not in said
    data = _front(plan.parent / NOTE)
    assert (data["start"], data["end"], data["cpt"]) == ("14:00", "14:53", "90837")


def test_subprocess_note_then_lint(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (folder / "C-1042.plan.yaml").write_text(example_text())
    env = {**os.environ, "NO_COLOR": "1"}

    def txplan(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(TXPLAN), *args], cwd=folder, capture_output=True, text=True, timeout=60, env=env
        )

    made = txplan("note", "C-1042", "--today", DAY, "--no-input", "--cpt", "90837")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Wrote {NOTE} from the plan in force on {DAY}")
    lint = txplan("lint", ".", "--today", DAY)
    assert lint.returncode == 1 and " C009 placeholder-text " in lint.stdout
    shown = {line.split()[1] for line in lint.stdout.splitlines() if ".note.md:" in line}
    assert shown == {"C009"}
    note = folder / NOTE
    note.write_text(fill(note.read_text()))
    clean = txplan("lint", ".", "--today", DAY)
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.strip().endswith("2 files checked: no problems found.")
    again = txplan("note", "C-1042", "--today", DAY, "--no-input")
    assert again.returncode == 1 and again.stderr.count("\n") == 1
    assert "never overwrites a note" in again.stderr
    nobody = txplan("note", "C-2001", "--today", DAY, "--no-input")
    assert nobody.returncode == 2 and nobody.stderr.startswith("txplan: no plan for client C-2001")
    bad = txplan("note", "C-1042", "--date", "2026-13-01", "--no-input")
    assert bad.returncode == 2 and bad.stderr.splitlines() == [
        "txplan: --date: '2026-13-01' is not a date; write YYYY-MM-DD."
    ]
    for run in (made, lint, clean, again, nobody, bad):
        assert "Traceback" not in run.stderr + run.stdout


def test_the_help_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from txplan.commands.note import EXAMPLE

    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (folder / "C-1042.plan.yaml").write_text(example_text())
    monkeypatch.chdir(tmp_path)  # the example names `plans`, relative to here
    result = runner.invoke(app, [*EXAMPLE.split()[1:], "--no-input", "--today", "2026-02-10"])
    _ok(result)
    data = _front(folder / "notes" / "C-1042" / "2026-02-10.note.md")
    assert (data["start"], data["end"], data["cpt"]) == ("14:00", "14:53", "90837")


def test_an_instrument_past_its_cadence_is_marked_due_now(plan: Path) -> None:
    """Thirty days after its last score an instrument is due, as `txplan due` counts it."""
    folder = plan.parent
    _ok(_note(folder, "--today", "2026-02-11", "--date", "2026-02-11"))
    text = (folder / "notes" / "C-1042" / "2026-02-11.note.md").read_text()
    assert "# last 15 on 2026-01-12 (the plan's measures); due now" in text
    due = runner.invoke(
        app, ["due", str(folder), "--kind", "measures", "--today", "2026-02-11", "-f", "json"]
    )
    rows = [r for r in json.loads(due.stdout)["measures"] if r["instrument"] == "GAD-7"]
    assert rows and rows[0]["due_by"] == "2026-02-11", due.stdout
