"""`txplan init` and the pre-commit hooks, run with pre-commit itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, example_text
from txplan.cli import app
from txplan.config import Config
from txplan.settings.reading import parse_config

runner = CliRunner()
MADE = ["txplan.toml", ".gitignore", ".pre-commit-config.yaml", "plan.schema.json"]


def test_init_makes_a_plans_folder_and_is_safe_to_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    first = runner.invoke(app, ["init", str(folder)])
    assert first.exit_code == 0, first.output
    for name in MADE:
        assert (folder / name).is_file() and f"created {folder / name}" in first.stdout
    assert (folder / ".git").is_dir() and "initialized a git repository" in first.stdout
    (folder / "txplan.toml").write_text("review_days = 30\n")
    again = runner.invoke(app, ["init", str(folder)])
    assert again.exit_code == 0
    assert all(f"kept {folder / name}" in again.stdout for name in MADE)
    assert (folder / "txplan.toml").read_text() == "review_days = 30\n"


def test_settings_file_shows_every_setting_at_its_default(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    text = (tmp_path / "txplan.toml").read_text()
    assert parse_config(tomllib.loads(text), "t") == Config()  # all commented out
    top = text.split("[severity]")[0]
    uncommented = "\n".join(
        line[2:].split("  #")[0]
        for line in top.splitlines()
        if line.startswith("# ") and " = " in line
    )
    settings = tomllib.loads(uncommented)
    assert parse_config(settings, "t") == Config()
    # Every top-level setting the config knows is shown, so a new one cannot be forgotten.
    from txplan import config

    assert set(settings) == set(config.INTEGER_KEYS) | set(config.LIST_KEYS)


def test_init_inside_a_repository_does_not_nest_one(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = runner.invoke(app, ["init", str(tmp_path / "plans")])
    assert result.exit_code == 0 and "initialized" not in result.stdout
    assert not (tmp_path / "plans" / ".git").exists()


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def _repo_with_a_plan(folder: Path, text: str) -> dict[str, str]:
    runner.invoke(app, ["init", str(folder)])
    (folder / "C-1042.plan.yaml").write_text(text)
    _git(folder, "config", "user.email", "test@example.invalid")
    _git(folder, "config", "user.name", "Test")
    _git(folder, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(folder.parent / "pre-commit-home")}
    # The hook's environment runs once: compiling its packages' bytecode
    # would cost a second and test nothing.
    env["PIP_NO_COMPILE"] = "1"
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


needs_pre_commit = pytest.mark.skipif(
    shutil.which("pre-commit") is None
    and not (Path(sys.executable).parent / "pre-commit").exists(),
    reason="pre-commit is in the test extras",
)


def _pre_commit() -> str:
    local = Path(sys.executable).parent / "pre-commit"
    return str(local) if local.exists() else "pre-commit"


@needs_pre_commit
def test_the_folders_hook_lints_staged_plans(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    broken = example_text().replace("review_by: 2026-04-12", "reveiw_by: 2026-04-12")
    env = _repo_with_a_plan(folder, broken)
    run = subprocess.run(
        [_pre_commit(), "run", "--all-files"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "F002 schema" in run.stdout and "reveiw_by" in run.stdout


def _snapshot_of_the_project(target: Path) -> Path:
    """This project as a committed repository, whatever is staged in the
    working tree (try-repo would see tracked files only)."""
    listed = (
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "ls-files",
                "--cached",
                "--others",
                "--exclude-standard",
                "-z",
            ],
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git(target, "init", "-q")
    _git(target, "add", ".")
    _git(
        target,
        "-c",
        "user.email=t@example.invalid",
        "-c",
        "user.name=T",
        "commit",
        "-qm",
        "snapshot",
    )
    return target


@needs_pre_commit
def test_the_projects_hook_definition_works_with_pre_commit(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    env = _repo_with_a_plan(folder, example_text())
    # Not among the files given: seen only through the hook's caseload.
    (folder / "C-1042-old.plan.yaml").write_text(example_text())
    project = _snapshot_of_the_project(tmp_path / "txplan")
    run = subprocess.run(
        [_pre_commit(), "try-repo", str(project), "txplan-lint", "--files", "C-1042.plan.yaml"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    # The contract's example is overdue today (R001), so the hook must fail on it.
    assert run.returncode == 1, run.stdout + run.stderr
    assert "R001 review-overdue" in run.stdout
    assert "C-1042.plan.yaml:4:7: X003 duplicate-client" in run.stdout
    assert "C-1042-old.plan.yaml:" not in run.stdout


@needs_pre_commit
def test_the_folders_hook_compares_staged_plans_with_the_whole_folder(tmp_path: Path) -> None:
    # pre-commit splits the files across parallel runs and passes only the
    # staged ones; the hook runs serially with the folder as its caseload.
    folder = tmp_path / "plans"
    text = example_text().replace("review_by: 2026-04-12", "review_by: 2099-04-12")
    env = _repo_with_a_plan(folder, text)
    _git(folder, "-c", "core.hooksPath=/dev/null", "commit", "-qm", "first plan")
    (folder / "C-1042-again.plan.yaml").write_text(text)
    _git(folder, "add", "C-1042-again.plan.yaml")

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_pre_commit(), "run", *args],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    staged = pre_commit()
    assert staged.returncode == 1, staged.stdout + staged.stderr
    assert (
        "C-1042-again.plan.yaml:4:7: X003 duplicate-client  The client ID `C-1042` is also used "
        "by C-1042.plan.yaml." in staged.stdout
    )
    assert "C-1042.plan.yaml:4:7" not in staged.stdout  # the committed one is not reported
    everything = pre_commit("--all-files")
    assert everything.returncode == 1
    assert everything.stdout.count("X003 duplicate-client") == 2, everything.stdout


@pytest.mark.parametrize(
    "hooks", [ROOT / ".pre-commit-hooks.yaml", ROOT / "templates/init/pre-commit-config.yaml.j2"]
)
def test_the_hook_is_given_plans_misnamed_with_yml_too(hooks: Path) -> None:
    # A staged `C-1.plan.yml` must still be checked (and told its name is wrong),
    # not pass the commit unseen.
    import re

    (pattern,) = re.findall(r"^\s*files: (.+)$", hooks.read_text(), re.MULTILINE)
    files = re.compile(pattern)
    assert files.search("C-1042.plan.yaml") and files.search("sub/C-1042.plan.yml")
    assert not files.search("txplan.toml") and not files.search("C-1042.note.yaml")
