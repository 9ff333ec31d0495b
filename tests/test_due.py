"""`txplan due`: soonest first, filters, four formats, --check."""

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

from conftest import edit, example_text
from txplan.cli import app

runner = CliRunner()


@pytest.fixture
def caseload(plans: Path) -> Path:
    plans.joinpath("txplan.toml").write_text("due_soon_days = 10\n")
    specs = [
        ("C-1", "2026-03-01", "Susan Q. Practitioner", []),
        ("C-2", "2026-03-20", "Robin Sample", [{"date": "2026-01-05", "by": "Robin"}]),
        ("C-3", "2026-05-01", "Susan Q. Practitioner", []),
    ]
    for client_id, review_by, clinician, reviews in specs:
        text = edit(
            example_text().replace("C-1042", client_id),
            set_={"review_by": review_by, "clinician.name": clinician, "reviews": reviews},
        )
        plans.joinpath(f"{client_id}.plan.yaml").write_text(text)
    plans.joinpath("C-4.plan.yaml").write_text(
        edit(example_text().replace("C-1042", "C-4"), delete=["review_by"])
    )
    return plans


def _due(folder: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["due", str(folder), "--today", "2026-03-15", *args])


def test_table_soonest_first_with_days_and_last_review(caseload: Path) -> None:
    result = _due(caseload)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "client",
        "clinician",
        "payer",
        "review",
        "by",
        "days",
        "last",
        "review",
    ]
    assert [line.split()[0] for line in lines[1:5]] == ["C-1", "C-2", "C-3", "C-4"]
    assert "14 overdue" in lines[1] and "in 5" in lines[2] and "2026-01-05" in lines[2]
    assert "none" in lines[4]
    assert lines[-1] == "4 of 4 plans shown; 1 overdue."


def test_filters(caseload: Path) -> None:
    ids = lambda result: [p["client_id"] for p in json.loads(result.stdout)["plans"]]  # noqa: E731
    assert ids(_due(caseload, "--overdue", "-f", "json")) == ["C-1"]
    assert ids(_due(caseload, "--within", "30d", "-f", "json")) == ["C-1", "C-2"]
    assert ids(_due(caseload, "--within", "7w", "-f", "json")) == ["C-1", "C-2", "C-3"]
    assert ids(_due(caseload, "--clinician", "susan", "-f", "json")) == ["C-1", "C-3", "C-4"]
    bad = _due(caseload, "--within", "soon")
    assert bad.exit_code == 2 and "--within" in bad.stderr


def test_json_and_csv(caseload: Path) -> None:
    data = json.loads(_due(caseload, "--format", "json").stdout)
    assert data["version"] == 1 and data["today"] == "2026-03-15"
    first = data["plans"][0]
    assert first == {
        "file": str(caseload / "C-1.plan.yaml"),
        "client_id": "C-1",
        "clinician": "Susan Q. Practitioner",
        "payer": "aetna",
        "review_by": "2026-03-01",
        "days_left": -14,
        "last_review": None,
        "state": "overdue",
        "kind": "review",  # added with the notes and measures; nothing else changed
    }
    assert [p["state"] for p in data["plans"]] == [
        "overdue",
        "due soon",
        "scheduled",
        "no review date",
    ]
    rows = list(csv.DictReader(io.StringIO(_due(caseload, "--format", "csv").stdout)))
    assert rows[1]["client_id"] == "C-2" and rows[1]["days_left"] == "5"


def test_ics_is_valid_rfc5545_without_names(caseload: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    raw = _due(caseload, "--format", "ics").stdout_bytes
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 3  # C-4 has no review date
    first = events[0]
    assert str(first["UID"]).startswith("txplan-review-C-1-")
    assert first.decoded("DTSTART").isoformat() == "2026-03-01"
    assert "C-1" in str(first["SUMMARY"]) and "Jordan" not in raw.decode()
    # SEQUENCE counts the reviews recorded (C-2 has one), so the newer event wins.
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 0]
    # DTSTAMP is when the calendar was made, in UTC.
    stamp = first.decoded("DTSTAMP")
    assert abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) < 120
    # Stable: the same plans give the same calendar, but for the time it was made.
    again = _due(caseload, "--format", "ics").stdout_bytes

    def unstamped(raw: bytes) -> list[bytes]:
        return [line for line in raw.split(b"\r\n") if not line.startswith(b"DTSTAMP:")]

    assert unstamped(again) == unstamped(raw)


def test_ics_uids_differ_when_two_files_share_a_client_id(caseload: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    other = caseload / "other"
    other.mkdir()
    (other / "C-1.plan.yaml").write_text((caseload / "C-1.plan.yaml").read_text())
    raw = _due(caseload, "--format", "ics").stdout_bytes
    events = [c for c in icalendar.Calendar.from_ical(raw).walk() if c.name == "VEVENT"]
    uids = [str(e["UID"]) for e in events]
    assert len(events) == 4 and len(set(uids)) == 4


def test_a_line_break_in_a_file_name_cannot_add_a_calendar_property(caseload: Path) -> None:
    hostile = caseload / "C-1.plan.yaml\r\nATTENDEE:mailto:someone@example.invalid\r\nX"
    hostile.mkdir()
    (hostile / "C-5.plan.yaml").write_text(
        edit(example_text().replace("C-1042", "C-5"), set_={"review_by": "2026-04-01"})
    )
    raw = _due(caseload, "--format", "ics").stdout_bytes.decode()
    lines = raw.split("\r\n")
    assert not any(line.startswith("ATTENDEE") for line in lines)
    assert all("\r" not in line and "\n" not in line for line in lines)
    names = {
        line.split(":")[0].split(";")[0] for line in lines if line and not line.startswith(" ")
    }
    assert names <= {
        "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "UID", "DTSTAMP",
        "SEQUENCE", "DTSTART", "DURATION", "SUMMARY", "DESCRIPTION", "TRANSP",
    }  # fmt: skip


def test_the_last_day_there_is_reaches_the_calendar_without_overflow(caseload: Path) -> None:
    path = caseload / "C-3.plan.yaml"
    path.write_text(edit(path.read_text(), set_={"review_by": "9999-12-31"}))
    result = _due(caseload, "--format", "ics")
    assert result.exit_code == 0, result.output
    assert "DTSTART;VALUE=DATE:99991231" in result.stdout and "DURATION:P1D" in result.stdout


def test_a_review_date_that_is_not_a_date_fails_the_check(caseload: Path) -> None:
    path = caseload / "C-3.plan.yaml"
    path.write_text(path.read_text().replace("review_by: '2026-05-01'", "review_by: 2026-13-01"))
    assert "2026-13-01" in path.read_text()
    result = _due(caseload, "--check", "--clinician", "Robin")
    assert result.exit_code == 2, result.output
    assert "C-3.plan.yaml: review_by is not a date (YYYY-MM-DD)" in result.stderr


def test_csv_cells_never_start_a_spreadsheet_formula(caseload: Path) -> None:
    path = caseload / "C-3.plan.yaml"
    formula = '=HYPERLINK("http://example.invalid","x")'
    path.write_text(edit(path.read_text(), set_={"clinician.name": formula}))
    rows = list(csv.DictReader(io.StringIO(_due(caseload, "--format", "csv").stdout)))
    by_id = {row["client_id"]: row for row in rows}
    assert by_id["C-3"]["clinician"] == "'" + formula
    # OWASP, *CSV Injection*: = + - @ tab and CR; OWASP ASVS 1.2.10 adds NUL.
    for value in ("+1", "-1", "@SUM(A1)", "\tx", "\rx", "\x00=1+1"):
        for field, column in (("clinician.name", "clinician"), ("client.payer", "payer")):
            path.write_text(edit(path.read_text(), set_={field: value}))
            said = _due(caseload, "--format", "csv").stdout
            rows = list(csv.DictReader(io.StringIO(said, newline="")))
            assert {row["client_id"]: row for row in rows}["C-3"][column] == "'" + value, value
    # A line break inside a cell is quoted, so no row starts with what follows it.
    for value in ("Dr A\r=HYPERLINK(1)", "Dr A\n@SUM(1)"):
        path.write_text(edit(path.read_text(), set_={"clinician.name": value}))
        said = _due(caseload, "--format", "csv").stdout
        rows = list(csv.reader(io.StringIO(said, newline="")))
        assert all(len(row) == 12 for row in rows), rows
        assert {row[0]: row for row in rows}["C-3"][1] == value
    # Numbers stay numbers: days overdue are negative.
    assert by_id["C-1"]["days_left"] == "-14"


def test_check_exits_1_when_overdue(caseload: Path) -> None:
    assert _due(caseload, "--check").exit_code == 1
    assert _due(caseload, "--check", "--clinician", "Robin").exit_code == 0


def test_unreadable_plans_are_named_and_fail_the_run(caseload: Path) -> None:
    caseload.joinpath("C-9.plan.yaml").write_text("txplan: 1\nclient: [oops\n")
    for args in [(), ("--check",), ("--check", "--clinician", "Robin")]:
        result = _due(caseload, *args)
        # The others are still listed; the run says it could not read one (exit 2).
        assert result.exit_code == 2, args
        assert "C-2" in result.stdout
        assert result.stderr == (
            f"txplan: {caseload / 'C-9.plan.yaml'}: not a readable plan; "
            f"run `txplan lint {caseload / 'C-9.plan.yaml'}`.\n"
        )


def test_subprocess_due(caseload: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "txplan",
            "due",
            str(caseload),
            "--today",
            "2026-03-15",
            "--overdue",
            "--check",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "C-1" in run.stdout


def test_terminal_table_colors_overdue_red_and_due_soon_yellow(caseload: Path) -> None:
    import datetime as dt

    from txplan.workflow import due

    rows, _ = due.collect([str(caseload)], dt.date(2026, 3, 15))
    out = io.StringIO()
    due.print_rich_table(rows, out)
    lines = out.getvalue().splitlines()
    overdue = next(line for line in lines if "C-1" in line and "overdue" in line)
    soon = next(line for line in lines if "C-2" in line)
    assert "\x1b[1;31m" in overdue  # bold red
    assert "\x1b[33m" in soon  # yellow


@pytest.mark.parametrize("command", ["due", "status"])
def test_a_plan_named_yml_is_named_not_passed_over(caseload: Path, command: str) -> None:
    (caseload / "C-1.plan.yaml").rename(caseload / "C-1.plan.yml")
    (caseload / "settings.yaml").write_text("theme: dark\n")  # not a plan: no note
    result = runner.invoke(app, [command, str(caseload), "--today", "2026-03-15"])
    assert result.exit_code == 2, result.output
    assert "C-1.plan.yml: not read:" in result.stderr
    assert "Rename it to `C-1.plan.yaml`" in result.stderr
    assert "settings.yaml" not in result.stderr
    assert "C-2" in result.stdout  # the others are still shown
