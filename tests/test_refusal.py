"""`render` and `export` refuse a plan with structural (F) errors: one line
naming the first, exit 2, and no output file, whole or partial."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import example_text
from txplan.cli import app

runner = CliRunner()
TODAY = ["--today", "2026-02-01"]

# Each breaks the contract's example in one structural way: (code, line, column, text).
BROKEN = {
    "F001": ("  history: Symptoms for 8+ months", "  history: Onset: 8+ months ago", 43),
    "F002": ("review_by: 2026-04-12", "reveiw_by: 2026-04-12", 17),
    "F003": ("txplan: 1 ", "txplan: 2 ", 1),
    "F004": ("  - id: P2\n", "  - id: P1\n", 65),
    "F005": ("written: 2026-01-12 ", "written: 2026-01-12\nwritten: 2026-01-13 ", 17),
}


def _broken(code: str) -> str:
    old, new, _line = BROKEN[code]
    text = example_text()
    assert old in text
    return text.replace(old, new, 1)


def _one_line_naming(stderr: str, name: str, code: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    line = BROKEN[code][2]
    assert lines[0].startswith(f"txplan: {name}:{line}:"), lines[0]
    assert f": {code} " in lines[0] and f"txplan lint {name}" in lines[0]


@pytest.mark.parametrize("code", sorted(BROKEN))
@pytest.mark.parametrize("command", ["render", "export"])
def test_a_plan_with_a_structural_error_is_refused_and_nothing_is_written(
    plans: Path, code: str, command: str
) -> None:
    source = plans / "C-1042.plan.yaml"
    source.write_text(_broken(code))
    target = plans / "C-1042.out"
    extra = ["--fhir"] if command == "export" else [*TODAY]
    to_file = runner.invoke(app, [command, str(source), *extra, "-o", str(target)])
    assert to_file.exit_code == 2
    _one_line_naming(to_file.stderr, str(source), code)
    assert not target.exists() and sorted(os.listdir(plans)) == ["C-1042.plan.yaml", "txplan.toml"]
    to_stdout = runner.invoke(app, [command, str(source), *extra])
    assert to_stdout.exit_code == 2 and to_stdout.stdout == ""


def test_the_refusal_names_the_first_error_and_counts_the_others(plans: Path) -> None:
    source = plans / "C-1042.plan.yaml"
    source.write_text(_broken("F002").replace("role: primary", "role: principal"))
    result = runner.invoke(app, ["render", str(source), *TODAY])
    assert result.exit_code == 2
    assert f"{source}:17:1: F002 schema  Unknown key `reveiw_by`" in result.stderr
    assert "Fix it and 1 more before rendering it: `txplan lint" in result.stderr


def test_warnings_and_suppressed_errors_do_not_refuse(plans: Path) -> None:
    # What lint lets pass (a suppression with a reason), render renders.
    source = plans / "C-1042.plan.yaml"
    source.write_text(
        _broken("F002").replace(
            "reveiw_by: 2026-04-12", "reveiw_by: 2026-04-12  # txplan: ignore[F002] old key"
        )
    )
    assert runner.invoke(app, ["lint", str(source), "--select", "F"]).exit_code == 0
    assert runner.invoke(app, ["render", str(source), *TODAY]).exit_code == 0


def test_a_folder_render_refuses_each_broken_plan_and_renders_the_others(plans: Path) -> None:
    plans.joinpath("C-1042.plan.yaml").write_text(example_text())
    plans.joinpath("C-2000.plan.yaml").write_text(_broken("F002").replace("C-1042", "C-2000"))
    plans.joinpath("C-3000.plan.yaml").write_text(_broken("F005").replace("C-1042", "C-3000"))
    plans.joinpath("C-4000.plan.yaml").write_text(example_text().replace("C-1042", "C-4000"))
    result = runner.invoke(app, ["render", str(plans), "-f", "md", *TODAY])
    assert result.exit_code == 2
    assert sorted(os.listdir(plans / "out")) == ["C-1042.plan.md", "C-4000.plan.md"]
    refused = [line for line in result.stderr.splitlines() if line.startswith("txplan: ")]
    assert [line.split(":")[1].strip() for line in refused] == [
        str(plans / "C-2000.plan.yaml"),
        str(plans / "C-3000.plan.yaml"),
    ]
    assert ": F002 schema " in refused[0] and ": F005 duplicate-key " in refused[1]
    assert result.stderr.count("wrote ") == 2


def test_a_folder_of_broken_plans_makes_no_output_folder(plans: Path) -> None:
    plans.joinpath("C-2000.plan.yaml").write_text("txplan: 1\nclient: [oops\n")
    result = runner.invoke(app, ["render", str(plans), *TODAY])
    assert result.exit_code == 2 and ": F001 yaml-syntax " in result.stderr
    assert not (plans / "out").exists()


def test_a_file_that_is_no_plan_is_refused_by_what_it_is(plans: Path) -> None:
    settings = plans / "txplan.toml"
    settings.write_text("# settings\nmax_goals = 4\n")
    result = runner.invoke(app, ["export", str(settings), "--fhir"])
    assert result.exit_code == 2 and "txplan.toml is TOML, not a plan" in result.stderr


def test_subprocess_render_and_export_refuse(plans: Path) -> None:
    source = plans / "C-1042.plan.yaml"
    source.write_text(_broken("F002"))
    for command, extra in [("render", [*TODAY]), ("export", ["--fhir"])]:
        target = plans / f"out.{command}"
        run = subprocess.run(
            [sys.executable, "-m", "txplan", command, str(source), *extra, "-o", str(target)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 2 and run.stdout == ""
        _one_line_naming(run.stderr, str(source), "F002")
        assert not target.exists()


def test_sound_plan_is_the_shared_refusal(plans: Path) -> None:
    # measure and review are to reuse it: a Plan, or Refusal with the one line.
    from txplan.config import Config
    from txplan.plan.loader import load_text
    from txplan.workflow.lint import Refusal, sound_plan

    plan = sound_plan("C-1042.plan.yaml", load_text(example_text()), Config(), "before it")
    assert plan.client.id == "C-1042"
    with pytest.raises(Refusal) as refused:
        sound_plan("C-1042.plan.yaml", load_text(_broken("F005")), Config(), "before recording")
    message = str(refused.value)
    assert message.startswith("C-1042.plan.yaml:17:1: F005 duplicate-key  The key `written`")
    assert "Fix it before recording: `txplan lint C-1042.plan.yaml`" in message
    assert "\n" not in message
