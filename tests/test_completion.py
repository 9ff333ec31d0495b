"""Shell completion: the scripts typer installs, and what txplan completes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from txplan.cli import app
from txplan.commands import complete_instruments, complete_plans, complete_rule_codes

runner = CliRunner()


def test_show_completion_prints_a_script_for_the_shell() -> None:
    result = runner.invoke(app, ["--show-completion", "bash"], env={"SHELL": "/bin/bash"})
    assert result.exit_code == 0, result.output
    assert "_TXPLAN_COMPLETE" in result.stdout and "complete" in result.stdout


def test_plans_complete_by_client_id_and_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "examples")
    assert complete_plans("C-200") == [f"C-200{n}.plan.yaml" for n in (1, 2, 3, 4)]
    assert "flawed/" in complete_plans("")
    assert "txplan.toml" not in complete_plans("")  # only plans and folders
    assert complete_plans("flawed/F-901") == [
        f"flawed/F-901{n}.plan.yaml" for n in (0, 1, 2, 3, 4, 6)
    ]
    assert complete_plans("nowhere/C") == []


def test_an_absolute_path_completes_from_the_root(tmp_path: Path) -> None:
    (tmp_path / "C-1042.plan.yaml").write_text("txplan: 1\n")
    assert complete_plans(f"{tmp_path}/C-") == [f"{tmp_path}/C-1042.plan.yaml"]
    top = str(tmp_path).split("/")[1]  # e.g. "tmp"
    assert f"/{top}/" in complete_plans(f"/{top[:2]}")


def test_rule_codes_complete_also_after_a_comma() -> None:
    assert complete_rule_codes("s00")[:2] == ["S001", "S002"]
    assert complete_rule_codes("S001,x") == ["S001,X001", "S001,X002", "S001,X003"]
    assert complete_rule_codes("Q") == []


def test_instruments_complete_from_the_catalog() -> None:
    assert complete_instruments("phq") == ["PHQ-9"]


def test_a_real_shell_request_is_answered(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "_TXPLAN_COMPLETE": "complete_bash",
        "COMP_WORDS": "txplan rule S00",
        "COMP_CWORD": "2",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv[0] = 'txplan'; from txplan.entry import main; main()",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"S00{n}" for n in range(1, 9)]
