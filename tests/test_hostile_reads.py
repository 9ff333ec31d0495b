"""What txplan reads when it is not what it should be (issue 12): a settings
file or a plan that is a device, a pipe, a loop or absurdly nested, a folder
holding such entries, and a txplan.toml above the plans repository. Each is
a one-line message and exit 2, or a note, never a hang, a crash, or a pass."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE_SETTINGS, example_text
from txplan.cli import app

runner = CliRunner()
TODAY = ["--today", "2026-02-01"]
PLAN = "C-1042.plan.yaml"


def _commands(folder: Path) -> dict[str, list[str]]:
    """Every command that reads settings, as it would be run on `folder`."""
    plan = str(folder / PLAN)
    return {
        "lint": ["lint", str(folder), *TODAY],
        "due": ["due", str(folder), *TODAY],
        "status": ["status", str(folder), *TODAY],
        "render": ["render", plan, "-o", str(folder / "out.html"), *TODAY],
        "export": ["export", plan, "--fhir", "-o", str(folder / "out.json")],
        "measure": ["measure", plan, "GAD-7", "9", "--today", "2026-03-01"],
        "review": ["review", plan, "--no-input", "--summary", "Reviewed.", *TODAY],
        "new": ["new", "C-2000", "--no-input", "--dir", str(folder), *TODAY],
    }


def _one_line_error(result: object, *said: str) -> None:
    exit_code = getattr(result, "exit_code", None) or getattr(result, "returncode", None)
    stderr = result.stderr  # type: ignore[attr-defined]
    assert exit_code == 2, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("txplan: "), stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    for text in said:
        assert text in lines[0], lines[0]


def _subprocess(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "txplan", *args],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


# --- --config that is no settings file ---------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_config_is_refused_at_once_by_every_command(plans: Path, device: str) -> None:
    (plans / PLAN).write_text(example_text())
    for name, args in _commands(plans).items():
        result = runner.invoke(app, [*args, "--config", device])
        _one_line_error(result, f"{device}: cannot read the settings file (not a regular file).")
        assert (plans / PLAN).read_text() == example_text(), name


def test_a_named_pipe_as_config_neither_hangs_nor_runs(plans: Path) -> None:
    (plans / PLAN).write_text(example_text())
    pipe = plans / "settings.toml"
    os.mkfifo(pipe)
    for name in ("lint", "due", "render", "measure"):
        run = _subprocess([*_commands(plans)[name], "--config", str(pipe)])
        _one_line_error(run, "cannot read the settings file (not a regular file)")


def test_a_config_larger_than_any_settings_file_is_refused(plans: Path) -> None:
    (plans / PLAN).write_text(example_text())
    big = plans / "big.toml"
    big.write_text("# " + "x" * 2_000_000 + "\n")
    result = runner.invoke(app, ["lint", str(plans / PLAN), "--config", str(big)])
    _one_line_error(result, "larger than 1 MB")


DEEP = {
    "arrays": "select = " + "[" * 3000 + "]" * 3000 + "\n",
    "inline tables": "payers = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
    "dotted keys": "payers.a" + ".b" * 3000 + " = 1\n",
    "nested tables": "[" + ".".join(["payers"] + ["x"] * 3000) + "]\n",
}


@pytest.mark.parametrize("how", sorted(DEEP))
def test_settings_nested_thousands_deep_are_one_line_in_every_command(
    plans: Path, how: str
) -> None:
    (plans / PLAN).write_text(example_text())
    (plans / "txplan.toml").write_text(DEEP[how])
    for name, args in _commands(plans).items():
        result = runner.invoke(app, args)
        _one_line_error(result, str(plans / "txplan.toml"))
        assert "deep" in result.stderr, (name, result.stderr)


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ("review_days = 99999999999999999999\n", "`review_days` must be a whole number from 1"),
        ("review_days = 999999999\n", "from 1 to 36500, not 999999999."),
        ("[payers.aetna]\nreview_days = 999999999\n", "`payers.aetna.review_days` must be"),
        ("due_soon_days = " + "9" * 5000 + "\n", "a number too long to read"),
        ("documentation_hours = " + "9" * 4000 + "\n", "not " + "9" * 37 + "..."),
    ],
)
def test_huge_numbers_in_settings_are_one_line_in_every_command(
    plans: Path, settings: str, said: str
) -> None:
    (plans / PLAN).write_text(example_text())
    (plans / "txplan.toml").write_text(settings)
    for args in _commands(plans).values():
        _one_line_error(runner.invoke(app, args), said)


@pytest.mark.parametrize("kind", ["pipe", "folder", "loop", "dangling"])
def test_a_txplan_toml_that_is_no_file_is_an_error_not_no_settings(plans: Path, kind: str) -> None:
    # With no settings the example's payer is unknown (C013); a txplan.toml
    # that cannot be read must not quietly run the rules with the defaults.
    (plans / PLAN).write_text(example_text())
    settings = plans / "txplan.toml"
    settings.unlink()
    if kind == "pipe":
        os.mkfifo(settings)
    elif kind == "folder":
        settings.mkdir()
    elif kind == "loop":
        settings.symlink_to(settings)
    else:
        settings.symlink_to(plans / "gone.toml")
    run = _subprocess(["lint", str(plans), *TODAY])
    _one_line_error(run, f"{settings}: cannot read the settings file")


# --- Settings discovery stops at the repository's root -----------------------


def _repository(tmp_path: Path) -> Path:
    (tmp_path / "txplan.toml").write_text('ignore = ["S", "E", "D", "P", "L", "R", "C", "X"]\n')
    repo = tmp_path / "clinic"
    (repo / "plans").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def test_a_txplan_toml_above_the_repository_is_not_its_settings(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    (repo / "plans" / PLAN).write_text(example_text().replace("F41.1", "F41"))
    result = runner.invoke(app, ["lint", str(repo / "plans"), *TODAY, "--format", "json"])
    found = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert "D002" in found and "C013" in found  # the default settings, all rules
    assert result.exit_code == 1


def test_the_repository_roots_own_txplan_toml_still_governs_its_folders(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    (repo / "txplan.toml").write_text('ignore = ["D002"]\n' + EXAMPLE_SETTINGS)
    (repo / "plans" / PLAN).write_text(example_text().replace("F41.1", "F41"))
    result = runner.invoke(app, ["lint", str(repo / "plans"), *TODAY, "--format", "json"])
    found = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert "D002" not in found and "C013" not in found


def test_a_worktree_root_is_a_repository_root(tmp_path: Path) -> None:
    # In a git worktree `.git` is a file; it marks the root all the same.
    repo = tmp_path / "wt"
    repo.mkdir()
    (tmp_path / "txplan.toml").write_text("max_goals = 1\n")
    (repo / ".git").write_text("gitdir: /elsewhere\n")
    from txplan.settings.reading import ConfigFinder

    assert ConfigFinder().for_file(repo / PLAN).max_goals == 3
    assert ConfigFinder().for_file(tmp_path / PLAN).max_goals == 1


# --- Folder scans: pipes, devices and loops are skipped with a note ----------


def _hostile_folder(plans: Path) -> dict[str, str]:
    (plans / PLAN).write_text(example_text())
    os.mkfifo(plans / "C-2000.plan.yaml")
    (plans / "C-3000.plan.yaml").symlink_to("/dev/zero")
    (plans / "C-4000.plan.yaml").symlink_to(plans / "C-4000.plan.yaml")
    (plans / "C-5000.plan.yaml").symlink_to(plans / "moved" / "C-5000.plan.yaml")
    (plans / "again").symlink_to(plans)  # a folder loop: not followed
    return {
        "C-2000.plan.yaml": "a named pipe, not a file",
        "C-3000.plan.yaml": "a device, not a file",
        "C-4000.plan.yaml": "a symbolic link that loops back on itself",
        "C-5000.plan.yaml": "a symbolic link to a file that does not exist",
    }


def _notes(stderr: str, plans: Path, expected: dict[str, str]) -> None:
    assert stderr.splitlines() == [
        f"txplan: {plans / name}: skipped, {why}; nothing in it was checked."
        for name, why in sorted(expected.items())
    ]


@pytest.mark.parametrize("command", ["lint", "due", "status"])
def test_a_folder_scan_skips_what_is_no_file_with_a_note_and_never_passes(
    plans: Path, command: str
) -> None:
    expected = _hostile_folder(plans)
    run = _subprocess([command, str(plans), *TODAY])
    assert run.returncode == 2
    _notes(run.stderr, plans, expected)
    if command == "lint":
        # The skipped plans are neither counted as checked nor as passing.
        assert run.stdout == "1 plan checked, none with problems; 4 files could not be read.\n"
    else:
        assert "C-1042" in run.stdout  # the readable plan is still reported


def test_a_folder_lint_of_unreadable_plans_never_says_no_problems_found(plans: Path) -> None:
    (plans / PLAN).write_text(example_text())
    os.mkfifo(plans / "C-2000.plan.yaml")
    result = runner.invoke(app, ["lint", str(plans), *TODAY, "--ignore", "C,R"])
    assert result.exit_code == 2
    assert "no problems found" not in result.stdout
    assert result.stdout == "1 plan checked, none with problems; 1 file could not be read.\n"
    data = json.loads(runner.invoke(app, ["lint", str(plans), *TODAY, "-f", "json"]).stdout)
    assert data["files"] == 1


def test_a_folder_render_skips_them_too(plans: Path) -> None:
    expected = _hostile_folder(plans)
    run = _subprocess(["render", str(plans), "-o", str(plans / "out"), *TODAY])
    assert run.returncode == 2
    assert run.stderr.splitlines()[0] == f"wrote {plans / 'out' / 'C-1042.plan.html'}"
    _notes("\n".join(run.stderr.splitlines()[1:]), plans, expected)


def test_a_folder_that_cannot_be_listed_is_said(plans: Path, monkeypatch) -> None:
    # As root nothing is unreadable, so the refusal is staged where os.walk lists.
    (plans / PLAN).write_text(example_text())
    (plans / "private").mkdir()
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = runner.invoke(app, ["lint", str(plans), *TODAY, "--ignore", "C,R"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"txplan: {plans / 'private'}: cannot read the folder (Permission denied).\n"
    )
    assert "no problems found" not in result.stdout


def test_a_symbolic_link_loop_named_on_the_command_line(plans: Path) -> None:
    loop = plans / PLAN
    loop.symlink_to(loop)
    for args in (["lint", str(loop)], ["due", str(loop)], ["status", str(loop)]):
        _one_line_error(
            runner.invoke(app, args), f"{loop}: a symbolic link that loops back on itself."
        )
    _one_line_error(runner.invoke(app, ["history", str(loop)]), "loops back on itself")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_named_as_a_plan_is_refused_by_every_reading_command(device: str) -> None:
    for args in (
        ["lint", device],
        ["due", device],
        ["status", device],
        ["render", device],
        ["export", device, "--fhir"],
    ):
        run = _subprocess(args)
        assert run.returncode == 2, args
        assert "not a regular file" in run.stderr and "internal error" not in run.stderr


# --- The settings file's JSON Schema -----------------------------------------


def test_schema_config_prints_the_settings_schema_from_the_model() -> None:
    import tomllib

    import jsonschema

    from txplan import config
    from txplan.settings.shape import Settings

    result = runner.invoke(app, ["schema", "--config"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == {**Settings.model_json_schema(), **_header(schema)}
    jsonschema.Draft202012Validator.check_schema(schema)
    # The keys the schema knows are the keys the did-you-mean knows.
    assert set(schema["properties"]) == set(config.KNOWN_KEYS)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["review_days"]["maximum"] == config.MAX_SETTING
    validator = jsonschema.Draft202012Validator(schema)
    example = tomllib.loads((Path(__file__).parent.parent / "examples/txplan.toml").read_text())
    assert not list(validator.iter_errors(example))
    for bad in (
        {"reveiw_days": 30},
        {"review_days": 99999999999999999999},
        {"payers": {"a": {"review_days": 0}}},
        {"instruments": {"SUDS": {"min": 0}}},
        {"severity": {"S004": "fatal"}},
    ):
        assert list(validator.iter_errors(bad)), bad


def _header(schema: dict[str, object]) -> dict[str, object]:
    return {key: schema[key] for key in ("$schema", "$id")}


def test_the_model_defaults_are_the_settings_defaults() -> None:
    from txplan.config import Config
    from txplan.settings.reading import parse_config
    from txplan.settings.shape import Settings

    defaults = Settings()
    assert parse_config(defaults.model_dump(), "t") == Config()
    assert parse_config({}, "t") == Config()


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 70_000, 200_000])
def test_a_file_is_read_whole_up_to_the_limit(tmp_path: Path, size: int) -> None:
    # read_limited asks for the size the file says it has: it must still
    # return every byte, and never more than the limit.
    from txplan.plan.files import read_limited

    path = tmp_path / PLAN
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path.write_bytes(data)
    assert read_limited(path) == data
    assert read_limited(path, 1000) == data[:1000]


def test_a_file_past_the_limit_is_read_one_byte_past_it(tmp_path: Path) -> None:
    from txplan.plan.files import read_limited
    from txplan.plan.loader import MAX_BYTES

    path = tmp_path / PLAN
    path.write_bytes(b"#" * (MAX_BYTES + 5000))
    assert len(read_limited(path)) == MAX_BYTES + 1


def test_a_file_that_grows_after_its_size_was_taken_is_read_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The size a stat reports can be stale by the time of the read: what the
    # file holds then is what is read (up to the limit), not the stale size.
    from txplan.plan import files

    path = tmp_path / PLAN
    path.write_bytes(b"a" * 100)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        path.write_bytes(b"b" * 100_000)  # grows between the stat and the read
        return info

    monkeypatch.setattr(files.os, "fstat", stale_fstat)
    assert files.read_limited(path) == b"b" * 100_000


def test_a_filesystem_that_answers_reads_short_still_gives_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Network and FUSE filesystems may return less than asked before the end:
    # only an empty read ends the file.
    from txplan.plan import files

    path = tmp_path / PLAN
    data = example_text().encode()
    path.write_bytes(data)
    real_read = os.read
    monkeypatch.setattr(files.os, "read", lambda fd, n: real_read(fd, min(n, 100)))
    assert files.read_limited(path) == data
