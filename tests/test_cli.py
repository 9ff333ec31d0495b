"""The command line: every lint option, the exit codes, rule, schema, version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE_SETTINGS, ROOT, edit, example_text
from txplan import __version__
from txplan.cli import COMMANDS, app

runner = CliRunner()
TODAY = ["--today", "2026-02-01"]


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def clean(plans: Path) -> Path:
    path = plans / "C-1042.plan.yaml"
    path.write_text(example_text(), encoding="utf-8")
    return path


@pytest.fixture
def flawed(plans: Path) -> Path:
    path = plans / "C-1043.plan.yaml"
    text = edit(
        example_text().replace("C-1042", "C-1043"),
        delete=["review_by", "client.dob", "client.member_id"],
    )
    path.write_text(text.replace("role: rule-out", "role: secondary"), encoding="utf-8")
    return path


def test_clean_plan_exits_0_with_a_summary(clean: Path) -> None:
    result = run("lint", str(clean), *TODAY)
    assert result.exit_code == 0, result.output
    assert "1 plan checked: no problems found." in result.stdout


def test_errors_exit_1_and_point_at_the_line(flawed: Path) -> None:
    result = run("lint", str(flawed), *TODAY)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"{flawed}:") and " E007 missing-review-date  " in line for line in lines
    )
    assert "2 errors, 1 warning in 1 of 1 plan." in result.stdout


def test_json_output_matches_the_contract(flawed: Path) -> None:
    result = run("lint", str(flawed), "--format", "json", *TODAY)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["files"] == 1
    assert data["summary"] == {"error": 2, "warning": 1, "info": 0}
    keys = {
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "name",
        "severity",
        "message",
        "path",
    }
    for finding in data["findings"]:
        assert set(finding) == keys
    d007 = next(f for f in data["findings"] if f["code"] == "D007")
    assert d007["path"] == "diagnoses[1].code" and d007["severity"] == "warning"
    assert d007["file"] == str(flawed)


def test_strict_makes_warnings_fail(clean: Path) -> None:
    text = clean.read_text().replace("role: rule-out", "role: secondary")
    clean.write_text(text)
    assert run("lint", str(clean), *TODAY).exit_code == 0
    assert run("lint", str(clean), "--strict", *TODAY).exit_code == 1


def test_verbose_shows_info_notes(clean: Path) -> None:
    soon = ["--today", "2026-04-01"]
    assert "R003" not in run("lint", str(clean), *soon).stdout
    assert "R003 review-due-soon" in run("lint", str(clean), "--verbose", *soon).stdout


def test_quiet_prints_findings_only(flawed: Path, clean: Path) -> None:
    assert run("lint", str(clean), "--quiet", *TODAY).stdout == ""
    loud = run("lint", str(flawed), *TODAY).stdout.splitlines()
    quiet = run("lint", str(flawed), "-q", *TODAY).stdout.splitlines()
    assert quiet == loud[:-1] and loud[-1] == "2 errors, 1 warning in 1 of 1 plan."


def test_select_and_ignore(flawed: Path) -> None:
    only = run("lint", str(flawed), "--select", "E", "--format", "json", *TODAY)
    assert {f["code"] for f in json.loads(only.stdout)["findings"]} == {"E007"}
    skip = run("lint", str(flawed), "--ignore", "E007,C008", "--format", "json", *TODAY)
    assert {f["code"] for f in json.loads(skip.stdout)["findings"]} == {"D007"}
    assert skip.exit_code == 0


def test_unknown_code_in_select_is_a_usage_error(clean: Path) -> None:
    result = run("lint", str(clean), "--select", "Q123", *TODAY)
    assert result.exit_code == 2 and "Q123" in result.stderr


def test_bad_today_is_a_usage_error(clean: Path) -> None:
    result = run("lint", str(clean), "--today", "2026-13-01")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "txplan: --today: '2026-13-01' is not a date; write YYYY-MM-DD, e.g. 2026-02-01."
    )


def test_missing_path_is_exit_2(plans: Path) -> None:
    result = run("lint", str(plans / "nope.plan.yaml"))
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_exit_2(clean: Path) -> None:
    clean.chmod(0)
    result = run("lint", str(clean), *TODAY)
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_unreadable_and_special_files_are_exit_2() -> None:
    # Unreadable even for root: reading /proc/self/mem from offset 0 fails.
    result = run("lint", "/proc/self/mem", *TODAY)
    assert result.exit_code == 2 and "cannot read" in result.stderr
    # A device is refused rather than read forever.
    result = run("lint", "/dev/zero", *TODAY)
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_config_option_overrides_the_nearest_settings(clean: Path, tmp_path: Path) -> None:
    (clean.parent / "txplan.toml").write_text("max_goals = 1\n" + EXAMPLE_SETTINGS)
    assert "C007" in run("lint", str(clean), *TODAY).stdout
    other = tmp_path / "other.toml"
    other.write_text("max_goals = 5\n" + EXAMPLE_SETTINGS)
    result = run("lint", str(clean), "--config", str(other), *TODAY)
    assert "C007" not in result.stdout and result.exit_code == 0


def test_bad_config_is_a_one_line_error(clean: Path) -> None:
    (clean.parent / "txplan.toml").write_text("reveiw_days = 30\n")
    result = run("lint", str(clean), *TODAY)
    assert result.exit_code == 2
    assert "unknown setting `reveiw_days`. Did you mean `review_days`?" in result.stderr
    (clean.parent / "txplan.toml").write_text("review_days = [\n")
    result = run("lint", str(clean), *TODAY)
    assert result.exit_code == 2 and "not valid TOML" in result.stderr


def test_no_color_and_piped_output_are_plain(flawed: Path) -> None:
    result = run("lint", str(flawed), "--no-color", *TODAY)
    assert "\x1b[" not in result.stdout


def test_jobs_gives_the_same_result(plans: Path) -> None:
    for i in range(60):
        text = example_text().replace("C-1042", f"C-{i:04d}")
        (plans / f"C-{i:04d}.plan.yaml").write_text(text)
    one = run("lint", str(plans), "--jobs", "1", "--format", "json", *TODAY)
    two = run("lint", str(plans), "--jobs", "2", "--format", "json", *TODAY)
    assert one.exit_code == two.exit_code == 0
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert json.loads(two.stdout)["files"] == 60


def test_folder_lint_reports_paths_relative_to_the_argument(plans: Path, clean: Path) -> None:
    (plans / "archive").mkdir()
    (plans / "archive" / "old.plan.yaml").write_text("not: [valid")
    (plans / "notes.yaml").write_text("not: [valid")
    result = run("lint", str(plans), "--format", "json", "--ignore", "R", *TODAY)
    data = json.loads(result.stdout)
    assert data["files"] == 1 and result.exit_code == 0
    # A finding in a folder's plan names it under the folder as given.
    late = run("lint", str(plans), "--format", "json", "--today", "2026-05-01")
    assert {f["file"] for f in json.loads(late.stdout)["findings"]} == {
        os.path.join(str(plans), "C-1042.plan.yaml")
    }


def test_rule_list_and_pages() -> None:
    listing = run("rule")
    assert listing.exit_code == 0
    assert "E001  missing-diagnosis" in listing.stdout and "F: the file" in listing.stdout
    page = run("rule", "D002")
    assert page.exit_code == 0
    assert page.stdout.startswith("D002 non-billable-code (error)")
    for heading in ("Why it matters:", "Example that fails:", "Use instead:"):
        assert heading in page.stdout
    assert run("rule", "missing-diagnosis").stdout.startswith("E001 ")
    missing = run("rule", "E999")
    assert missing.exit_code == 2 and "no rule 'E999'" in missing.stderr


def test_every_rule_page_has_why_and_examples() -> None:
    from txplan.rules import REGISTRY

    for rule in REGISTRY.values():
        parts = rule.sections()
        assert parts["summary"] and parts.get("why"), rule.code
        assert parts.get("fails") and parts.get("passes"), rule.code


def test_schema_is_json_schema_of_the_model() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["required"] == ["txplan", "client"]
    assert "review_by" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_schema_accepts_the_example(clean: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from txplan.plan.loader import load_text

    schema = json.loads(run("schema").stdout)
    data = load_text(clean.read_text()).data
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_version_both_ways() -> None:
    assert run("--version").stdout == f"txplan {__version__}\n"


# Real subprocesses: the installed console script and `python -m txplan`.


def _txplan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "txplan", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_subprocess_lint_examples_folder() -> None:
    result = _txplan("lint", "examples", "--format", "json", "--today", "2026-11-22", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["files"] >= 11
    flawed_only = {f["file"].split("/")[1] for f in data["findings"] if f["severity"] == "error"}
    assert flawed_only == {"flawed"}


def test_subprocess_version_and_usage_error() -> None:
    assert _txplan("--version").stdout == f"txplan {__version__}\n"
    bad = _txplan("lint", "--format", "xml")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_subprocess_default_path_is_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (tmp_path / "C-1042.plan.yaml").write_text(example_text())
    result = _txplan("lint", "--today", "2026-02-01", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 plan checked" in result.stdout


def _lint_through_the_console_script(
    folder: Path, before: str, after: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`txplan lint` of the example plan in a fresh interpreter, as the console
    script runs it, with `before` run first and `after` printing to stderr."""
    (folder / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    (folder / "C-1042.plan.yaml").write_text(example_text())
    code = (
        f"{before}\n"
        "sys.argv = ['txplan', 'lint', 'C-1042.plan.yaml', '--today', '2026-02-01']\n"
        "from txplan.entry import main\n"
        "try: main()\n"
        "except SystemExit: pass\n"
        f"{after}"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=folder, env=env
    )
    assert "1 plan checked: no problems found." in result.stdout, result.stderr
    return result


@pytest.mark.parametrize("given", [None, "some-plugin"])
def test_a_lint_run_skips_pydantic_plugin_discovery(tmp_path: Path, given: str | None) -> None:
    # Through pydantic's documented switch, PYDANTIC_DISABLE_PLUGINS; a value
    # the user set is theirs. Discovery reads every package's entry points.
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if given:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    result = _lint_through_the_console_script(
        tmp_path,
        "import sys, os, importlib.metadata as m; looked = []; real = m.entry_points\n"
        "m.entry_points = lambda *a, **k: looked.append(1) or real(*a, **k)",
        "print(len(looked), os.environ['PYDANTIC_DISABLE_PLUGINS'], file=sys.stderr)",
        env,
    )
    if given:
        assert result.stderr.split()[-1] == given
    else:
        assert result.stderr.split()[-2:] == ["0", "__all__"]


def test_a_txplan_run_does_without_the_cyclic_collector(tmp_path: Path) -> None:
    # A caseload's millions of values, none in a cycle, made the collector a
    # tenth to a sixth of a lint's time; the program (not the library) turns it off.
    result = _lint_through_the_console_script(
        tmp_path,
        "import gc, sys\nbefore = gc.isenabled()",
        "print(before, gc.isenabled(), file=sys.stderr)",
    )
    assert result.stderr.strip() == "True False"


def test_importing_txplan_leaves_the_collector_on() -> None:
    import gc

    import txplan.cli
    import txplan.workflow.lint  # noqa: F401

    assert gc.isenabled()


def test_terminal_output_is_colored_and_says_the_same(flawed: Path) -> None:
    import datetime
    import io
    import re

    from txplan.outputs import reporters
    from txplan.workflow.lint import lint_paths

    result = lint_paths([str(flawed)], today=datetime.date(2026, 2, 1))
    plain, colored = io.StringIO(), io.StringIO()
    reporters.write_text(result.findings, 1, plain, color=False, quiet=False)
    reporters.write_text(result.findings, 1, colored, color=True, quiet=False)
    assert "\x1b[" in colored.getvalue()
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", colored.getvalue())
    assert stripped == plain.getvalue()


def test_subprocess_help_lists_every_command_though_a_run_builds_one() -> None:
    out = _txplan("--help").stdout
    for name in COMMANDS:
        assert f" {name} " in out, name
    assert _txplan("nosuch").returncode == 2
    # An option before the command still shows every command.
    before = _txplan("--help", "lint").stdout
    assert all(f" {name} " in before for name in COMMANDS), before


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_shows_flags_as_flags_and_ends_with_an_example(name: str) -> None:
    result = runner.invoke(app, [name, "--help"] if name else ["--help"])
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    if name:
        last = result.output.rstrip().splitlines()[-1].strip()
        assert last.startswith(f"txplan {name}"), result.output


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "a\0b"],
        ["lint", "-", "--stdin-filename", "\0/0"],
        ["lint", ".", "--config", "a\0"],
        ["history", "C-1042\0"],
        ["review", "C-1042\0"],
        ["measure", "C-1042.plan.yaml", "PHQ\0-9", "3"],
        ["init", "plans\0"],
    ],
)
def test_a_nul_byte_in_any_argument_is_one_line_and_exit_2(args: list[str]) -> None:
    # No shell can pass one, but a program calling txplan can, and every
    # path call raises ValueError on it.
    result = runner.invoke(app, args, input=b"")
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, ValueError)
    assert result.stderr == (
        "txplan: an argument holds a NUL byte (\\0), which no file name or plan text can hold.\n"
    )
