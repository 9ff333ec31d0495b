"""`txplan clean-cache`: the caches of lint, due and status removed, and
nothing txplan did not write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE_SETTINGS, example_text
from txplan.cli import app
from txplan.workflow import cache

runner = CliRunner()
T = "--today=2026-02-01"


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (folder / "C-1042.plan.yaml").write_text(example_text())
    monkeypatch.chdir(tmp_path)
    return folder


def _cache_everything(plans: Path, *extra: str) -> None:
    for command in ("lint", "due", "status"):
        result = runner.invoke(app, [command, str(plans), T, *extra])
        assert result.exit_code in (0, 1), result.output


def test_the_caches_of_lint_due_and_status_are_removed(plans: Path) -> None:
    _cache_everything(plans)
    folder = plans / cache.FOLDER_NAME
    assert {p.name for p in folder.iterdir()} == {
        ".gitignore",
        "lint.json",
        "due.json",
        "status.json",
    }
    result = runner.invoke(app, ["clean-cache", str(plans)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Removed the cache in plans/.txplan_cache (4 files).\n"
    assert not folder.exists()
    assert sorted(p.name for p in plans.iterdir()) == ["C-1042.plan.yaml", "txplan.toml"]
    again = runner.invoke(app, ["clean-cache", str(plans)])
    assert again.exit_code == 0 and again.stdout == "No txplan cache was found.\n"


def test_a_lint_after_cleaning_gives_the_same_findings(plans: Path) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text().replace("F41.1", "F41"))
    before = runner.invoke(app, ["lint", str(plans), T, "--format", "json"])
    runner.invoke(app, ["clean-cache", str(plans)])
    after = runner.invoke(app, ["lint", str(plans), T, "--format", "json"])
    assert before.exit_code == after.exit_code == 1 and before.stdout == after.stdout


def test_from_inside_the_plans_folder_the_governing_cache_goes(plans: Path) -> None:
    _cache_everything(plans)
    inside = plans / "notes"
    inside.mkdir()
    result = runner.invoke(app, ["clean-cache", str(inside)])
    assert result.exit_code == 0, result.output
    assert not (plans / cache.FOLDER_NAME).exists()


def test_caches_in_folders_below_are_found(plans: Path) -> None:
    other = plans / "team-b"
    other.mkdir()
    (other / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (other / "C-2000.plan.yaml").write_text(example_text().replace("C-1042", "C-2000"))
    _cache_everything(plans)
    _cache_everything(other)
    assert (other / cache.FOLDER_NAME).is_dir()
    result = runner.invoke(app, ["clean-cache", str(plans)])
    assert result.exit_code == 0, result.output
    assert not (plans / cache.FOLDER_NAME).exists() and not (other / cache.FOLDER_NAME).exists()
    assert result.stdout.count("Removed the cache") == 2


def test_only_files_txplan_wrote_are_removed(plans: Path) -> None:
    _cache_everything(plans)
    folder = plans / cache.FOLDER_NAME
    (folder / "notes-to-self.txt").write_text("mine")
    (folder / ".lint.json.abc123.tmp").write_text("{")  # an interrupted write of ours
    result = runner.invoke(app, ["clean-cache", str(plans)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in folder.iterdir()] == ["notes-to-self.txt"]
    assert "Left plans/.txplan_cache in place: it holds files txplan did not write" in result.stdout
    assert "(5 files)" in result.stdout


def test_a_cache_dir_is_cleaned_when_named(plans: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    _cache_everything(plans, "--cache-dir", str(elsewhere))
    assert {p.name for p in elsewhere.iterdir()} >= {"lint.json", "due.json", "status.json"}
    assert not (plans / cache.FOLDER_NAME).exists()
    result = runner.invoke(app, ["clean-cache", "--cache-dir", str(elsewhere)])
    assert result.exit_code == 0, result.output
    assert not elsewhere.exists()


def test_a_cache_dir_holding_other_files_keeps_them(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "intake.pdf").write_bytes(b"%PDF")
    (folder / "lint.json").write_text("{}")  # the same name, not txplan's cache
    (folder / ".gitignore").write_text("*.pdf\n")
    result = runner.invoke(app, ["clean-cache", "--cache-dir", str(folder)])
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "intake.pdf", "lint.json"]
    assert (folder / ".gitignore").read_text() == "*.pdf\n"


def test_a_missing_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean-cache", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("nope: no such file or folder.")


def test_clean_cache_in_a_real_process(plans: Path) -> None:
    _cache_everything(plans)
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "clean-cache", "plans"],
        capture_output=True,
        text=True,
        cwd=plans.parent,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "Removed the cache in plans/.txplan_cache (4 files).\n"
    assert not (plans / cache.FOLDER_NAME).exists()
