"""The progress bar: on a terminal for long work, never in a pipe or a log."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from conftest import ROOT
from txplan.cli import app
from txplan.outputs.progress_bar import bar, tracked


def _terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=80), out


def test_a_bar_is_drawn_for_enough_work_and_leaves_nothing_behind() -> None:
    console, out = _terminal()
    assert list(tracked(list(range(300)), "reading plans", at_least=200, console=console)) == list(
        range(300)
    )
    drawn = out.getvalue()
    assert "txplan: reading plans" in drawn
    assert "300/300" in drawn or "/300" in drawn


def test_no_bar_for_a_little_work() -> None:
    console, out = _terminal()
    with bar(10, "rendering plans", at_least=100, console=console) as advance:
        advance(10)
    assert out.getvalue() == ""


def test_no_bar_when_standard_error_is_not_a_terminal(tmp_path: Path) -> None:
    folder = _caseload(tmp_path, 3)
    result = CliRunner().invoke(app, ["due", str(folder), "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "txplan: reading" not in result.stderr


def _caseload(where: Path, count: int) -> Path:
    text = (ROOT / "examples" / "C-2001.plan.yaml").read_text(encoding="utf-8")
    folder = where / "plans"
    folder.mkdir()
    for n in range(count):
        client = f"C-{3000 + n}"
        (folder / f"{client}.plan.yaml").write_text(text.replace("C-2001", client))
    return folder


def _stderr_on_a_terminal(*args: str) -> tuple[int, bytes]:
    """Run txplan with its standard error on a pseudo-terminal; the exit code
    and what the terminal received."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "txplan", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    code = process.wait(timeout=120)
    os.close(leader)
    return code, seen


def test_a_folder_render_on_a_terminal_shows_the_bar_on_stderr(tmp_path: Path) -> None:
    folder = _caseload(tmp_path, 110)
    code, seen = _stderr_on_a_terminal("render", str(folder), "--today", "2026-11-22")
    assert code == 0, seen.decode("utf-8", "replace")
    assert b"txplan: rendering plans" in seen
    assert len(list((folder / "out").glob("*.html"))) == 110


def test_a_caseload_lint_on_a_terminal_shows_the_bar_on_stderr(tmp_path: Path) -> None:
    folder = _caseload(tmp_path, 310)
    code, seen = _stderr_on_a_terminal("lint", str(folder), "--today", "2026-11-22")
    assert code == 1, seen.decode("utf-8", "replace")  # copies of one plan: X001, C013
    assert b"txplan: checking plans" in seen
