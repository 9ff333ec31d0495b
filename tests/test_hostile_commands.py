"""Every command against hostile plans and settings (issue 12): whatever the
plan and the txplan.toml hold, each command exits 0, 1 or 2, never with an
internal error, within 5 seconds and without its memory running away."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import example_text
from txplan import config as config_module
from txplan.cli import app

runner = CliRunner()
SECONDS = 5.0
# Growth of the test process's peak memory that one command may cause; the
# hang this guards against grew to 4-6 GB.
MEMORY_KB = 400_000
PLAN = "C-1042.plan.yaml"

# Values a top-level key of the example is given in place of its own.
HOSTILE_VALUES = [
    "5",
    ".nan",
    "-.inf",
    "true",
    "null",
    "[]",
    "{}",
    "'x'",
    "9999-12-31",
    "0001-01-01",
    "2026-13-01",
    "9" * 5000,
    "[" * 3000 + "]" * 3000,
    "{a: " * 400 + "1" + "}" * 400,
    '"\u202eC-1042\x1b[31m"',
    "&a [*a, *a]",
    "!!python/object:os.system x",
    "[{id: G1, objectives: 5}]",
    "[{id: G1, problems: [P1], objectives: [{id: O1.1, target_date: 9999-12-31}]}]",
    "[{instrument: GAD-7, date: 2026-01-12, score: .nan}]",
    "[{instrument: GAD-7, date: 2026-01-12, score: .inf}]",
    "[{instrument: GAD-7, date: 2026-01-12, score: true}]",
    "[{instrument: GAD-7, date: 9999-12-31, score: 3}]",
    "[{instrument: GAD-7, date: 2026-01-12, score: " + "9" * 4000 + "}]",
    "[{date: 9999-12-31}]",
    '{id: "C-1042\r\nATTENDEE:mailto:x@example.invalid"}',
    "{id: " + "C" * 5000 + "}",
    '{id: "1e5"}',
    "{name: '=HYPERLINK(\"http://x.invalid\")'}",
    "{clinician: 5, client: [1]}",
]
# Whole-line edits inside blocks.
HOSTILE_EDITS = [
    ("score: 15", "score: .nan"),
    ("score: 8", "score: " + "9" * 5000),
    ("target_date: 2026-04-06", "target_date: 9999-12-31"),
    ("target_date: 2026-03-09", "target_date: 2026-13-01"),
    ("date: 2026-01-12", "date: 9999-12-31"),
    ("id: O1.1", "id: O1.1\u200b"),
    ("id: G1", "id: G1\u202e"),
    ("review_by: 2026-04-12", "review_by: 9999-12-31"),
    ("\n", "\r\n"),
    ("txplan: 1", "\ufeff\ufefftxplan: 1"),
    ("reviews: []", "reviews: []\n..."),
]


def _blocks(text: str) -> list[tuple[str, str]]:
    """(key, block) for each top-level key of `text`, in order."""
    out: list[tuple[str, str]] = []
    for line in text.splitlines(keepends=True):
        head = line.split(":", 1)[0]
        if line[:1].isalpha() and ":" in line and head.replace("_", "").isalnum():
            out.append((head, line))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + line)
    return out


_keys = st.sampled_from(
    [
        "txplan",
        "client",
        "id",
        "goals",
        "objectives",
        "statement",
        "diagnoses",
        "code",
        "role",
        "review_by",
        "written",
        "signatures",
        "status",
        "measures",
        "score",
        "date",
        "reviews",
    ]
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["2026-13-01", "9999-12-31", "F41.1", "GAD-7", "C-1042", "G1", "O1.1"]),
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=5)),
    max_leaves=25,
)


@st.composite
def _mutated_example(draw: st.DrawFn) -> bytes:
    blocks = _blocks(example_text())
    for _ in range(draw(st.integers(1, 2))):
        n = draw(st.integers(0, len(blocks) - 1))
        key = blocks[n][0]
        blocks[n] = (key, f"{key}: {draw(st.sampled_from(HOSTILE_VALUES))}\n")
    text = "".join(block for _, block in blocks)
    for old, new in draw(st.lists(st.sampled_from(HOSTILE_EDITS), max_size=2)):
        text = text.replace(old, new, 1)
    return text.encode("utf-8")


def _as_yaml(document: object) -> bytes:
    return json.dumps({"txplan": 1, "client": {"id": "C-1042"}, "goals": document}).encode()


PLANS = st.one_of(
    st.binary(max_size=300),
    _documents.map(_as_yaml),
    _mutated_example(),
    _mutated_example(),
    st.just(example_text().encode()),
)

# Every top-level setting the config knows, so a new one is driven too.
TOML_KEYS = [
    *config_module.INTEGER_KEYS,
    *config_module.LIST_KEYS,
    "payers.aetna.review_days",
    "payers.aetna.require",
    "payers.aetna",
    "instruments.SUDS.min",
    "instruments.SUDS.max",
    "instruments.SUDS.lower_is_better",
    "severity.S004",
    "severity.S",
    "reveiw_days",
    "a.b.c",
]
TOML_VALUES = [
    "99999999999999999999",
    "999999999",
    "0",
    "-1",
    "30",
    "true",
    '"90"',
    "inf",
    "nan",
    "1.5",
    "[1]",
    '["S"]',
    '["Q9"]',
    '["session", "signatures.cilent"]',
    '"error"',
    '"fatal"',
    "{}",
    "{a = 1}",
    "[" * 3000 + "]" * 3000,
    "{a = " * 2000 + "1" + "}" * 2000,
    "9" * 5000,
    "1979-05-27",
]


@st.composite
def _toml(draw: st.DrawFn) -> bytes:
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(TOML_KEYS), st.sampled_from(TOML_VALUES)), max_size=4)
    )
    return ("[payers.aetna]\n" + "".join(f"{k} = {v}\n" for k, v in pairs)).encode()


CONFIGS = st.one_of(
    st.none(),
    st.just(b"[payers.aetna]\nreview_days = 90\n"),
    _toml(),
    st.binary(max_size=100),
    st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")),
)

READERS = [
    "lint", "due", "status", "report", "render", "export", "history", "new", "note", "init",
    "rule", "schema", "clean-cache",
]  # fmt: skip
EDITORS = ["measure", "review"]


def _args(command: str, folder: Path, config: str | None) -> list[str]:
    plan = str(folder / PLAN)
    today = ["--today", "2026-02-01"]
    chosen = ["--config", config] if config else []
    return {
        "lint": ["lint", str(folder), *today, "--format", "json", *chosen],
        "due": ["due", str(folder), *today, "--format", "ics", *chosen],
        "status": ["status", str(folder), *today, *chosen],
        "report": ["report", str(folder), "-o", str(folder / "report.html"), *today, *chosen],
        "render": ["render", plan, "-f", "md", "-o", str(folder / "out.md"), *today, *chosen],
        "export": ["export", plan, "--fhir", "-o", str(folder / "out.json"), *chosen],
        "history": ["history", plan],
        "new": ["new", "C-2000", "--no-input", "--dir", str(folder), *today, *chosen],
        "note": ["note", "C-1042", "--no-input", "--dir", str(folder), *today, *chosen],
        "init": ["init", str(folder)],
        "rule": ["rule", "S002"],
        "schema": ["schema", "--config"] if config else ["schema"],
        "clean-cache": ["clean-cache", str(folder)],
        "measure": ["measure", plan, "GAD-7", "9", "--today", "2026-03-01", *chosen],
        "review": ["review", plan, "--no-input", "--rate", "G1=5", "--summary", "Seen.", *chosen],
    }[command]


def _folder(
    root: Path, plan: bytes, config: bytes | None, by_option: bool
) -> tuple[Path, str | None]:
    folder = Path(tempfile.mkdtemp(dir=root))
    (folder / PLAN).write_bytes(plan)
    if config is None:
        return folder, None
    if by_option:
        (root / "settings.toml").write_bytes(config)
        return folder, str(root / "settings.toml")
    (folder / "txplan.toml").write_bytes(config)
    return folder, None


def _commit(folder: Path) -> None:
    git = ["git", "-C", str(folder), "-c", "user.name=T", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "plan", "--allow-empty"], check=True)


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _check(root: Path, command: str, plan: bytes, config: bytes | None, by_option: bool) -> None:
    folder, option = _folder(root, plan, config, by_option)
    if command == "history":
        _commit(folder)
    before = _peak_kb()
    started = time.perf_counter()
    result = runner.invoke(app, _args(command, folder, option))
    elapsed = time.perf_counter() - started
    said = result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 1, 2), said
    assert "internal error" not in said and "Traceback" not in said, said
    assert elapsed < SECONDS, f"{command} took {elapsed:.1f} s"
    assert _peak_kb() - before < MEMORY_KB, f"{command} grew by {_peak_kb() - before} KB"


SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(
    command=st.sampled_from(READERS),
    plan=PLANS,
    config=CONFIGS,
    by_option=st.booleans(),
)
def test_every_reading_command_survives_hostile_plans_and_settings(
    tmp_path: Path, command: str, plan: bytes, config: bytes | None, by_option: bool
) -> None:
    _check(tmp_path, command, plan, config, by_option)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # Not shrunk: shrinking examples that take seconds each would take minutes.
    phases=[Phase.explicit, Phase.generate],
)
@given(
    command=st.sampled_from(EDITORS),
    plan=PLANS,
    config=CONFIGS,
    by_option=st.booleans(),
)
@example(
    command="review",
    plan=example_text()
    .replace("  - id: G1\n", "  - id: G1\n    objectives: 5\n  - id: G9\n", 1)
    .encode(),
    config=None,
    by_option=False,
)
@example(
    command="measure",
    plan=example_text().replace("reviews: []", "reviews: " + "[" * 3000 + "]" * 3000).encode(),
    config=None,
    by_option=False,
)
def test_the_editing_commands_survive_hostile_plans_and_settings(
    tmp_path: Path, command: str, plan: bytes, config: bytes | None, by_option: bool
) -> None:
    _check(tmp_path, command, plan, config, by_option)


def _limited() -> None:
    """A child that reads a device whole dies of MemoryError, which fails the test."""
    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    command=st.sampled_from(READERS + EDITORS),
    plan=st.one_of(_mutated_example(), st.binary(max_size=200)),
    config=_toml(),
)
def test_real_processes_exit_cleanly_within_bounds(
    tmp_path: Path, command: str, plan: bytes, config: bytes
) -> None:
    folder, option = _folder(tmp_path, plan, config, by_option=False)
    if command == "history":
        _commit(folder)
    # The 5 s bound is the command's; a loaded machine may take seconds more to start Python.
    run = subprocess.run(
        [sys.executable, "-m", "txplan", *_args(command, folder, option)],
        capture_output=True,
        text=True,
        timeout=SECONDS + 10,
        stdin=subprocess.DEVNULL,
        preexec_fn=_limited,
        env={**os.environ, "TXPLAN_DEBUG": ""},
    )
    assert run.returncode in (0, 1, 2), run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr, run.stderr


@pytest.mark.parametrize("command", READERS + EDITORS)
def test_every_command_is_driven(command: str) -> None:
    from txplan.cli import COMMANDS

    # A command added later must join READERS or EDITORS to be driven too.
    assert set(COMMANDS) == set(READERS + EDITORS)
    assert _args(command, Path("plans"), None)[0] == command
