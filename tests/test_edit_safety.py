"""Editing a plan never loses a write: one writer at a time under a lock,
links edited through, broken plans and non-files refused, a full disk
leaving the plan as it was."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import example_text
from txplan.cli import app

runner = CliRunner()
TODAY = ["--today", "2026-03-02"]
MEASURE = [sys.executable, "-m", "txplan", "measure"]


def _measure(plan: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["measure", str(plan), *args, *TODAY])


def test_many_writers_at_once_lose_no_score(plan: Path) -> None:
    dates = [f"2026-02-{day:02d}" for day in range(2, 14)]
    started = [
        subprocess.Popen(
            [*MEASURE, str(plan), "GAD-7", "10", "--date", when, *TODAY],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for when in dates
    ]
    outcomes = [(p.communicate(timeout=120), p.returncode) for p in started]
    text = plan.read_text()
    recorded = [when for when, ((out, _), code) in zip(dates, outcomes, strict=True) if code == 0]
    for when, ((out, err), code) in zip(dates, outcomes, strict=True):
        assert code in (0, 2), err
        if code == 0:
            assert f"Recorded GAD-7 10 on {when}" in out
        else:
            assert "nothing was written" in err, err
    # Every "Recorded" is in the file; taking turns, none had to be refused.
    assert all(f"date: {when}, score: 10" in text for when in recorded)
    assert recorded == dates


def test_a_symlinked_plan_is_edited_in_its_target(plan: Path, tmp_path: Path) -> None:
    link = tmp_path / "shortcut.plan.yaml"
    link.symlink_to(plan)
    result = _measure(link, "GAD-7", "12", "--date", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == plan.resolve()
    assert "date: 2026-03-01, score: 12" in plan.read_text()


def test_a_loop_of_links_is_one_line(plans: Path) -> None:
    loop = plans / "C-1.plan.yaml"
    loop.symlink_to(loop)
    result = _measure(loop, "GAD-7", "12")
    assert result.exit_code == 2 and "loops back on itself" in result.stderr


@pytest.mark.parametrize("command", ["measure", "review"])
def test_a_named_pipe_is_refused_at_once(plans: Path, command: str) -> None:
    pipe = plans / "C-1.plan.yaml"
    os.mkfifo(pipe)
    argv = [sys.executable, "-m", "txplan", command, str(pipe)]
    argv += ["GAD-7", "12"] if command == "measure" else ["--no-input"]
    began = time.monotonic()
    run = subprocess.run(argv + TODAY, capture_output=True, text=True, timeout=30)
    assert time.monotonic() - began < 10
    assert run.returncode == 2 and "not a regular file" in run.stderr, run.stderr
    assert len(run.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", ["measure", "review"])
def test_a_plan_with_a_structural_error_is_refused_not_edited(plan: Path, command: str) -> None:
    broken = example_text().replace("  - id: G1\n", "  - id: G1\n    objectives: 5\n", 1)
    assert broken != example_text()
    plan.write_text(broken)
    args = ["GAD-7", "12"] if command == "measure" else ["--no-input"]
    result = runner.invoke(app, [command, str(plan), *args, *TODAY])
    assert result.exit_code == 2, result.output
    doing = "before editing it" if command == "measure" else "before reviewing it"
    assert "F002 schema" in result.stderr and doing in result.stderr
    assert "internal error" not in result.output
    assert plan.read_text() == broken


def test_a_full_disk_leaves_the_plan_and_no_temporary_file(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = _measure(plan, "GAD-7", "12", "--date", "2026-03-01")
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and "it is unchanged" in result.stderr
    assert plan.read_bytes() == before
    assert sorted(p.name for p in plan.parent.iterdir()) == ["C-1042.plan.yaml", "txplan.toml"]


def test_a_writer_waits_for_the_lock_then_sees_the_other_change(plan: Path) -> None:
    import fcntl

    # Hold the lock as another txplan would, and release it after a moment.
    with open(plan, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        waiting = subprocess.Popen(
            [*MEASURE, str(plan), "GAD-7", "11", "--date", "2026-03-01", *TODAY],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting for the lock
        plan.write_text(plan.read_text() + "# a comment\n")  # the holder's own edit, in place
    _, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    after = plan.read_text()
    assert "# a comment" in after and "date: 2026-03-01, score: 11" in after


def _variants() -> dict[str, bytes]:
    text = example_text()
    long_note = "  # " + "a long comment line " * 250 + "\n"  # over 4,096 characters
    history = "Symptoms for 8+ months, " + "gradually worsening, " * 250 + "no prior treatment."
    old_history = "  history: Symptoms for 8+ months, gradually worsening; no prior treatment."
    assert old_history in text
    with_long = text.replace("txplan: 1", "txplan: 1\n" + long_note.rstrip("\n"), 1)
    with_long = with_long.replace(old_history, f"  history: {history}")
    blank_lines = text.replace("\n\n", "\n\n\n", 3)
    return {
        "crlf": text.replace("\n", "\r\n").encode(),
        "bom": b"\xef\xbb\xbf" + text.encode(),
        "bom-crlf": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
        "doubled-bom": b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode(),
        "document-end": ("---\n" + text + "...\n").encode(),
        "no-final-newline": text.rstrip("\n").encode(),
        "long-lines": with_long.encode(),
        "blank-lines": blank_lines.encode(),
        "mixed": text.replace("\n", "\r\n", 40).encode(),
    }


@pytest.mark.parametrize("variant", sorted(_variants()))
def test_an_edit_changes_only_the_lines_it_means_to(plan: Path, variant: str) -> None:
    import difflib

    before = _variants()[variant]
    plan.write_bytes(before)
    result = _measure(plan, "GAD-7", "12", "--date", "2026-03-01")
    assert result.exit_code == 0, result.output
    after = plan.read_bytes()
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    changed = [
        line
        for line in difflib.ndiff([x.decode() for x in old_lines], [x.decode() for x in new_lines])
        if line[:1] in "+-"
    ]
    ending = "\r\n" if before.count(b"\r\n") * 2 > before.count(b"\n") else "\n"
    assert changed == [f"+   - {{instrument: GAD-7, date: 2026-03-01, score: 12}}{ending}"]
    bom = b"\xef\xbb\xbf"
    assert len(after) - len(after.lstrip(bom)) == len(before) - len(before.lstrip(bom))
