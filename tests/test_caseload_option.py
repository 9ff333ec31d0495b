"""`lint --caseload DIR`: the cross-file rules see every plan under DIR while
findings are reported only for the files named (the pre-commit hook's case)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import edit, example_text
from txplan.cli import app

runner = CliRunner()
TODAY = ["--today", "2026-02-01"]


def _caseload(plans: Path) -> Path:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    # Another file with the same client ID, and findings of its own (no review date).
    (plans / "C-1042-copy.plan.yaml").write_text(edit(example_text(), delete=["review_by"]))
    (plans / "C-2000.plan.yaml").write_text(example_text().replace("C-1042", "C-2000"))
    return plans


def _lint(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["lint", *args, *TODAY, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_named_file_is_compared_with_the_whole_caseload(plans: Path) -> None:
    _caseload(plans)
    named = str(plans / "C-1042.plan.yaml")
    alone = _lint(named)
    assert {f["code"] for f in alone["findings"]} == set()
    with_caseload = _lint("--caseload", str(plans), named)
    found = [(f["file"], f["code"]) for f in with_caseload["findings"]]
    # X003 on the named file; X001 for objectives copied into C-2000's plan.
    assert {code for _, code in found} == {"X001", "X003"}
    assert {file for file, _ in found} == {named}
    x003 = next(f for f in with_caseload["findings"] if f["code"] == "X003")
    assert str(plans / "C-1042-copy.plan.yaml") in x003["message"]
    assert with_caseload["files"] == 1


def test_the_caseload_adds_no_findings_about_its_own_plans(plans: Path) -> None:
    _caseload(plans)
    data = _lint("--caseload", str(plans), str(plans / "C-2000.plan.yaml"))
    assert {f["file"] for f in data["findings"]} == {str(plans / "C-2000.plan.yaml")}
    assert {f["code"] for f in data["findings"]} == {"X001"}
    # A broken or unreadable plan in the caseload is left to its own lint.
    (plans / "C-3000.plan.yaml").write_text("txplan: 1\nclient: [oops\n")
    (plans / "C-4000.plan.yml").write_text("txplan: 1\n")
    again = _lint("--caseload", str(plans), str(plans / "C-2000.plan.yaml"))
    assert again["findings"] == data["findings"]


def test_a_file_named_and_in_the_caseload_is_read_once(plans: Path) -> None:
    _caseload(plans)
    folder = _lint(str(plans))
    both = _lint("--caseload", str(plans), str(plans))
    assert both == folder
    x003 = [f for f in both["findings"] if f["code"] == "X003"]
    assert len(x003) == 2


def test_caseload_must_be_a_folder(plans: Path) -> None:
    _caseload(plans)
    for value in (str(plans / "nope"), str(plans / "C-1042.plan.yaml")):
        result = runner.invoke(app, ["lint", "--caseload", value, str(plans / "C-1042.plan.yaml")])
        assert result.exit_code == 2
        assert result.stderr == f"txplan: --caseload {value}: no such folder.\n"


def test_subprocess_caseload_from_the_plans_folder(plans: Path) -> None:
    _caseload(plans)
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "lint", "--caseload", ".", "C-1042.plan.yaml", *TODAY],
        capture_output=True,
        text=True,
        cwd=plans,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert (
        "C-1042.plan.yaml:4:7: X003 duplicate-client  The client ID `C-1042` is also used by "
        "C-1042-copy.plan.yaml." in run.stdout
    )
    assert not [line for line in run.stdout.splitlines() if not line.startswith("C-1042.plan")][:-1]
