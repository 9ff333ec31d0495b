"""Shared helpers: the example plan, editing it for a case, linting it."""

from __future__ import annotations

import datetime as dt
import functools
import io
import pickle
import re
from pathlib import Path
from typing import Any

import pytest


def _build_each_app_once() -> None:
    """typer's CliRunner turns the app into a click command on every invoke,
    which for twelve commands costs more than most commands take to run
    (36 ms of a 60 ms lint). The suite invokes the app a thousand times, so
    each app object is converted once; a real run (the subprocess tests)
    still builds it as the console script does."""
    import typer.testing

    convert = typer.testing._get_command
    built: dict[int, tuple[Any, Any]] = {}

    def once(app: Any) -> Any:
        if id(app) not in built:
            built[id(app)] = (app, convert(app))  # the app is kept, so its id stays its own
        return built[id(app)][1]

    typer.testing._get_command = once  # type: ignore[assignment]


_build_each_app_once()


def _hypothesis_profiles() -> None:
    """`make test` (and CI) runs the property tests on the same examples every
    time, so main's status never depends on the draw; `make fuzz` draws new
    examples on every run, to look for what the fixed ones miss."""
    import os

    from hypothesis import settings

    settings.register_profile("repeatable", derandomize=True, print_blob=True)
    settings.register_profile("fuzz", derandomize=False, print_blob=True)
    settings.load_profile(os.environ.get("TXPLAN_HYPOTHESIS", "repeatable"))


_hypothesis_profiles()

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
EXAMPLE = DATA / "plan-format-example.plan.yaml"
TODAY = dt.date(2026, 2, 1)


def load_script(relative: str) -> Any:
    """A script of the repository (benchmarks/, scripts/) imported as a module,
    for tests of what it computes."""
    import importlib.util
    import sys

    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _steps(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]


def _round_trip() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    return yaml


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> bytes:
    # A round-trip parse is pure Python and costs twice the dump; most cases
    # edit the same example, so each text is parsed once and copied.
    return pickle.dumps(_round_trip().load(text))


def edit(text: str, set_: dict[str, Any] | None = None, delete: list[str] | None = None) -> str:
    """`text` with values set and deleted through a comment-keeping round trip."""
    data = pickle.loads(_parsed(text))
    for path in delete or []:
        *parents, last = _steps(path)
        node = data
        for step in parents:
            node = node[step]
        del node[last]
    for path, value in (set_ or {}).items():
        *parents, last = _steps(path)
        node = data
        for step in parents:
            node = node[step]
        node[last] = value
    out = io.StringIO()
    _round_trip().dump(data, out)
    return out.getvalue()


def lint_dir(tmp: Path, files: dict[str, str], today: dt.date = TODAY, config: str | None = None):
    from txplan.workflow.lint import lint_paths

    for name, text in files.items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_text(text, encoding="utf-8")
    if config is not None:
        (tmp / "txplan.toml").write_text(config, encoding="utf-8")
    return lint_paths([str(tmp)], today=today)


def codes(result: Any) -> set[str]:
    return {f.code for f in result.findings}


# The settings of a plans folder that holds the example: its txplan.toml
# declares the example's payer, as C013 requires of every plan's payer.
EXAMPLE_SETTINGS = "[payers.aetna]\nreview_days = 90\n"


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """A plans folder, configured for the example plan."""
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "txplan.toml").write_text(EXAMPLE_SETTINGS, encoding="utf-8")
    return folder


@pytest.fixture
def plan(plans: Path) -> Path:
    """The example plan, alone in a plans folder, under its client ID."""
    path = plans / "C-1042.plan.yaml"
    path.write_text(example_text())
    return path


def run_on_terminal(
    argv: list[str], answers: list[str], cwd: Path | None = None
) -> tuple[int, str]:
    """Run `python -m txplan ARGV` on a real pseudo-terminal, answering each
    prompt (a line ending in ':') in turn; the exit code and the screen text."""
    import os
    import pty
    import sys

    pid, fd = pty.fork()
    if pid == 0:  # the child: txplan on the terminal
        if cwd is not None:
            os.chdir(cwd)
        os.execv(sys.executable, [sys.executable, "-m", "txplan", *argv])
    transcript, pending = b"", list(answers)
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
        if pending and chunk.rstrip().endswith((b":", b"):")):
            os.write(fd, (pending.pop(0) + "\n").encode())
    _, status = os.waitpid(pid, 0)
    text = re.sub(r"\x1b\[[0-9;]*m", "", transcript.decode(errors="replace"))
    return os.waitstatus_to_exitcode(status), text


def git_in(folder: Path, *args: str) -> None:
    """Run git in `folder` as a test author, failing the test if git fails."""
    import subprocess

    subprocess.run(
        [
            "git",
            "-C",
            str(folder),
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "user.name=T",
            *args,
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def note_walks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each folder walked for session notes (`*.note.md`), as walked."""
    from txplan.plan import discover
    from txplan.plan.files import NOTE_SUFFIX

    listed: list[Path] = []
    real = discover.discover

    def counted(paths: list[str], *args: Any, **options: Any) -> Any:
        if NOTE_SUFFIX in options.get("suffixes", ()):
            listed.append(Path(paths[0]))
        return real(paths, *args, **options)

    monkeypatch.setattr(discover, "discover", counted)
    return listed
