"""Session notes through the command line: folders, single files, standard
input, the output formats and a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import DATA, EXAMPLE_SETTINGS, ROOT, example_text
from txplan.cli import app

runner = CliRunner()
NOTE = (DATA / "note_cases.yaml").read_text(encoding="utf-8")


def _base_note() -> str:
    from ruamel.yaml import YAML

    return str(YAML(typ="safe").load(NOTE)["note"])


def _folder(tmp_path: Path, note: str, settings: bool = True) -> Path:
    folder = tmp_path / "plans"
    (folder / "notes" / "C-1042").mkdir(parents=True)
    if settings:
        (folder / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (folder / "C-1042.plan.yaml").write_text(example_text())
    (folder / "notes" / "C-1042" / "2026-01-26.note.md").write_text(note)
    return folder


def test_a_clean_note_and_plan_report_two_files(tmp_path: Path) -> None:
    folder = _folder(tmp_path, _base_note())
    result = runner.invoke(app, ["lint", str(folder), "--today", "2026-02-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("2 files checked: no problems found.")


def test_json_reports_a_note_finding_at_its_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path, _base_note().replace("id: O1.3", "id: O1.9"))
    result = runner.invoke(app, ["lint", str(folder), "--today", "2026-02-01", "-f", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["files"] == 2
    (found,) = [f for f in data["findings"] if f["code"] == "N002"]
    assert found["file"].endswith("notes/C-1042/2026-01-26.note.md")
    assert (found["line"], found["column"], found["path"]) == (14, 9, "objectives[1].id")


def test_a_note_alone_outside_git_and_settings_finds_the_plan_above_notes(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path, _base_note().replace("id: O1.3", "id: O1.9"), settings=False)
    note = folder / "notes" / "C-1042" / "2026-01-26.note.md"
    result = runner.invoke(app, ["lint", str(note), "--today", "2026-02-01", "-f", "json"])
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["N002"]


def test_a_note_on_standard_input(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(tmp_path, "")
    monkeypatch.chdir(folder)
    text = _base_note().replace('end: "13:53"', 'end: "13:40"')
    result = runner.invoke(
        app,
        [
            "lint",
            "-",
            "--stdin-filename",
            "notes/C-1042/2026-01-26.note.md",
            "--today",
            "2026-02-01",
        ],
        input=text,
    )
    assert result.exit_code == 1, result.output
    assert "N004 cpt-time-mismatch" in result.stdout
    assert "1 of 1 file" in result.stdout


def test_a_broken_note_is_a_finding_never_a_traceback(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "---\ntxplan_note: 1\nclient: C-1042\ndate: 2026-13-01\n---\n")
    result = runner.invoke(app, ["lint", str(folder), "--today", "2026-02-01", "-f", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert "F002" in codes


def test_subprocess_lints_the_example_notes() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "txplan",
            "lint",
            "examples/flawed/sessions",
            "--today",
            "2026-11-22",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    shown = {line.split()[1] for line in run.stdout.splitlines() if ".note.md:" in line}
    assert shown == {f"N00{n}" for n in range(1, 9)}
    assert "Traceback" not in run.stderr


def test_a_note_linted_alone_is_judged_with_its_folder_for_neglect(tmp_path: Path) -> None:
    base = _base_note()
    folder = _folder(tmp_path, base)
    notes = folder / "notes" / "C-1042"
    for day in ("2026-01-13", "2026-01-16", "2026-01-20"):
        (notes / f"{day}.note.md").write_text(base.replace("2026-01-26", day))
    latest = notes / "2026-01-26.note.md"
    result = runner.invoke(app, ["lint", str(latest), "--today", "2026-02-01", "-f", "json"])
    data = json.loads(result.stdout)
    assert data["files"] == 1
    neglected = {f["message"].split()[1] for f in data["findings"] if f["code"] == "N007"}
    assert neglected == {"O1.2", "O2.1", "O2.2"}
    assert {f["file"] for f in data["findings"]} == {str(latest)}
    # An older note linted alone is not where neglect is reported.
    older = notes / "2026-01-20.note.md"
    result = runner.invoke(app, ["lint", str(older), "--today", "2026-02-01", "-f", "json"])
    assert not [f for f in json.loads(result.stdout)["findings"] if f["code"] == "N007"]
