"""`txplan due --kind`: beside the reviews, the session notes still to sign
and the instruments due again, in every format, with --check and the cache."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA, TODAY
from txplan.cli import app

runner = CliRunner()
NOTE = (DATA / "note_cases.yaml").read_text(encoding="utf-8")
SIGNED = "signed: {by: Susan Q. Practitioner, credentials: LCSW, date: 2026-01-26}\n"


def _base_note() -> str:
    from ruamel.yaml import YAML

    return str(YAML(typ="safe").load(NOTE)["note"])


def _note(day: str, signed: str | None = None, scores: str | None = None) -> str:
    """The example note (C-1042, 13:00-13:53, a GAD-7 of 12), on `day`:
    unsigned unless `signed` (a date) is given."""
    text = _base_note()
    assert SIGNED in text
    text = text.replace(SIGNED, "" if signed is None else SIGNED.replace("2026-01-26", signed))
    text = text.replace("date: 2026-01-26\n", f"date: {day}\n", 1)
    if scores is not None:
        text = text.replace("    - {instrument: GAD-7, score: 12}\n", scores)
    return text


@pytest.fixture
def notes(plan: Path) -> Path:
    """The example plan's folder with four notes: one unsigned past the limit,
    one unsigned within it, one signed late and one signed on time."""
    folder = plan.parent / "notes" / "C-1042"
    folder.mkdir(parents=True)
    (folder / "2026-01-26.note.md").write_text(_note("2026-01-26"))
    (folder / "2026-01-31.note.md").write_text(_note("2026-01-31"))
    (folder / "2026-01-19.note.md").write_text(_note("2026-01-19", signed="2026-01-30"))
    (folder / "2026-01-12.note.md").write_text(_note("2026-01-12", signed="2026-01-12"))
    return plan.parent


def _due(folder: Path, *args: str, today: dt.date = TODAY, kinds: str | None = "reviews,notes"):  # type: ignore[no-untyped-def]
    """`txplan due FOLDER ARGS`, with `--kind KINDS` unless ARGS say (None: the default)."""
    asked = [] if kinds is None or "--kind" in args else ["--kind", kinds]
    return runner.invoke(
        app, ["due", str(folder), "--today", today.isoformat(), "--no-color", *asked, *args]
    )


def _json(
    folder: Path, *args: str, today: dt.date = TODAY, kinds: str | None = "reviews,notes"
) -> dict:  # type: ignore[type-arg]
    result = _due(folder, "-f", "json", *args, today=today, kinds=kinds)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# --- notes ---------------------------------------------------------------------------


def test_unsigned_notes_are_listed_overdue_and_due_soon_signed_ones_never(notes: Path) -> None:
    data = _json(notes)
    assert "measures" not in data  # not asked for
    assert [p["kind"] for p in data["plans"]] == ["review"]
    overdue, soon = data["notes"]
    assert overdue == {
        "kind": "note",
        "file": overdue["file"],
        "client_id": "C-1042",
        "clinician": "Susan Q. Practitioner",
        "payer": "aetna",
        "session_date": "2026-01-26",
        # the session ended at 13:53; 72 hours later
        "deadline": "2026-01-29T13:53",
        "limit_hours": 72,
        "days_left": -3,
        "state": "overdue",
        "detail": "unsigned, 3 days past the limit",
    }
    assert overdue["file"].endswith("2026-01-26.note.md")
    assert soon["file"].endswith("2026-01-31.note.md")
    assert (soon["deadline"], soon["days_left"], soon["state"]) == (
        "2026-02-03T13:53",
        2,
        "due soon",
    )
    assert soon["detail"] == "unsigned, due by 2026-02-03 13:53"


def test_the_table_lists_the_notes_under_the_reviews(notes: Path) -> None:
    result = _due(notes)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["client", "clinician", "payer"]
    assert lines[1].startswith("C-1042")
    title = lines.index("Session notes to sign:")
    assert lines[title + 1].split() == ["client", "clinician", "note", "session", "status"]
    assert "2026-01-26.note.md" in lines[title + 2]
    assert "unsigned, 3 days past the limit" in lines[title + 2]
    assert "2026-01-31.note.md" in lines[title + 3]
    assert "unsigned, due by 2026-02-03 13:53" in lines[title + 3]
    assert "2026-01-19" not in result.stdout  # signed late: lint's N005, not due
    assert lines[-1] == (
        "1 of 1 plans shown; 0 overdue. 2 of 2 unsigned notes shown; 1 past the limit."
    )


def test_the_deadline_agrees_with_rule_n005(notes: Path) -> None:
    """A note due lists as past the limit is the note N005 finds unsigned past it."""
    lint = runner.invoke(
        app, ["lint", str(notes), "--today", TODAY.isoformat(), "--select", "N005", "-f", "json"]
    )
    found = {
        Path(f["file"]).name
        for f in json.loads(lint.stdout)["findings"]
        if f["code"] == "N005" and "unsigned" in f["message"]
    }
    late = {Path(n["file"]).name for n in _json(notes)["notes"] if n["state"] == "overdue"}
    assert found == late == {"2026-01-26.note.md"}
    # The day before the deadline's day, nothing is late for either.
    earlier = dt.date(2026, 1, 29)
    assert [n["state"] for n in _json(notes, today=earlier)["notes"]] == ["due soon"] * 2


def test_the_payers_own_limit_sets_the_deadline(notes: Path) -> None:
    settings = notes / "txplan.toml"
    settings.write_text(settings.read_text() + "note_hours = 24\n")
    first = _json(notes)["notes"][0]
    assert (first["limit_hours"], first["deadline"]) == (24, "2026-01-27T13:53")
    assert first["detail"] == "unsigned, 5 days past the limit"


def test_a_session_without_an_end_time_is_due_from_the_days_end(notes: Path) -> None:
    path = notes / "notes" / "C-1042" / "2026-01-31.note.md"
    path.write_text(path.read_text().replace('end: "13:53"\n', "").replace('start: "13:00"\n', ""))
    soon = _json(notes)["notes"][1]
    assert soon["deadline"] == "2026-02-03T23:59"


def test_an_unsigned_note_without_a_date_is_listed_last(notes: Path) -> None:
    path = notes / "notes" / "C-1042" / "2026-01-31.note.md"
    path.write_text(path.read_text().replace("date: 2026-01-31\n", ""))
    last = _json(notes)["notes"][-1]
    assert (last["state"], last["deadline"], last["days_left"]) == ("no session date", None, None)
    assert last["detail"] == "unsigned, no session date"


def test_kind_filters_what_is_listed(notes: Path) -> None:
    only_notes = _json(notes, "--kind", "notes")
    assert only_notes["plans"] == [] and len(only_notes["notes"]) == 2
    assert "measures" not in only_notes
    only_reviews = _json(notes, "--kind", "reviews")
    assert set(only_reviews) == {"version", "today", "plans"} and len(only_reviews["plans"]) == 1
    everything = _json(notes, "--kind", "measures, NOTES,reviews")
    assert {row["kind"] for key in ("plans", "notes", "measures") for row in everything[key]} == {
        "review",
        "note",
        "measure",
    }
    table = _due(notes, "--kind", "notes").stdout
    assert "review by" not in table and "Session notes to sign:" in table
    assert table.splitlines()[-1] == "2 of 2 unsigned notes shown; 1 past the limit."
    table = _due(notes, "--kind", "reviews").stdout
    assert "Session notes" not in table and table.splitlines()[-1] == (
        "1 of 1 plans shown; 0 overdue."
    )


def test_the_filters_apply_to_notes(notes: Path) -> None:
    files = lambda data: [Path(n["file"]).name for n in data["notes"]]  # noqa: E731
    assert files(_json(notes, "--overdue")) == ["2026-01-26.note.md"]
    assert files(_json(notes, "--within", "1d")) == ["2026-01-26.note.md"]
    assert files(_json(notes, "--clinician", "robin")) == []


def test_check_exits_1_for_a_note_past_the_limit_only(notes: Path) -> None:
    assert _due(notes, "--check").exit_code == 1
    assert _due(notes, "--check", kinds=None).exit_code == 0
    (notes / "notes" / "C-1042" / "2026-01-26.note.md").unlink()
    assert _due(notes, "--check").exit_code == 0  # due soon is not overdue


def test_unknown_kind_is_one_line_and_exit_2(notes: Path) -> None:
    result = _due(notes, "--kind", "reviews,visits")
    assert result.exit_code == 2
    assert result.stderr == (
        "txplan: --kind: 'visits' is not a kind; choose from reviews, notes, measures.\n"
    )
    assert result.stdout == ""
    assert _due(notes, "--kind", "").exit_code == 2


def test_a_note_is_listed_once_when_two_plans_name_its_client(notes: Path) -> None:
    other = notes / "other"
    other.mkdir()
    (other / "C-1042.plan.yaml").write_text((notes / "C-1042.plan.yaml").read_text())
    data = _json(notes)
    assert len(data["plans"]) == 2 and len(data["notes"]) == 2


def test_a_folder_without_notes_lists_what_it_did_before(plan: Path) -> None:
    result = _due(plan.parent)
    assert "Session notes" not in result.stdout
    assert result.stdout.splitlines()[-1] == "1 of 1 plans shown; 0 overdue."
    assert _json(plan.parent)["notes"] == []


def test_by_default_due_lists_the_reviews_alone(notes: Path) -> None:
    """What `due` printed before notes existed (the README's example) is
    what it prints unasked: notes and measures are asked for with --kind."""
    data = _json(notes, kinds=None)
    assert set(data) == {"version", "today", "plans"}
    result = _due(notes, "--check", kinds=None)
    assert result.exit_code == 0, result.output
    assert "Session notes" not in result.stdout and "Measures" not in result.stdout
    assert result.stdout.splitlines()[-1] == "1 of 1 plans shown; 0 overdue."


# --- measures ------------------------------------------------------------------------


def test_a_measure_is_due_thirty_days_after_its_last_score(plan: Path) -> None:
    # The plan's GAD-7 (O1.1's instrument) was last given 2026-01-12; the
    # PHQ-9 it also records measures no objective, so it is not listed.
    (row,) = _json(plan.parent, "--kind", "measures")["measures"]
    assert row == {
        "kind": "measure",
        "file": str(plan),
        "client_id": "C-1042",
        "clinician": "Susan Q. Practitioner",
        "payer": "aetna",
        "instrument": "GAD-7",
        "last_score": "2026-01-12",
        "due_by": "2026-02-11",
        "cadence_days": 30,
        "days_left": 10,
        "state": "due soon",
        "detail": "last scored 2026-01-12; every 30 days",
    }
    late = _json(plan.parent, "--kind", "measures", today=dt.date(2026, 2, 20))["measures"]
    assert (late[0]["state"], late[0]["days_left"]) == ("overdue", -9)


def test_a_score_in_a_session_note_moves_the_measure_due(plan: Path) -> None:
    later = dt.date(2026, 2, 20)
    before = _json(plan.parent, "--kind", "measures", today=later)["measures"][0]
    assert before["state"] == "overdue"
    folder = plan.parent / "notes" / "C-1042"
    folder.mkdir(parents=True)
    # gad7, as a note may write it, is the GAD-7; the note's date is the score's.
    scores = "    - {instrument: gad7, score: 11}\n"
    (folder / "2026-01-26.note.md").write_text(_note("2026-01-26", "2026-01-26", scores))
    after = _json(plan.parent, "--kind", "measures", today=later)["measures"][0]
    assert (after["last_score"], after["due_by"], after["state"]) == (
        "2026-01-26",
        "2026-02-25",
        "due soon",
    )
    result = _due(plan.parent, "--kind", "measures", "--check", today=later)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Measures to give (each instrument every 30 days):"
    assert lines[2].split() == ["C-1042", "Susan", "Q.", "Practitioner", "GAD-7", "2026-01-26", "2026-02-25", "in", "5"]  # fmt: skip
    assert lines[-1] == "1 of 1 measure shown; 0 overdue."


def test_an_overdue_measure_fails_the_check(plan: Path) -> None:
    later = dt.date(2026, 3, 1)
    assert _due(plan.parent, "--check", today=later).exit_code == 0  # not asked for
    assert _due(plan.parent, "--check", "--kind", "measures", today=later).exit_code == 1


def test_a_met_objectives_instrument_is_not_due(plan: Path) -> None:
    plan.write_text(plan.read_text().replace("status: in-progress    #", "status: met    #", 1))
    assert _json(plan.parent, "--kind", "measures")["measures"] == []


def test_an_instrument_never_given_is_due_a_cadence_after_the_plan_was_written(
    plan: Path,
) -> None:
    text = plan.read_text().replace("  - {instrument: GAD-7, date: 2026-01-12, score: 15}\n", "")
    plan.write_text(text)
    (row,) = _json(plan.parent, "--kind", "measures")["measures"]
    assert (row["last_score"], row["due_by"], row["detail"]) == (
        None,
        "2026-02-11",
        "no score yet; every 30 days",
    )


# --- every format --------------------------------------------------------------------


def test_csv_adds_the_kind_and_keeps_the_first_eight_columns(notes: Path) -> None:
    from txplan.workflow.due import CSV_HEADER

    said = _due(notes, "-f", "csv", "--kind", "reviews,notes,measures").stdout
    rows = list(csv.reader(io.StringIO(said, newline="")))
    assert rows[0][:8] == [
        "client_id", "clinician", "payer", "review_by", "days_left", "last_review", "state", "file",
    ]  # fmt: skip
    assert tuple(rows[0]) == CSV_HEADER and all(len(row) == 12 for row in rows)
    by_kind = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [row["kind"] for row in by_kind] == ["review", "note", "note", "measure"]
    note = by_kind[1]
    assert (note["item"], note["due_by"], note["days_left"], note["review_by"]) == (
        "2026-01-26.note.md",
        "2026-01-29 13:53",
        "-3",
        "",
    )
    assert note["detail"] == "unsigned, 3 days past the limit"
    # each note records a GAD-7: the latest, 2026-01-31's, sets the date
    assert (by_kind[3]["item"], by_kind[3]["due_by"]) == ("GAD-7", "2026-03-02")
    assert by_kind[0]["due_by"] == by_kind[0]["review_by"] == "2026-04-12"


def test_ics_has_an_event_for_each_note_and_measure(notes: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    raw = _due(notes, "-f", "ics", "--kind", "reviews,notes,measures").stdout_bytes
    events = [c for c in icalendar.Calendar.from_ical(raw).walk() if c.name == "VEVENT"]
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries == [
        "Treatment plan review due: C-1042",
        "Session note to sign: C-1042",
        "Session note to sign: C-1042",
        "GAD-7 due: C-1042",
    ]
    assert [e.decoded("DTSTART").isoformat() for e in events[1:]] == [
        "2026-01-29",
        "2026-02-03",
        "2026-03-02",
    ]
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 4 and uids[1].startswith("txplan-note-C-1042-")
    assert int(events[3]["SEQUENCE"]) == 5  # the plan's GAD-7 and the four notes'
    assert b"Jordan" not in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_the_terminal_table_colors_a_late_note_red_and_a_due_one_yellow(notes: Path) -> None:
    from txplan.workflow import due

    found = due.collect_all([str(notes)], TODAY, kinds=due.KINDS)
    out = io.StringIO()
    due.print_rich_table(found.reviews, out, found.notes, found.measures)
    lines = out.getvalue().splitlines()
    # Each row starts with its client and holds its session's date.
    assert "\x1b[1;31m" in next(line for line in lines if "2026-01-26\x1b" in line)
    assert "\x1b[33m" in next(line for line in lines if "2026-01-31\x1b" in line)
    assert "…" not in out.getvalue()  # a narrow terminal folds, never cuts, a file name


# --- the cache -----------------------------------------------------------------------


def test_a_note_signed_since_the_last_run_is_not_listed_from_the_cache(notes: Path) -> None:
    assert len(_json(notes)["notes"]) == 2
    assert (notes / ".txplan_cache" / "due.json").exists()  # the plan was remembered
    path = notes / "notes" / "C-1042" / "2026-01-26.note.md"
    path.write_text(_note("2026-01-26", signed="2026-02-01"))
    assert [Path(n["file"]).name for n in _json(notes)["notes"]] == ["2026-01-31.note.md"]
    later = dt.date(2026, 2, 20)
    before = _json(notes, "--kind", "measures", today=later)["measures"][0]["last_score"]
    path = notes / "notes" / "C-1042" / "2026-02-16.note.md"
    path.write_text(_note("2026-02-16", signed="2026-02-16"))
    after = _json(notes, "--kind", "measures", today=later)["measures"][0]["last_score"]
    assert (before, after) == ("2026-01-31", "2026-02-16")


# --- a real run ----------------------------------------------------------------------


def test_subprocess_due_lists_a_late_note_and_fails_the_check(notes: Path) -> None:
    txplan = Path(sys.executable).parent / "txplan"
    run = subprocess.run(
        [str(txplan), "due", str(notes), "--today", "2026-02-01", "--kind", "notes", "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert "unsigned, 3 days past the limit" in run.stdout
    assert run.stdout.splitlines()[-1] == "2 of 2 unsigned notes shown; 1 past the limit."
    bad = subprocess.run(
        [str(txplan), "due", str(notes), "--kind", "visits"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
