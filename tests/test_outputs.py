"""`-o` for lint, render and export (txplan.outputs.targets): a file is replaced
atomically and owner-only, a folder is written into, `-` is the screen, and
whatever a write would destroy is refused with one line and exit 2."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import example_text
from txplan.cli import app
from txplan.outputs.targets import OutputError, copy_name, folder_target, target

runner = CliRunner()
TODAY = ["--today", "2026-02-01"]
# Each command that takes -o, as the arguments before it (PLAN stands for the plan).
COMMANDS = {
    "lint": ["lint", "PLAN", *TODAY],
    "render": ["render", "PLAN", "-f", "md", *TODAY],
    "export": ["export", "PLAN", "--fhir"],
}
# The name each writes inside a folder given to -o.
IN_FOLDER = {
    "lint": "txplan-lint.txt",
    "render": "C-1042.plan.md",
    "export": "C-1042.plan.fhir.json",
}


@pytest.fixture
def plan(plans: Path) -> Path:
    path = plans / "C-1042.plan.yaml"
    path.write_text(example_text(), encoding="utf-8")
    return path


def run(command: str, plan: Path, *extra: str):  # type: ignore[no-untyped-def]
    args = [str(plan) if a == "PLAN" else a for a in COMMANDS[command]]
    return runner.invoke(app, [*args, *extra])


def _refused(result, *words: str) -> str:  # type: ignore[no-untyped-def]
    """The one line of a refusal, after checking exit 2 and nothing on stdout."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("txplan: "), result.stderr
    assert "internal error" not in lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind (files.py names them `.NAME.*.tmp`)."""
    return [p.name for p in folder.rglob(".*.tmp")]


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p)] = f"-> {os.readlink(p)}"
        elif p.is_file():
            out[str(p)] = p.read_bytes()
        else:
            out[str(p)] = stat.filemode(p.lstat().st_mode)
    return out


# --- refusals: one line, exit 2, nothing touched -------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_plan_being_read_is_refused(plan: Path, command: str) -> None:
    before = plan.read_bytes()
    result = run(command, plan, "-o", str(plan))
    _refused(result, f"-o {plan} is one of the files this command reads")
    assert plan.read_bytes() == before and _leftovers(plan.parent) == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_settings_file_given_with_config_is_refused(plan: Path, command: str) -> None:
    # An input by identity alone: not named like a plan, not holding one.
    settings = plan.parent / "settings.toml"
    settings.write_text("[payers.aetna]\nreview_days = 90\n")
    result = run(command, plan, "--config", str(settings), "-o", str(settings))
    _refused(result, "is one of the files this command reads")
    assert settings.read_text() == "[payers.aetna]\nreview_days = 90\n"


def test_a_hard_link_to_the_plan_is_the_plan(plan: Path) -> None:
    other = plan.parent / "backup.txt"
    os.link(plan, other)
    result = run("render", plan, "-o", str(other))
    _refused(result, "is one of the files this command reads")
    assert plan.read_text() == example_text()


@pytest.mark.parametrize("name", ["C-2001.plan.yaml", "C-2001.plan.yml", "C-2001.note.yaml"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_plan_or_note_name_is_refused_even_when_new(plan: Path, command: str, name: str) -> None:
    result = run(command, plan, "-o", str(plan.parent / name))
    kind = "note" if name.endswith(".note.yaml") else "plan"
    _refused(result, f"is named like a {kind} (*{name.removeprefix('C-2001')})")
    assert not (plan.parent / name).exists()


def test_another_plan_is_refused_by_its_name(plan: Path) -> None:
    # The case, the other way round: a plan in the folder, not the input.
    other = plan.parent / "C-2000.plan.yaml"
    other.write_text(example_text().replace("C-1042", "C-2000"))
    result = runner.invoke(app, ["lint", str(plan), "-o", str(other), *TODAY])
    _refused(result, "named like a plan (*.plan.yaml)")
    assert other.read_text() == example_text().replace("C-1042", "C-2000")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_file_that_holds_a_plan_is_refused_whatever_its_name(plan: Path, command: str) -> None:
    draft = plan.parent / "draft.yaml"
    draft.write_text(example_text())
    result = run(command, plan, "-o", str(draft))
    _refused(result, "holds a plan")
    assert draft.read_text() == example_text()


def test_txplan_toml_is_refused(plan: Path) -> None:
    settings = plan.parent / "txplan.toml"
    before = settings.read_text()
    _refused(run("lint", plan, "-o", str(settings)), "txplan's settings file")
    assert settings.read_text() == before


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_named_pipe_is_refused_without_waiting(plan: Path, command: str) -> None:
    fifo = plan.parent / "report.fifo"
    os.mkfifo(fifo)
    _refused(run(command, plan, "-o", str(fifo)), "is a named pipe (FIFO)")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.fixture
def device(tmp_path: Path) -> Iterator[Path]:
    """A character device. As root, a copy of /dev/null made here, so that a
    regression replaces the copy and not the machine's /dev/null; otherwise
    /dev/null itself, which a user cannot replace."""
    if os.geteuid() == 0:
        node = tmp_path / "null"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        yield node
    else:
        yield Path("/dev/null")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_device_is_refused(plan: Path, command: str, device: Path) -> None:
    _refused(run(command, plan, "-o", str(device)), f"-o {device} is a device")
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_a_socket_is_refused(plan: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        _refused(run("render", plan, "-o", str(path)), "is a socket")
        assert stat.S_ISSOCK(path.lstat().st_mode)
    finally:
        server.close()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_symbolic_link_is_refused_and_both_ends_are_kept(plan: Path, command: str) -> None:
    real = plan.parent / "real.txt"
    real.write_text("kept\n")
    link = plan.parent / "report.txt"
    link.symlink_to(real)
    _refused(run(command, plan, "-o", str(link)), "is a symbolic link")
    assert link.is_symlink() and real.read_text() == "kept\n"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_missing_parent_folder_is_one_line(plan: Path, command: str) -> None:
    missing = plan.parent / "no-such" / "report.txt"
    line = _refused(run(command, plan, "-o", str(missing)), "does not exist; create it first")
    assert str(plan.parent / "no-such") in line and ".tmp" not in line
    assert not (plan.parent / "no-such").exists()


def test_a_parent_that_is_a_file_is_one_line(plan: Path) -> None:
    (plan.parent / "notes.txt").write_text("x")
    _refused(run("lint", plan, "-o", str(plan.parent / "notes.txt" / "r.txt")), "is not a folder")


def test_a_trailing_slash_on_a_file_is_one_line(plan: Path) -> None:
    (plan.parent / "notes.txt").write_text("x")
    _refused(run("export", plan, "-o", str(plan.parent / "notes.txt") + "/"), "is not a folder")
    assert (plan.parent / "notes.txt").read_text() == "x"


def test_an_empty_output_name_is_one_line(plan: Path) -> None:
    _refused(run("render", plan, "-o", ""), "-o needs a file or folder name")


def test_a_folder_render_to_the_screen_is_refused(plan: Path) -> None:
    result = runner.invoke(app, ["render", str(plan.parent), "-o", "-", *TODAY])
    _refused(result, "a folder render writes one file per plan")
    assert not (plan.parent / "out").exists()


def test_a_file_named_out_stops_a_folder_render(plan: Path) -> None:
    (plan.parent / "out").write_text("kept")
    result = runner.invoke(app, ["render", str(plan.parent), *TODAY])
    _refused(result, "out is not a folder", "name the output folder with -o")
    assert (plan.parent / "out").read_text() == "kept"


def test_a_folder_render_into_a_file_is_refused(plan: Path) -> None:
    into = plan.parent / "report.html"
    into.write_text("kept")
    result = runner.invoke(app, ["render", str(plan.parent), "-o", str(into), *TODAY])
    _refused(result, "is a file: a folder render writes one file per plan")
    assert into.read_text() == "kept"


def test_refusals_come_before_the_work(plan: Path) -> None:
    # A bad -o on a folder with a broken plan: the -o line alone, no lint report.
    (plan.parent / "C-2000.plan.yaml").write_text("txplan: 1\nclient: [oops\n")
    result = runner.invoke(app, ["lint", str(plan.parent), "-o", str(plan), *TODAY])
    _refused(result, "is named like a plan")


# --- what -o does write ---------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_dash_is_the_screen(plan: Path, command: str) -> None:
    to_screen = run(command, plan, "-o", "-")
    plain = run(command, plan)
    assert to_screen.exit_code == plain.exit_code == 0, to_screen.output
    assert to_screen.stdout == plain.stdout and to_screen.stdout.strip()
    assert not (plan.parent / "-").exists() and not Path("-").exists()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_new_folder_with_a_slash_is_made_0700_and_written_into(plan: Path, command: str) -> None:
    folder = plan.parent / "reports"
    result = run(command, plan, "-o", f"{folder}/")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    written = folder / IN_FOLDER[command]
    assert sorted(os.listdir(folder)) == [written.name]
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert written.read_text().strip() and _leftovers(plan.parent) == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_existing_folder_is_written_into_and_keeps_its_mode(plan: Path, command: str) -> None:
    folder = plan.parent / "shared"
    folder.mkdir(mode=0o750)
    os.chmod(folder, 0o750)
    result = run(command, plan, "-o", str(folder))
    assert result.exit_code == 0, result.output
    assert (folder / IN_FOLDER[command]).is_file()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750


def test_lint_names_its_report_by_format(plan: Path) -> None:
    folder = plan.parent / "reports"
    folder.mkdir()
    for fmt, name in [("json", "txplan-lint.json"), ("sarif", "txplan-lint.sarif")]:
        result = runner.invoke(app, ["lint", str(plan), "-f", fmt, "-o", str(folder), *TODAY])
        assert result.exit_code == 0, result.output
        assert json.loads((folder / name).read_text())
    stats = runner.invoke(app, ["lint", str(plan), "--statistics", "-o", str(folder), *TODAY])
    assert stats.exit_code == 0 and (folder / "txplan-lint.txt").exists()


@pytest.mark.parametrize(
    ("command", "name"),
    [("render", "C-1042.redacted.md"), ("export", "C-1042.redacted.fhir.json")],
)
def test_a_redacted_copy_in_a_folder_is_named_by_client_id(
    plans: Path, command: str, name: str
) -> None:
    misnamed = plans / "jordan-avery.plan.yaml"  # F007 warns; the name must not travel
    misnamed.write_text(example_text())
    result = run(command, misnamed, "--redact", "-o", str(plans / "out") + "/")
    assert result.exit_code == 0, result.output
    assert os.listdir(plans / "out") == [name]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_existing_file_is_replaced_whole_and_made_0600(plan: Path, command: str) -> None:
    report = plan.parent / "report.txt"
    report.write_text("an old report\n")
    os.chmod(report, 0o644)
    result = run(command, plan, "-o", str(report))
    assert result.exit_code == 0, result.output
    assert "an old report" not in report.read_text() and report.read_text().strip()
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert _leftovers(plan.parent) == []


def test_the_default_out_folder_is_made_0700(plan: Path) -> None:
    result = runner.invoke(app, ["render", str(plan.parent), *TODAY])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((plan.parent / "out").stat().st_mode) == 0o700


# --- a folder render's out/ ---------------------------------------------------------


def test_a_symlinked_out_folder_leading_out_of_the_tree_is_refused(
    plan: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "shared-drive"
    elsewhere.mkdir()
    (plan.parent / "out").symlink_to(elsewhere)
    result = runner.invoke(app, ["render", str(plan.parent), *TODAY])
    _refused(result, "is a symbolic link to", "outside", "Remove the link")
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_out_folder_inside_the_tree_is_followed(plan: Path) -> None:
    (plan.parent / "rendered").mkdir()
    (plan.parent / "out").symlink_to("rendered")
    result = runner.invoke(app, ["render", str(plan.parent), "-f", "md", *TODAY])
    assert result.exit_code == 0, result.output
    assert os.listdir(plan.parent / "rendered") == ["C-1042.plan.md"]


def test_a_folder_named_with_o_is_the_users_choice_even_through_a_link(
    plan: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "chosen"
    elsewhere.mkdir()
    (plan.parent / "to-chosen").symlink_to(elsewhere)
    result = runner.invoke(
        app, ["render", str(plan.parent), "-f", "md", "-o", str(plan.parent / "to-chosen"), *TODAY]
    )
    assert result.exit_code == 0, result.output
    assert os.listdir(elsewhere) == ["C-1042.plan.md"]


def test_a_planted_link_in_out_is_refused_for_that_plan_only(plan: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("kept\n")
    other = plan.parent / "C-2000.plan.yaml"
    other.write_text(example_text().replace("C-1042", "C-2000"))
    out = plan.parent / "out"
    out.mkdir()
    (out / "C-1042.plan.md").symlink_to(victim)
    result = runner.invoke(app, ["render", str(plan.parent), "-f", "md", *TODAY])
    assert result.exit_code == 2
    assert victim.read_text() == "kept\n" and (out / "C-1042.plan.md").is_symlink()
    assert (out / "C-2000.plan.md").is_file()
    refused = [line for line in result.stderr.splitlines() if line.startswith("txplan: ")]
    assert len(refused) == 1 and "is a symbolic link" in refused[0]


def _break(path: Path) -> None:
    path.write_text(path.read_text().replace("review_by:", "reveiw_by:", 1))


@pytest.mark.parametrize("redact", [False, True])
def test_a_refused_plans_old_copy_is_removed_and_said_so(plan: Path, redact: bool) -> None:
    # Someone opening out/ takes each copy for the plan as it stands; last
    # week's copy of a plan that now cannot be rendered would pass for it.
    good = plan.parent / "C-2000.plan.yaml"
    good.write_text(example_text().replace("C-1042", "C-2000"))
    flags = ["render", str(plan.parent), "-f", "md", *TODAY, *(["--redact"] if redact else [])]
    assert runner.invoke(app, flags).exit_code == 0
    out = plan.parent / "out"
    stale, kept = (
        ("C-1042.redacted.md", "C-2000.redacted.md")
        if redact
        else ("C-1042.plan.md", "C-2000.plan.md")
    )
    assert sorted(os.listdir(out)) == sorted([stale, kept])
    (out / "notes.txt").write_text("the clinician's own file\n")
    _break(plan)
    result = runner.invoke(app, flags)
    assert result.exit_code == 2
    assert sorted(os.listdir(out)) == sorted([kept, "notes.txt"])
    lines = [line for line in result.stderr.splitlines() if line.startswith("txplan: ")]
    assert len(lines) == 2 and ": F002 schema " in lines[0]
    assert lines[1] == (
        f"txplan: removed {out / stale}: it showed an earlier version of C-1042.plan.yaml, "
        "which could not be rendered now."
    )


def test_a_copy_written_by_this_render_is_never_taken_for_stale(plan: Path) -> None:
    # A broken plan carrying another plan's client ID must not remove that
    # plan's fresh redacted copy.
    twin = plan.parent / "C-9999.plan.yaml"
    twin.write_text(example_text())  # client C-1042 too
    _break(twin)
    result = runner.invoke(app, ["render", str(plan.parent), "--redact", "-f", "md", *TODAY])
    assert result.exit_code == 2
    assert os.listdir(plan.parent / "out") == ["C-1042.redacted.md"]
    assert "removed" not in result.stderr


def test_a_single_plan_render_leaves_the_named_file_alone_when_refused(plan: Path) -> None:
    # The user named that file; a failed command does not touch it.
    report = plan.parent / "C-1042.md"
    report.write_text("last week\n")
    _break(plan)
    result = runner.invoke(app, ["render", str(plan), "-o", str(report), *TODAY])
    assert result.exit_code == 2 and report.read_text() == "last week\n"


# --- a full disk ---------------------------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fsync of a file being written fails as on a full disk."""

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_full_disk_is_one_line_and_leaves_nothing_behind(
    plan: Path, command: str, full_disk: None
) -> None:
    report = plan.parent / "report.txt"
    report.write_text("the earlier report\n")
    before = _snapshot(plan.parent)
    line = _refused(run(command, plan, "-o", str(report)), "No space left on device")
    assert "nothing was written" in line
    assert _snapshot(plan.parent) == before and _leftovers(plan.parent) == []


def test_a_full_disk_in_a_folder_render_is_one_line_per_plan(plan: Path, full_disk: None) -> None:
    result = runner.invoke(app, ["render", str(plan.parent), *TODAY])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], result.stderr
    assert os.listdir(plan.parent / "out") == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", ["lint", "render", "export", "schema", "--version"])
def test_a_full_disk_behind_the_screen_is_one_line(plan: Path, command: str) -> None:
    args = [command] if command in ("schema", "--version") else COMMANDS[command]
    with open("/dev/full", "w") as full:
        run_ = subprocess.run(
            [sys.executable, "-m", "txplan", *[str(plan) if a == "PLAN" else a for a in args]],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert run_.returncode == 2
    assert run_.stderr == "txplan: cannot write the output (No space left on device).\n"


# --- in a real process ---------------------------------------------------------------


def _txplan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "txplan", *args], capture_output=True, text=True, timeout=60
    )


def test_subprocess_refuses_the_plan_a_fifo_and_a_missing_folder(plan: Path) -> None:
    fifo = plan.parent / "pipe"
    os.mkfifo(fifo)
    for output, words in [
        (str(plan), "is one of the files this command reads"),
        (str(fifo), "is a named pipe"),  # and does not wait for a reader
        (str(plan.parent / "gone" / "C-1042.md"), "does not exist"),
    ]:
        done = _txplan("render", str(plan), "-f", "md", "-o", output, *TODAY)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and words in done.stderr, done.stderr
    assert plan.read_text() == example_text() and stat.S_ISFIFO(fifo.lstat().st_mode)
    written = _txplan("render", str(plan), "-f", "md", "-o", str(plan.parent / "md") + "/", *TODAY)
    assert written.returncode == 0, written.stderr
    assert stat.S_IMODE((plan.parent / "md").stat().st_mode) == 0o700
    assert stat.S_IMODE((plan.parent / "md" / "C-1042.plan.md").stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can replace a device node")
def test_subprocess_as_root_never_replaces_a_device_node(plan: Path, device: Path) -> None:
    # The probe, on a copy of the device: render -o /dev/full as root.
    done = _txplan("render", str(plan), "-o", str(device), *TODAY)
    assert done.returncode == 2 and "is a device" in done.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)


# --- the classification itself --------------------------------------------------------


def test_target_classifies_without_writing(tmp_path: Path) -> None:
    assert target(None).kind == target("-").kind == "stdout"
    assert target(str(tmp_path)).kind == "folder"
    assert target(str(tmp_path / "new") + "/").kind == "folder"
    assert target(str(tmp_path / "r.html")).kind == "file"
    assert os.listdir(tmp_path) == []
    for name in ["a\0b", "C-1042\n.html", "tab\there"]:
        with pytest.raises(OutputError, match="control character"):
            target(str(tmp_path / name))
    with pytest.raises(OutputError, match="does not exist"):
        target(str(tmp_path / "a" / "b") + "/")  # only the last level is made


def test_folder_target_defaults_to_out_inside(tmp_path: Path) -> None:
    found = folder_target(None, tmp_path)
    assert found.kind == "folder" and found.path == tmp_path / "out"
    assert not (tmp_path / "out").exists()


def test_a_name_inside_a_folder_cannot_climb_out(tmp_path: Path) -> None:
    found = target(str(tmp_path))
    for name in ["..", "../x.html", ""]:
        with pytest.raises(OutputError):
            found.write("x", name)
    assert os.listdir(tmp_path) == []


def test_copy_names() -> None:
    assert copy_name(Path("a/C-1.plan.yaml"), "C-1", False, "html") == "C-1.plan.html"
    assert copy_name(Path("jordan.plan.yaml"), "C-1", True, "md") == "C-1.redacted.md"
    assert copy_name(Path("C-1.yml"), None, False, "fhir.json") == "C-1.fhir.json"


def test_the_file_is_checked_again_when_written(tmp_path: Path) -> None:
    # lint of a large folder runs long after -o was classified.
    path = tmp_path / "report.txt"
    found = target(str(path))
    os.mkfifo(path)
    with pytest.raises(OutputError, match="named pipe"):
        found.write("x")
    assert stat.S_ISFIFO(path.lstat().st_mode)


def test_no_room_for_the_temporary_file_or_the_folder_is_one_line(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tempfile, "mkstemp", no_space)
    line = _refused(run("export", plan, "-o", str(plan.parent / "b.json")), "No space left")
    assert "nothing was written" in line and not (plan.parent / "b.json").exists()
    monkeypatch.setattr(os, "mkdir", no_space)
    result = runner.invoke(app, ["render", str(plan.parent), *TODAY])
    assert result.exit_code == 2 and "cannot make the folder" in result.stderr
    assert "internal error" not in result.stderr and not (plan.parent / "out").exists()
