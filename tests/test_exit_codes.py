"""Exit codes mean the same in every command: 0 done; 1 findings, or a
refusal the user can fix; 2 could not run as asked. And a rule that cannot
run says so instead of passing for "no problems" (X002 without git)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE_SETTINGS, example_text, git_in
from txplan.cli import COMMANDS, app

runner = CliRunner()

T = "--today=2026-02-01"  # the example is clean, its review scheduled
LATE = "--today=2026-05-01"  # its review overdue

# (command, argv with {good} {broken} {dir} {repo_plan} {new_dir}, expected exit code)
TABLE: list[tuple[str, list[str], int]] = [
    ("lint", ["lint", "{good}", T], 0),
    ("lint", ["lint", "{broken}", T], 1),
    ("lint", ["lint", "{good}", LATE], 1),
    ("lint", ["lint", "{dir}/nope.plan.yaml"], 2),
    ("lint", ["lint", "{good}", "--select", "Z9"], 2),
    ("lint", ["lint", "{good}", "--caseload", "{dir}/nope"], 2),
    ("lint", ["lint", "/dev/zero"], 2),
    ("due", ["due", "{good}", T], 0),
    ("due", ["due", "{good}", T, "--check"], 0),
    ("due", ["due", "{good}", LATE, "--check"], 1),
    ("due", ["due", "{good}", "{broken}", T], 2),
    ("due", ["due", "{good}", "{broken}", LATE, "--check"], 2),
    ("due", ["due", "/dev/zero", T], 2),
    ("due", ["due", "{good}", "--within", "soon"], 2),
    ("status", ["status", "{good}", T], 0),
    ("status", ["status", "{good}", "{broken}", T], 2),
    ("status", ["status", "/dev/zero", T], 2),
    ("status", ["status", "{dir}/nope"], 2),
    ("report", ["report", "{good}", T, "-o", "{dir}/r.html"], 0),
    ("report", ["report", "{good}", "{broken}", T, "-f", "json"], 2),
    ("report", ["report", "/dev/zero", T], 2),
    ("report", ["report", "{dir}/nope"], 2),
    ("report", ["report", "{good}", T, "--since", "2026-13-01"], 2),
    ("rule", ["rule"], 0),
    ("rule", ["rule", "S002"], 0),
    ("rule", ["rule", "Z999"], 2),
    ("init", ["init", "{new_dir}"], 0),
    ("init", ["init", "{good}/inside"], 2),
    ("new", ["new", "C-5000", "-d", "F41.1", "--dir", "{dir}", "--no-input", T], 0),
    ("new", ["new", "C-1042", "-d", "F41.1", "--dir", "{dir}", "--no-input", T], 1),
    ("new", ["new", "C-5000", "-d", "Z99.99", "--dir", "{dir}", "--no-input", T], 2),
    ("new", ["new", "--no-input"], 2),
    ("note", ["note", "C-1042", "--dir", "{dir}", "--no-input", T], 0),
    ("note", ["note", "C-9999", "--dir", "{dir}", "--no-input", T], 2),
    ("note", ["note", "C-1042", "--dir", "{dir}", "--date", "2026-13-01", "--no-input", T], 2),
    ("measure", ["measure", "{good}", "GAD-7", "12", T], 0),
    ("measure", ["measure", "{good}", "GAD-7", "99", T], 2),
    ("measure", ["measure", "{broken}", "GAD-7", "12", T], 2),
    ("review", ["review", "{good}", "--rate", "G1=6", "--summary", "ok", "--no-input", T], 0),
    ("review", ["review", "{broken}", "--summary", "ok", "--no-input", T], 2),
    ("history", ["history", "{repo_plan}"], 0),
    ("history", ["history", "{good}"], 2),
    ("render", ["render", "{good}", T], 0),
    ("render", ["render", "{broken}", T], 2),
    ("render", ["render", "{good}", "-f", "pdf"], 2),
    ("export", ["export", "{good}", "--fhir"], 0),
    ("export", ["export", "{good}"], 2),
    ("export", ["export", "{broken}", "--fhir"], 2),
    ("schema", ["schema"], 0),
    ("clean-cache", ["clean-cache", "{dir}"], 0),
    ("clean-cache", ["clean-cache", "{dir}/nope"], 2),
    ("", ["no-such-command"], 2),
]


def _argv(template: list[str], tmp_path: Path) -> list[str]:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (folder / "C-1042.plan.yaml").write_text(example_text())
    (folder / "C-1043.plan.yaml").write_text("txplan: 1\nclient: [oops\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (repo / "C-1042.plan.yaml").write_text(example_text())
    git_in(repo, "init", "-q")
    git_in(repo, "add", ".")
    git_in(repo, "commit", "-qm", "plan")
    names = {
        "good": str(folder / "C-1042.plan.yaml"),
        "broken": str(folder / "C-1043.plan.yaml"),
        "dir": str(folder),
        "repo_plan": str(repo / "C-1042.plan.yaml"),
        "new_dir": str(tmp_path / "fresh"),
    }
    return [word.format(**names) for word in template]


def test_the_table_covers_every_command() -> None:
    assert {command for command, _, _ in TABLE} - {""} == set(COMMANDS)


@pytest.mark.parametrize(
    ("command", "template", "code"),
    TABLE,
    ids=[f"{argv[0]}-{i}-exit{code}" for i, (_, argv, code) in enumerate(TABLE)],
)
def test_exit_code(tmp_path: Path, command: str, template: list[str], code: int) -> None:
    argv = _argv(template, tmp_path)
    result = runner.invoke(app, argv)
    assert result.exit_code == code, (argv, result.stdout, result.stderr)
    assert "Traceback" not in result.output
    if code == 2 and command:
        # Said in one line per problem, each starting with txplan:
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith("txplan: ") for line in lines), result.stderr


# Run for real: the console entry point and its exit codes.
SUBPROCESS = [
    (["due", "{good}", "{broken}", LATE, "--check"], 2),
    (["status", "{good}", "{broken}", T], 2),
    (["render", "{broken}", T], 2),
    (["lint", "{broken}", T], 1),
    (["due", "{good}", T, "--check"], 0),
]


@pytest.mark.parametrize(("template", "code"), SUBPROCESS)
def test_exit_code_in_a_subprocess(tmp_path: Path, template: list[str], code: int) -> None:
    argv = _argv(template, tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "txplan", *argv], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == code, run.stderr
    if code == 2:
        assert run.stderr.splitlines() == [
            line for line in run.stderr.splitlines() if line.startswith("txplan: ")
        ]
        assert "C-1043.plan.yaml" in run.stderr and "Traceback" not in run.stderr


# --- X002 says when it could not run ------------------------------------------------------

X002_NOT_CHECKED = "txplan: X002 undocumented-change was not checked: git is not available.\n"


def _committed_plan(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    plan = repo / "C-1042.plan.yaml"
    plan.write_text(example_text())
    git_in(repo, "init", "-q")
    git_in(repo, "add", ".")
    git_in(repo, "commit", "-qm", "plan")
    return plan


def _lint_withoutgit_in(plan: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "txplan", "lint", plan.name, T, *args],
        capture_output=True,
        text=True,
        cwd=plan.parent,
        timeout=60,
        env={**os.environ, "PATH": path},
    )


def test_without_git_x002_says_it_was_not_checked(tmp_path: Path) -> None:
    plan = _committed_plan(tmp_path)
    no_git = tmp_path / "bin"
    no_git.mkdir()
    run = _lint_withoutgit_in(plan, str(no_git))
    assert run.returncode == 0 and run.stderr == X002_NOT_CHECKED
    assert run.stdout == "1 plan checked: no problems found.\n"
    # Still exits by the findings.
    plan.write_text(example_text().replace("review_by: 2026-04-12", "reveiw_by: 2026-04-12"))
    run = _lint_withoutgit_in(plan, str(no_git))
    assert run.returncode == 1 and run.stderr == X002_NOT_CHECKED
    # Not asked for X002, or not in a repository: nothing to say.
    assert _lint_withoutgit_in(plan, str(no_git), "--ignore", "X002").stderr == ""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "C-1042.plan.yaml").write_text(example_text())
    assert _lint_withoutgit_in(outside / "C-1042.plan.yaml", str(no_git)).stderr == ""
    # With git, X002 runs and there is nothing to say either.
    assert _lint_withoutgit_in(plan, os.environ["PATH"]).stderr == ""


def test_when_git_fails_x002_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _committed_plan(tmp_path)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text("#!/bin/sh\necho 'fatal: detected dubious ownership' >&2\nexit 128\n")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake))
    result = runner.invoke(app, ["lint", str(plan), T])
    assert result.exit_code == 0
    assert result.stderr == (
        "txplan: X002 undocumented-change was not checked: git failed "
        "(fatal: detected dubious ownership).\n"
    )
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert runner.invoke(app, ["lint", str(plan), T]).stderr == X002_NOT_CHECKED
