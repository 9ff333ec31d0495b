"""History from git: `txplan history` and rule X002."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import edit, example_text
from txplan.cli import app
from txplan.engine import lint_paths

runner = CliRunner()


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "clinician@example.invalid")
    git(tmp_path, "config", "user.name", "Susan Q. Practitioner")
    (tmp_path / "C-1042.plan.yaml").write_text(example_text())
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "Initial plan", "--date", "2026-01-12T10:00:00")
    return tmp_path


def _x002(repo: Path) -> list[str]:
    result = lint_paths([str(repo)], today=dt.date(2026, 2, 1))
    return [f.message for f in result.findings if f.code == "X002"]


def test_x002_fires_on_an_unexplained_change_and_not_otherwise(repo: Path) -> None:
    plan = repo / "C-1042.plan.yaml"
    assert _x002(repo) == []
    # Progress is not a change of plan.
    plan.write_text(edit(plan.read_text(), set_={"goals[0].objectives[1].status": "met"}))
    assert _x002(repo) == []
    # A reworded objective and a new intervention are.
    plan.write_text(
        edit(
            plan.read_text(),
            set_={
                "goals[0].objectives[2].statement": "Client will use 4 coping techniques within 6 weeks.",
                "interventions[3].objectives": ["O2.1"],
            },
        )
    )
    (message,) = _x002(repo)
    assert "objective O1.3 reworded" in message and "intervention I4 now serves O2.1" in message
    # A changes entry that says why settles it.
    plan.write_text(
        edit(
            plan.read_text(),
            set_={
                "changes": [
                    {
                        "date": dt.date(2026, 2, 1),
                        "what": "O1.3 asks for 4 techniques",
                        "why": "3 were met early",
                    }
                ]
            },
        )
    )
    assert _x002(repo) == []


def test_x002_is_silent_outside_git(plans: Path) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    assert [f for f in lint_paths([str(plans)], today=dt.date(2026, 2, 1)).findings] == []


def test_history_lists_versions_in_clinical_terms(repo: Path) -> None:
    plan = repo / "C-1042.plan.yaml"
    plan.write_text(
        edit(
            plan.read_text(),
            set_={
                "goals[0].objectives[2].status": "met",
                "review_by": dt.date(2026, 7, 5),
                "goals[1].objectives[0].statement": "Client will meet all deadlines for 6 weeks within 10 weeks.",
            },
        )
    )
    git(repo, "commit", "-qam", "Review", "--date", "2026-04-06T10:00:00")
    result = runner.invoke(app, ["history", str(plan)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Initial plan" in out and "plan written: 2 goals, 5 objectives, 4 interventions" in out
    assert "objective O2.1 reworded" in out
    assert "objective O1.3 no status → met" in out
    assert "review date 2026-04-12 → 2026-07-05" in out


def test_history_outside_git_says_why(plans: Path) -> None:
    (plans / "C-1.plan.yaml").write_text(example_text())
    result = runner.invoke(app, ["history", str(plans / "C-1.plan.yaml")])
    assert result.exit_code == 2 and "not in a git repository" in result.stderr


def test_history_of_an_uncommitted_plan(repo: Path) -> None:
    (repo / "C-2.plan.yaml").write_text(example_text())
    result = runner.invoke(app, ["history", str(repo / "C-2.plan.yaml")])
    assert result.exit_code == 2 and "no committed versions yet" in result.stderr
