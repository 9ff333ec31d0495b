"""`txplan lint -` reads one plan from standard input (editors, pipes), and a
folder lint passes over what git ignores (.gitignore), as ruff does both."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import example_text
from txplan.cli import app
from txplan.plan.loader import MAX_BYTES

runner = CliRunner()
TODAY = ["--today", "2026-02-01"]


def _json(result: object) -> dict:  # type: ignore[type-arg]
    return json.loads(result.stdout)  # type: ignore[attr-defined,no-any-return]


# Standard input


def test_stdin_clean_plan_in_its_folder(plans: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `-` takes this folder's txplan.toml, which declares the example's payer.
    monkeypatch.chdir(plans)
    result = runner.invoke(app, ["lint", "-", *TODAY], input=example_text())
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 plan checked: no problems found.\n"


def test_stdin_settings_are_those_of_this_folder_without_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No txplan.toml declares the payer here: C013, reported as `-`.
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "-", *TODAY, "-f", "json"], input=example_text())
    assert result.exit_code == 1, result.output
    found = [(f["file"], f["code"]) for f in _json(result)["findings"]]
    assert found == [("-", "C013")]


def test_stdin_findings_are_named_by_stdin_filename(plans: Path) -> None:
    name = str(plans / "C-1042.plan.yaml")
    broken = example_text().replace("review_by:", "review_by: 2026-13-01\nold_review_by:", 1)
    result = runner.invoke(
        app, ["lint", "-", "--stdin-filename", name, *TODAY, "-f", "json"], input=broken
    )
    assert result.exit_code == 1, result.output
    report = _json(result)
    assert report["files"] == 1
    assert report["findings"]
    assert {f["file"] for f in report["findings"]} == {name}
    # The name's folder gave the settings: its payer is declared, so no C013.
    assert "C013" not in {f["code"] for f in report["findings"]}


def test_stdin_filename_alone_reads_standard_input(plans: Path) -> None:
    name = str(plans / "C-1042.plan.yaml")
    result = runner.invoke(app, ["lint", "--stdin-filename", name, *TODAY], input=example_text())
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 plan checked: no problems found.\n"


def test_f007_compares_stdin_filename_with_the_client_id(plans: Path) -> None:
    wrong = str(plans / "C-2000.plan.yaml")
    result = runner.invoke(
        app, ["lint", "-", "--stdin-filename", wrong, *TODAY, "-f", "json"], input=example_text()
    )
    assert [(f["file"], f["code"]) for f in _json(result)["findings"]] == [(wrong, "F007")]
    right = str(plans / "C-1042.plan.yaml")
    result = runner.invoke(
        app, ["lint", "-", "--stdin-filename", right, *TODAY, "-f", "json"], input=example_text()
    )
    assert _json(result)["findings"] == []


def test_oversize_stdin_is_f001_not_all_of_it_read(plans: Path) -> None:
    huge = b"# " + b"x" * (MAX_BYTES * 3)
    result = runner.invoke(app, ["lint", "-", *TODAY, "-f", "json"], input=huge)
    assert result.exit_code == 1, result.output
    (found,) = _json(result)["findings"]
    assert found["code"] == "F001"
    assert "at most 1 MiB" in found["message"]


def test_a_plan_just_within_the_limit_is_read(plans: Path) -> None:
    text = example_text()
    padded = text + "#" * (MAX_BYTES - len(text.encode()) - 1) + "\n"
    name = str(plans / "C-1042.plan.yaml")
    result = runner.invoke(app, ["lint", "--stdin-filename", name, *TODAY], input=padded)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"txplan: 1\n\x00\x01\x02", "binary data"),
        ("txplan: 1\nclient: {id: C-1042, name: José}\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_binary_or_non_utf8_stdin_is_a_finding(data: bytes, says: str) -> None:
    for fmt in ("text", "json", "sarif", "github"):
        result = runner.invoke(app, ["lint", "-", *TODAY, "-f", fmt], input=data)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "F001" in result.stdout
    assert (
        says
        in _json(runner.invoke(app, ["lint", "-", "-f", "json"], input=data))["findings"][0][
            "message"
        ]
    )


def test_stdin_works_with_every_format(plans: Path) -> None:
    name = str(plans / "C-2000.plan.yaml")
    for fmt in ("text", "json", "sarif", "github"):
        result = runner.invoke(
            app, ["lint", "-", "--stdin-filename", name, *TODAY, "-f", fmt], input=example_text()
        )
        assert result.exit_code == 0, result.output  # F007 is a warning
        assert "F007" in result.stdout
    sarif = json.loads(
        runner.invoke(
            app,
            ["lint", "-", "--stdin-filename", name, *TODAY, "-f", "sarif"],
            input=example_text(),
        ).stdout
    )
    assert sarif["runs"][0]["results"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-", "."],
            "txplan: `-` reads one plan from standard input; give no other paths with it.\n",
        ),
        (
            ["a.plan.yaml", "-"],
            "txplan: `-` reads one plan from standard input; give no other paths with it.\n",
        ),
        (
            ["-", "-"],
            "txplan: `-` reads one plan from standard input; give no other paths with it.\n",
        ),
        (
            [".", "--stdin-filename", "C-1042.plan.yaml"],
            "txplan: --stdin-filename names the plan read from standard input; give `-` alone.\n",
        ),
        (
            ["-", "--caseload", "."],
            "txplan: --caseload cannot be used with standard input: lint the plan's file instead.\n",
        ),
    ],
)
def test_stdin_mixed_with_paths_is_a_usage_error(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["lint", *args, *TODAY], input=example_text())
    assert result.exit_code == 2
    assert result.stderr == message
    assert result.stdout == ""


def test_cross_file_rules_see_the_stdin_plan_alone(plans: Path) -> None:
    # Another plan with the same client ID beside the name given: not X003.
    (plans / "C-1042.plan.yaml").write_text(example_text())
    name = str(plans / "C-1042-copy.plan.yaml")
    result = runner.invoke(
        app, ["lint", "-", "--stdin-filename", name, *TODAY, "-f", "json"], input=example_text()
    )
    assert not {f["code"] for f in _json(result)["findings"]} & {"X001", "X002", "X003"}


def test_subprocess_pipes_a_plan(plans: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "txplan",
            "lint",
            "-",
            "--stdin-filename",
            "C-2000.plan.yaml",
            *TODAY,
        ],
        input=example_text().encode(),
        capture_output=True,
        cwd=plans,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode()
    assert out.startswith("C-2000.plan.yaml:4:7: F007 file-name-mismatch  ")
    assert out.rstrip().endswith("0 errors, 1 warning in 1 of 1 plan.")
    assert run.stderr == b""


def test_subprocess_empty_stdin_is_a_finding() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "lint", "-", *TODAY],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    # Nothing on standard input: an empty file, reported like one.
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr.decode()
    assert run.stdout.decode().startswith("-:")


# .gitignore


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _linted(*args: str) -> set[str]:
    result = runner.invoke(app, ["lint", *args, *TODAY, "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    report = _json(result)
    names = {f["file"] for f in report["findings"]}
    return names | {"files=" + str(report["files"])}


def _plan(client: str) -> str:
    return example_text().replace("C-1042", client)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository (a .git folder marks its root) holding a plans folder;
    each plan has a finding (F007: named after another client), so each
    plan read is in the report."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "plans").mkdir()
    (root / "plans" / "txplan.toml").write_text("[payers.aetna]\nreview_days = 90\n")
    return root


def test_gitignore_ignores_a_plan_file(repo: Path) -> None:
    plans = _tree(
        repo / "plans",
        {"A-1.plan.yaml": _plan("X"), "scratch.plan.yaml": _plan("X"), ".gitignore": "scratch*\n"},
    )
    assert _linted(str(plans)) == {f"{plans}/A-1.plan.yaml", "files=1"}
    assert _linted(str(plans), "--no-respect-gitignore") == {
        f"{plans}/A-1.plan.yaml",
        f"{plans}/scratch.plan.yaml",
        "files=2",
    }


def test_gitignore_ignores_a_folder(repo: Path) -> None:
    plans = _tree(
        repo / "plans",
        {"A-1.plan.yaml": _plan("X"), "drafts/B-1.plan.yaml": _plan("X")},
    )
    (repo / ".gitignore").write_text("plans/drafts/\n")
    assert _linted(str(plans)) == {f"{plans}/A-1.plan.yaml", "files=1"}
    # Without the .gitignore, the draft is read.
    (repo / ".gitignore").unlink()
    assert "files=2" in _linted(str(plans))


def test_gitignore_negation_keeps_a_plan(repo: Path) -> None:
    plans = _tree(
        repo / "plans",
        {
            "old/A-1.plan.yaml": _plan("X"),
            "old/keep.plan.yaml": _plan("X"),
            "old/.gitignore": "*.plan.yaml\n!keep.plan.yaml\n",
        },
    )
    assert _linted(str(plans)) == {f"{plans}/old/keep.plan.yaml", "files=1"}


def test_a_nested_gitignore_overrides_the_one_above(repo: Path) -> None:
    plans = _tree(
        repo / "plans",
        {
            "A-1.plan.yaml": _plan("X"),
            "team/B-1.plan.yaml": _plan("X"),
            "team/C-1.plan.yaml": _plan("X"),
            "team/.gitignore": "!B-1.plan.yaml\nC-1.plan.yaml\n",
        },
    )
    (repo / ".gitignore").write_text("B-*.plan.yaml\n")
    assert _linted(str(plans)) == {
        f"{plans}/A-1.plan.yaml",
        f"{plans}/team/B-1.plan.yaml",
        "files=2",
    }
    # Linting the inner folder still reads the root's .gitignore (up to .git).
    (plans / "team" / ".gitignore").write_text("C-1.plan.yaml\n")
    assert _linted(str(plans / "team")) == {"files=0"}


def test_a_gitignore_above_the_repository_is_not_read(tmp_path: Path, repo: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.plan.yaml\n")
    plans = _tree(repo / "plans", {"A-1.plan.yaml": _plan("X")})
    assert _linted(str(plans)) == {f"{plans}/A-1.plan.yaml", "files=1"}


def test_an_ignored_file_named_explicitly_is_linted(repo: Path) -> None:
    plans = _tree(
        repo / "plans", {"scratch.plan.yaml": _plan("X"), ".gitignore": "scratch.plan.yaml\n"}
    )
    named = str(plans / "scratch.plan.yaml")
    assert _linted(str(plans)) == {"files=0"}
    assert _linted(named) == {named, "files=1"}


def test_an_ignored_folder_named_explicitly_is_linted(repo: Path) -> None:
    # `benchmarks/out/` is ignored; `txplan lint benchmarks/out/caseload` asks for it.
    plans = _tree(repo / "out" / "caseload", {"A-1.plan.yaml": _plan("X")})
    (repo / ".gitignore").write_text("out/\n")
    assert _linted(str(repo)) == {"files=0"}
    assert _linted(str(plans)) == {f"{plans}/A-1.plan.yaml", "files=1"}
    # The other patterns above still count inside it, and so does its own .gitignore.
    (plans / "B-1.bak.plan.yaml").write_text(_plan("X"))
    (repo / ".gitignore").write_text("out/\n*.bak.plan.yaml\n")
    assert _linted(str(plans)) == {f"{plans}/A-1.plan.yaml", "files=1"}
    (plans / ".gitignore").write_text("A-*\n")
    assert _linted(str(plans)) == {"files=0"}


def test_no_gitignore_at_all_reads_every_plan(tmp_path: Path) -> None:
    # No repository, no .gitignore: every plan, and pathspec is never imported.
    plans = _tree(tmp_path / "plans", {"A-1.plan.yaml": _plan("X"), "d/B-1.plan.yaml": _plan("X")})
    code = (
        "import sys; from txplan.plan.discover import discover; "
        f"n = len(list(discover([{str(plans)!r}]))); "
        "print(n, 'pathspec' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.split() == ["2", "False"], run.stderr


def test_ignored_yaml_is_not_named_as_passed_over(repo: Path) -> None:
    # F008 names a plan-like YAML file a folder lint skipped; not one git ignores.
    plans = _tree(repo / "plans", {"C-1042.plan.yml": example_text(), ".gitignore": "*.yml\n"})
    assert _linted(str(plans)) == {"files=0"}
    (plans / ".gitignore").write_text("")
    assert _linted(str(plans)) == {f"{plans}/C-1042.plan.yml", "files=0"}


def test_a_broken_gitignore_line_is_passed_over(repo: Path) -> None:
    plans = _tree(
        repo / "plans",
        {"A-1.plan.yaml": _plan("X"), "B-1.plan.yaml": _plan("X"), ".gitignore": "!\nB-1*\n"},
    )
    assert _linted(str(plans)) == {f"{plans}/A-1.plan.yaml", "files=1"}


def test_what_gitignore_kept_from_lint_is_said_not_passed_in_silence(repo: Path) -> None:
    plans = _tree(
        repo / "plans",
        {"A-1.plan.yaml": _plan("X"), "B-1.plan.yaml": _plan("X"), "drafts/C-1.plan.yaml": ""},
    )
    (repo / ".gitignore").write_text("*.plan.yaml\nplans/drafts/\n")
    result = runner.invoke(app, ["lint", str(plans), *TODAY])
    assert result.exit_code == 0, result.output
    assert "0 plans checked" in result.stdout
    said = result.stderr
    assert "not checked, because .gitignore ignores them" in said
    assert "A-1.plan.yaml" in said and "drafts" in said and "--no-respect-gitignore" in said


def test_outside_a_repository_a_gitignore_means_nothing(tmp_path: Path) -> None:
    plans = _tree(
        tmp_path / "plans", {"A-1.plan.yaml": _plan("X"), ".gitignore": "A-1.plan.yaml\n"}
    )
    assert _linted(str(plans)) == {f"{plans}/A-1.plan.yaml", "files=1"}


@pytest.mark.parametrize("command", ["due", "status"])
def test_due_and_status_read_every_plan_whatever_git_ignores(repo: Path, command: str) -> None:
    # A review date nobody sees is the harm: only lint honours .gitignore.
    plans = _tree(repo / "plans", {"C-1042.plan.yaml": example_text()})
    (repo / ".gitignore").write_text("*.plan.yaml\n")
    result = runner.invoke(app, [command, str(plans), *TODAY])
    assert result.exit_code == 0, result.output
    assert "C-1042" in result.stdout


def test_a_plan_from_stdin_is_a_test_case_in_junit(plans: Path) -> None:
    text = example_text()
    result = runner.invoke(
        app,
        ["lint", "-", "--stdin-filename", str(plans / "C-1042.plan.yaml"), "-f", "junit", *TODAY],
        input=text,
    )
    assert 'tests="0"' not in result.stdout, result.stdout
    assert "<testcase" in result.stdout


def test_stdin_on_a_terminal_says_what_it_waits_for() -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "txplan", "lint", "-", *TODAY],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(follower)
    os.write(leader, b"txplan: 1\n\x04")  # a line, then Ctrl-D: the end of input
    out, err = process.communicate(timeout=60)
    os.close(leader)
    assert b"reading a plan from standard input; end it with Ctrl-D" in err
    assert process.returncode == 1, (out, err)  # a plan with nothing but its format
    assert b"-:" in out
