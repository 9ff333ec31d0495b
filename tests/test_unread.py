"""Files that are not plans: linted by name, lint says what they are; in a
folder, a file that looks like a plan but is not named like one is reported
(F008) instead of being skipped in silence."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE_SETTINGS, ROOT, example_text
from txplan.cli import app

runner = CliRunner()
TODAY = ["--today", "2026-02-01"]

NOT_PLANS = {
    "txplan.toml": (
        "# settings for this folder\nmax_goals = 4\n" + EXAMPLE_SETTINGS,
        "txplan.toml is TOML, not a plan",
    ),
    "notes.md": ("# Supervision notes\n\nDiscuss C-1042: review due.\n", "is Markdown, not a plan"),
    "comments.md": ("# Only a heading\n\n# And another\n", "is Markdown, not a plan"),
    "export.json": ('{"resourceType": "Bundle"}\n', "export.json is JSON, not a plan"),
    ".pre-commit-config.yaml": (
        "repos:\n  - repo: local\n    hooks: []\n",
        "is not a txplan plan: it has no `txplan:` format key",
    ),
    ".pre-commit-hooks.yaml": (
        "- id: txplan-lint\n  entry: txplan lint\n",
        "is not a txplan plan: it has no `txplan:` format key",
    ),
    "only-comments.yaml": ("# nothing here yet\n", "is not a txplan plan"),
}


@pytest.mark.parametrize("name", sorted(NOT_PLANS))
def test_linting_a_file_that_is_not_a_plan_says_so(plans: Path, name: str) -> None:
    text, said = NOT_PLANS[name]
    (plans / name).write_text(text)
    result = runner.invoke(app, ["lint", str(plans / name)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout  # one finding and the summary
    assert lines[0].startswith(f"{plans / name}:1:1: F003 format-version  ")
    assert said in lines[0] and "empty" not in lines[0]
    assert "`<client id>.plan.yaml`" in lines[0]


def test_a_plan_is_still_told_what_it_lacks(plans: Path) -> None:
    (plans / "C-1.plan.yaml").write_text("")
    (plans / "C-2.plan.yaml").write_text("client: {id: C-2}\ngoals: []\n")
    (plans / "C-3.yaml").write_text("client: {id: C-3}\ngoals: []\n")
    (plans / "C-4.json").write_text('{"txplan": 2, "client": {"id": "C-4"}}')
    out = {
        name: runner.invoke(app, ["lint", str(plans / name)]).stdout
        for name in ("C-1.plan.yaml", "C-2.plan.yaml", "C-3.yaml", "C-4.json")
    }
    assert "The file is empty." in out["C-1.plan.yaml"]
    assert "The plan does not say its format. Add `txplan: 1`" in out["C-2.plan.yaml"]
    assert "The plan does not say its format. Add `txplan: 1`" in out["C-3.yaml"]
    assert "`txplan: 2` is not a format this version of txplan knows" in out["C-4.json"]


def _folder(plans: Path) -> Path:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    (plans / "C-1043.plan.yml").write_text(example_text().replace("C-1042", "C-1043"))
    (plans / "old-copy.yaml").write_text("# before the move\nclient:\n  id: C-77\ngoals: []\n")
    (plans / "draft.yml").write_text("txplan: 1\nclient: {name: Not Yet}\n")
    for name, (text, _said) in NOT_PLANS.items():
        (plans / name).write_text(text)
    (plans / "plan.schema.json").write_text('{"properties": {"txplan": {}}}\n')
    (plans / "notes.yaml").write_text("client: call the payer about C-1042\n")
    return plans


def test_a_folder_lint_reports_the_plans_it_does_not_read(plans: Path) -> None:
    result = runner.invoke(app, ["lint", str(_folder(plans)), *TODAY, "--format", "json"])
    data = json.loads(result.stdout)
    unread = {(f["file"], f["line"], f["column"], f["severity"]) for f in data["findings"]}
    assert unread == {
        (str(plans / "C-1043.plan.yml"), 1, 1, "warning"),
        (str(plans / "draft.yml"), 1, 1, "warning"),
        (str(plans / "old-copy.yaml"), 1, 1, "warning"),
    }
    assert {f["code"] for f in data["findings"]} == {"F008"}
    messages = {Path(f["file"]).name: f["message"] for f in data["findings"]}
    assert messages["C-1043.plan.yml"].endswith("Rename it to `C-1043.plan.yaml`.")
    assert messages["old-copy.yaml"].endswith("Rename it to `C-77.plan.yaml`.")
    assert messages["draft.yml"].endswith("Rename it to `<client id>.plan.yaml`.")
    # Only the plan it read is counted as checked.
    assert data["files"] == 1 and result.exit_code == 0


def test_a_file_named_as_well_is_read_and_not_reported_unread(plans: Path) -> None:
    _folder(plans)
    named = str(plans / "C-1043.plan.yml")
    data = json.loads(
        runner.invoke(app, ["lint", str(plans), named, *TODAY, "--format", "json"]).stdout
    )
    assert data["files"] == 2
    # Its objectives are the other plan's (X001): it was read, not passed over,
    # and told that a folder scan would pass it over (F007).
    assert {f["code"] for f in data["findings"] if f["file"] == named} == {"X001", "F007"}


def test_the_summary_counts_plans_checked_and_files_not_read(plans: Path) -> None:
    _folder(plans)
    text = runner.invoke(app, ["lint", str(plans), *TODAY]).stdout.splitlines()[-1]
    assert (
        text == "0 errors, 3 warnings: 1 plan checked, none with problems; 3 files not read (F008)."
    )
    (plans / "C-1042.plan.yaml").write_text(example_text().replace("review_by", "reveiw_by"))
    text = runner.invoke(app, ["lint", str(plans), *TODAY]).stdout.splitlines()[-1]
    assert text.endswith(" errors, 3 warnings in 1 of 1 plan; 3 files not read (F008).")
    strict = runner.invoke(app, ["lint", str(plans), *TODAY, "--strict", "--ignore", "F002"])
    assert strict.exit_code == 1  # F008 is a warning
    (plans / "C-1042.plan.yaml").write_text(example_text())
    quiet = runner.invoke(app, ["lint", str(plans), *TODAY, "--ignore", "F008"])
    assert quiet.stdout == "1 plan checked: no problems found.\n"


def test_severity_and_selection_apply_to_unread_files(plans: Path) -> None:
    _folder(plans)
    (plans / "txplan.toml").write_text('[severity]\nF008 = "error"\n')
    result = runner.invoke(app, ["lint", str(plans), *TODAY, "--select", "F008"])
    assert result.exit_code == 1 and result.stdout.count("F008 unread-file") == 3


def test_an_initialized_folder_reports_none_of_its_own_files(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    with (folder / "txplan.toml").open("a") as settings:
        settings.write(EXAMPLE_SETTINGS)  # the example's payer (C013)
    (folder / "C-1042.plan.yaml").write_text(example_text())
    result = runner.invoke(app, ["lint", str(folder), *TODAY])
    assert "F008" not in result.stdout and result.exit_code == 0


def test_only_the_first_kilobytes_are_read(plans: Path) -> None:
    # A large YAML file whose plan-like keys come late is not a plan anyone
    # named by mistake, and reading it whole would slow every folder lint.
    big = plans / "data.yaml"
    big.write_text("rows:\n" + "  - {a: 1, b: 2}\n" * 200_000 + "txplan: 1\n")
    started = time.perf_counter()
    result = runner.invoke(app, ["lint", str(plans), *TODAY])
    assert time.perf_counter() - started < 2
    assert "F008" not in result.stdout


def test_subprocess_lint_shows_the_flawed_unread_example() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "lint", "examples/flawed", "--today", "2026-11-22"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 1
    assert (
        "examples/flawed/F-9015.plan.yml:1:1: F008 unread-file  F-9015.plan.yml looks like a "
        "plan" in run.stdout
    )
    flawed = ROOT / "examples" / "flawed"
    files = len([*flawed.rglob("*.plan.yaml"), *flawed.rglob("*.note.md")])
    assert run.stdout.splitlines()[-1].endswith(f"of {files} files; 1 file not read (F008).")


def test_a_named_pipe_in_the_folder_neither_hangs_nor_passes(plans: Path) -> None:
    import os

    (plans / "C-1042.plan.yaml").write_text(example_text())
    os.mkfifo(plans / "C-2000.plan.yaml")
    os.mkfifo(plans / "pipe.yaml")
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "lint", str(plans), *TODAY],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr == (
        f"txplan: {plans / 'C-2000.plan.yaml'}: skipped, a named pipe, not a file; "
        "nothing in it was checked.\n"
    )
    assert "pipe.yaml" not in run.stdout
    # The plan it could not read is not counted as checked, nor as passing.
    assert run.stdout.splitlines()[-1] == (
        "1 plan checked, none with problems; 1 file could not be read."
    )
