"""The lint cache: the same findings with and without it, checked again only
what changed, and never trusted when it is not what txplan wrote."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ROOT, TODAY, example_text
from txplan.cli import app
from txplan.config import Config
from txplan.workflow import cache
from txplan.workflow import lint as engine
from txplan.workflow.lint import Selection, lint_paths

runner = CliRunner()


def _caseload(folder: Path, count: int = 60) -> Path:
    """Plans written by copying the examples: distinct clients, shared
    objective wording (X001), one client twice (X003), and the flawed ones."""
    folder.mkdir(exist_ok=True)
    (folder / "txplan.toml").write_text((ROOT / "examples" / "txplan.toml").read_text())
    examples = sorted((ROOT / "examples").glob("*.plan.yaml"))
    for n in range(count):
        source = examples[n % len(examples)]
        client = f"C-{5000 + n}"
        text = source.read_text().replace(source.name.split(".")[0], client)
        (folder / f"{client}.plan.yaml").write_text(text)
    (folder / "C-5000-copy.plan.yaml").write_text((folder / "C-5000.plan.yaml").read_text())
    for flawed in sorted((ROOT / "examples" / "flawed").glob("*.plan.y*ml"))[:8]:
        shutil.copy(flawed, folder / flawed.name)
    return folder


def _findings(result: Any) -> list[dict[str, object]]:
    return [f.to_json() for f in result.findings]


def _same(folder: Path, today: dt.date = TODAY, **options: Any) -> list[dict[str, object]]:
    """The findings of a cold run and of a warm one, proven equal to those
    without the cache."""
    uncached = lint_paths([str(folder)], today=today, use_cache=False, **options)
    cold = lint_paths([str(folder)], today=today, **options)
    warm = lint_paths([str(folder)], today=today, **options)
    assert _findings(cold) == _findings(uncached)
    assert _findings(warm) == _findings(uncached)
    assert (warm.files, warm.checked, warm.errors) == (
        uncached.files,
        uncached.checked,
        uncached.errors,
    )
    return _findings(warm)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the plans actually checked (not answered from the cache)."""
    seen: list[str] = []
    real = engine.lint_bytes

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(engine, "lint_bytes", counting)
    return seen


def test_the_examples_give_the_same_findings_with_and_without_the_cache(tmp_path: Path) -> None:
    copy = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", copy, ignore=shutil.ignore_patterns(cache.FOLDER_NAME))
    assert _same(copy, dt.date(2026, 11, 22))


def test_a_caseload_gives_the_same_findings_after_edits_settings_and_a_new_date(
    tmp_path: Path,
) -> None:
    folder = _caseload(tmp_path / "plans")
    found = _same(folder, workers=2)
    assert {"X001", "X003"} <= {f["code"] for f in found}
    # An edit, a copy that is no longer one, settings changed, another day.
    plan = folder / "C-5001.plan.yaml"
    plan.write_text(plan.read_text().replace("review_by:", "review_by: 2026-01-02\nold_review:"))
    (folder / "C-5000-copy.plan.yaml").unlink()
    _same(folder)
    settings = folder / "txplan.toml"
    settings.write_text('ignore = ["S002"]\n' + settings.read_text())
    _same(folder)
    _same(folder, dt.date(2027, 6, 1))
    _same(folder, selection=Selection(select=("R", "X")))


def test_a_warm_run_checks_only_what_changed(tmp_path: Path, checks: list[str]) -> None:
    folder = _caseload(tmp_path / "plans", 12)
    lint_paths([str(folder)], today=TODAY)
    assert len(checks) == 21
    checks.clear()
    lint_paths([str(folder)], today=TODAY)
    assert checks == []
    plan = folder / "C-5003.plan.yaml"
    plan.write_text(plan.read_text() + "\n# reviewed with the client\n")
    lint_paths([str(folder)], today=TODAY)
    assert checks == [str(plan)]
    checks.clear()
    lint_paths([str(folder)], today=TODAY + dt.timedelta(days=1))
    assert len(checks) == 21  # the review rules count days from the date checked as of


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as changed long before the run: the cache trusts the
    stats of files a test has just written, as it would of a day-old caseload."""
    monkeypatch.setattr(cache, "SETTLED_NS", -(10**18))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plans read to know their bytes (the settings are read on every run)."""
    from txplan.plan import files

    seen: list[str] = []
    real = files.read_limited

    def counting(path: Path, *args: Any, **kwargs: Any) -> bytes:
        if Path(path).name != "txplan.toml":
            seen.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(files, "read_limited", counting)
    return seen


def _stats(folder: Path) -> dict[str, Any]:
    stats: dict[str, Any] = json.loads((folder / cache.FOLDER_NAME / cache.FILE_NAME).read_text())[
        "stats"
    ]
    return stats


@pytest.mark.usefixtures("settled")
def test_a_caseload_known_by_its_stats_gives_the_same_findings_after_edits(
    tmp_path: Path,
) -> None:
    folder = _caseload(tmp_path / "plans")
    _same(folder)
    assert len(_stats(folder)) == 69
    plan = folder / "C-5001.plan.yaml"
    plan.write_text(plan.read_text().replace("review_by:", "review_by: 2026-01-02\nold_review:"))
    (folder / "C-5000-copy.plan.yaml").unlink()
    _same(folder)
    _same(folder, dt.date(2027, 6, 1))


@pytest.mark.usefixtures("settled")
def test_a_plan_whose_stat_is_as_it_was_is_not_read_again(
    tmp_path: Path, reads: list[str], checks: list[str]
) -> None:
    folder = _caseload(tmp_path / "plans", 12)
    lint_paths([str(folder)], today=TODAY)
    assert len(reads) == 21
    reads.clear()
    checks.clear()
    lint_paths([str(folder)], today=TODAY)
    assert (reads, checks) == ([], [])


@pytest.mark.parametrize("command", ["lint", "due", "status"])
def test_each_plan_is_known_by_the_stat_its_walk_took(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # One stat a plan: the cache is handed the one discovery took.
    asked: list[object] = []
    real = cache.EntryCache.content_hash_of

    def recording(self: Any, path: Path, info: Any = None) -> str:
        asked.append(info)
        return str(real(self, path, info))

    monkeypatch.setattr(cache.EntryCache, "content_hash_of", recording)
    folder = _caseload(tmp_path / "plans", 4)
    {"lint": lambda: lint_paths([str(folder)], today=TODAY), "due": lambda: _due(folder)}.get(
        command, lambda: _status(folder)
    )()
    assert len(asked) == 13 and None not in asked


@pytest.mark.usefixtures("settled")
def test_a_plan_rewritten_to_the_same_size_and_time_is_read_again(
    tmp_path: Path, reads: list[str]
) -> None:
    # An editor, a sync tool or `touch -r` can put the modification time back;
    # nothing can put the change time back.
    folder = _caseload(tmp_path / "plans", 4)
    plan = folder / "C-5001.plan.yaml"
    before = plan.stat()
    lint_paths([str(folder)], today=TODAY)
    text = plan.read_text()
    edited = text.replace("review_by: 20", "review_by: 19", 1)
    assert edited != text and len(edited) == len(text)
    while plan.stat().st_ctime_ns == before.st_ctime_ns:  # a clock tick later
        plan.write_text(edited)
    os.utime(plan, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = plan.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reads.clear()
    warm = lint_paths([str(folder)], today=TODAY)
    assert reads == [plan.name]
    assert _findings(warm) == _findings(lint_paths([str(folder)], today=TODAY, use_cache=False))


@pytest.mark.usefixtures("settled")
def test_where_a_stat_does_not_tell_every_change_each_plan_is_read(
    plans: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows: st_ctime is the file's creation, which a write leaves as it was.
    (plans / "C-1042.plan.yaml").write_text(example_text())
    lint_paths([str(plans)], today=TODAY)
    assert _stats(plans) != {}  # as a share's other users, on Linux, left it
    monkeypatch.setattr(cache, "STATS_TELL_CHANGES", False)
    reads.clear()
    lint_paths([str(plans)], today=TODAY)
    lint_paths([str(plans)], today=TODAY)
    assert reads == ["C-1042.plan.yaml"] * 2


def test_a_plan_changed_just_before_the_run_is_not_known_by_its_stat(
    plans: Path, reads: list[str]
) -> None:
    # Within a tick of a coarse clock, a second write can leave the stat as it
    # was: only a stat from well before the run vouches for the bytes.
    (plans / "C-1042.plan.yaml").write_text(example_text())
    lint_paths([str(plans)], today=TODAY)
    assert _stats(plans) == {}
    lint_paths([str(plans)], today=TODAY)
    assert reads == ["C-1042.plan.yaml"] * 2


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize(
    "stat",
    [
        None,
        "x",
        [],
        [1, 2, 3, 4, 5, 6],
        "same stamp, no hash",
        "same stamp, a number",
        "same stamp, é",
        "same stamp, \ud800",
        "same stamp, " + "A" * 64,
        "same stamp, " + "0" * 63,
    ],
)
def test_a_stat_that_does_not_hold_together_is_not_trusted(
    plans: Path, reads: list[str], stat: Any
) -> None:
    plan = plans / "C-1042.plan.yaml"
    plan.write_text(example_text())
    first = _findings(lint_paths([str(plans)], today=TODAY))
    data = json.loads((plans / cache.FOLDER_NAME / cache.FILE_NAME).read_text())
    (known,) = data["stats"].values()
    if stat == "same stamp, no hash":
        stat = known[:5]
    elif stat == "same stamp, a number":
        stat = [*known[:5], 7]
    elif isinstance(stat, str) and stat.startswith("same stamp, "):
        stat = [*known[:5], stat.removeprefix("same stamp, ")]
    data["stats"] = {k: stat for k in data["stats"]}
    (plans / cache.FOLDER_NAME / cache.FILE_NAME).write_text(json.dumps(data))
    reads.clear()
    assert _findings(lint_paths([str(plans)], today=TODAY)) == first
    assert reads == [plan.name]


def test_no_cache_neither_reads_nor_writes_it(plans: Path, checks: list[str]) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    lint_paths([str(plans)], today=TODAY, use_cache=False)
    assert not (plans / cache.FOLDER_NAME).exists()
    lint_paths([str(plans)], today=TODAY)
    lint_paths([str(plans)], today=TODAY)
    assert len(checks) == 2  # the second answered from the cache
    lint_paths([str(plans)], today=TODAY, use_cache=False)
    assert len(checks) == 3
    result = runner.invoke(app, ["lint", str(plans), "--no-cache", "--today", "2026-02-01"])
    assert result.exit_code == 0 and len(checks) == 4


def test_the_cache_is_private_and_never_committed(plans: Path) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    result = runner.invoke(app, ["lint", str(plans), "--today", "2026-02-01"])
    assert result.exit_code == 0, result.output
    folder = plans / cache.FOLDER_NAME
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in (cache.FILE_NAME, ".gitignore"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    subprocess.run(["git", "init", "-q", str(plans)], check=True)
    listed = subprocess.run(
        ["git", "-C", str(plans), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "C-1042.plan.yaml" in listed and cache.FOLDER_NAME not in listed
    # ... and a second lint finds no file there to report.
    again = runner.invoke(app, ["lint", str(plans), "--today", "2026-02-01", "-f", "json"])
    assert json.loads(again.stdout)["files"] == 1


def test_cache_dir_puts_it_where_asked(plans: Path, tmp_path: Path) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    elsewhere = tmp_path / "cache"
    result = runner.invoke(
        app, ["lint", str(plans), "--cache-dir", str(elsewhere), "--today", "2026-02-01"]
    )
    assert result.exit_code == 0
    assert (elsewhere / cache.FILE_NAME).is_file() and not (plans / cache.FOLDER_NAME).exists()


def test_without_settings_the_cache_sits_beside_the_plan(tmp_path: Path) -> None:
    (tmp_path / "C-1042.plan.yaml").write_text(example_text())
    lint_paths([str(tmp_path / "C-1042.plan.yaml")], today=TODAY)
    assert cache.folder_for(Config(), tmp_path / "C-1042.plan.yaml") == tmp_path / ".txplan_cache"
    assert (tmp_path / cache.FOLDER_NAME / cache.FILE_NAME).is_file()


def _replace_the_only_entry(plans: Path, file_name: str, entry: Any) -> None:
    """Put `entry` in place of the one entry in the cache file `file_name`."""
    path = plans / cache.FOLDER_NAME / file_name
    data = json.loads(path.read_text())
    (only,) = data["entries"]
    data["entries"][only] = entry
    path.write_text(json.dumps(data))


def _valid_entry(plans: Path) -> tuple[Path, dict[str, Any]]:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    lint_paths([str(plans)], today=TODAY)
    path = plans / cache.FOLDER_NAME / cache.FILE_NAME
    return path, json.loads(path.read_text())


FOREIGN = [
    "",
    "not json {",
    "\x00\xff binary",
    "[]",
    '{"format": 1}',
    '{"format": 99, "txplan": "x", "entries": {}}',
    "[" * 100_000,
]


@pytest.mark.parametrize("text", FOREIGN, ids=range(len(FOREIGN)))
def test_a_cache_file_txplan_did_not_write_is_ignored_and_rewritten(
    plans: Path, text: str, checks: list[str]
) -> None:
    path, _ = _valid_entry(plans)
    expected = _findings(lint_paths([str(plans)], today=TODAY, use_cache=False))
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    checks.clear()
    assert _findings(lint_paths([str(plans)], today=TODAY)) == expected
    assert len(checks) == 1
    assert json.loads(path.read_text())["format"] == cache.FORMAT


_FINDING = ["C001", "n", "error", "m", [], 1, 1, 1, 1, None]
BROKEN_ENTRIES: list[Any] = [
    None,
    [],
    {"file": "x", "findings": [], "record": None},  # an older layout
    [1, [], None],
    ["x", [["C001"]], None],
    ["x", [[*_FINDING[:2], "fatal", *_FINDING[3:]]], None],
    ["x", [[*_FINDING[:4], [True], *_FINDING[5:]]], None],
    ["x", [[*_FINDING[:7], "1", *_FINDING[8:]]], None],
    ["x", [[*_FINDING[:9], 7]], None],
    ["x", [_FINDING, 3], None],
    ["x", [], [None, "C-1", 1, 1, 1, []]],
    ["x", [], [None, 5, 1, 1, 1, 1, []]],
    ["x", [], [3, "C-1", 1, 1, 1, 1, []]],
    ["x", [], [None, "C-1", 1, 1, 1, 1, ["O1.1", "f", 1, 1, 1, 1, 0]]],
    ["x", [], [None, "C-1", 1, 1, 1, 1, ["O1.1", "f", 1, 1, 1, 1, 0, "0"]]],
    ["x", [], [None, "C-1", 1, 1, 1, 1, ["O1.1", None, 1, 1, 1, 1, 0, 0]]],
    ["x", [], [None, "C-1", 1, 1, 1, 1, ["O1.1", "f", 1, 1.5, 1, 1, 0, 0]]],
]


@pytest.mark.parametrize("entry", BROKEN_ENTRIES, ids=range(len(BROKEN_ENTRIES)))
def test_an_entry_that_does_not_hold_together_is_checked_again(
    plans: Path, entry: Any, checks: list[str]
) -> None:
    _valid_entry(plans)
    expected = _findings(lint_paths([str(plans)], today=TODAY, use_cache=False))
    _replace_the_only_entry(plans, cache.FILE_NAME, entry)
    checks.clear()
    assert _findings(lint_paths([str(plans)], today=TODAY)) == expected
    assert len(checks) == 1


def test_a_cache_from_another_txplan_is_not_used(
    plans: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _valid_entry(plans)
    import txplan

    cache.fingerprint.cache_clear()
    monkeypatch.setattr(txplan, "__version__", "99.0")
    try:
        checks.clear()
        lint_paths([str(plans)], today=TODAY)
        assert len(checks) == 1
    finally:
        cache.fingerprint.cache_clear()


def test_the_key_holds_everything_a_finding_depends_on() -> None:
    base = {
        "name": "C-1042.plan.yaml",
        "content": cache.content_hash(b"txplan: 1\n"),
        "config": Config(),
        "today": TODAY,
        "selection": Selection(),
        "committed": None,
    }
    changed = {
        "name": "C-1043.plan.yaml",
        "content": cache.content_hash(b"txplan: 1\n\n"),
        "config": Config(review_days=60),
        "today": TODAY + dt.timedelta(days=1),
        "selection": Selection(ignore=("S",)),
        "committed": b"txplan: 1\n",
    }
    keys = {cache.key(**base)} | {cache.key(**{**base, k: v}) for k, v in changed.items()}
    assert len(keys) == 1 + len(changed)
    assert cache.key(**base) == cache.key(**dict(base))


def test_a_folder_that_cannot_be_written_still_lints(
    plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from txplan.plan import files

    def refused(path: Path, text: str, mode: int = 0o600) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    (plans / "C-1042.plan.yaml").write_text(example_text())
    monkeypatch.setattr(files, "replace", refused)
    result = runner.invoke(app, ["lint", str(plans), "--today", "2026-02-01", "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["files"] == 1, result.output
    assert not (plans / cache.FOLDER_NAME).exists()  # nor an empty folder left behind


def test_a_cache_folder_that_is_a_file_is_left_alone(plans: Path) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    (plans / cache.FOLDER_NAME).write_text("someone's file\n")
    first = runner.invoke(app, ["lint", str(plans), "--today", "2026-02-01", "-f", "json"])
    assert first.exit_code == 0 and json.loads(first.stdout)["files"] == 1, first.output
    assert (plans / cache.FOLDER_NAME).read_text() == "someone's file\n"


def test_two_runs_at_once_leave_a_cache_that_reads(tmp_path: Path) -> None:
    folder = _caseload(tmp_path / "plans", 60)
    command = [sys.executable, "-m", "txplan", "lint", str(folder), "--today", "2026-02-01"]
    command += ["-f", "json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [1, 1]
    assert outputs[0] == outputs[1]
    data = json.loads((folder / cache.FOLDER_NAME / cache.FILE_NAME).read_text())
    assert len(data["entries"]) == 69
    warm = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert warm.stdout == outputs[0]


def test_a_remembered_plan_is_reported_without_loading_a_rule(plans: Path) -> None:
    # Start-up is most of a one-file lint (pre-commit, an editor on save):
    # a result read from the cache must not pay for importing every rule.
    (plans / "C-1042.plan.yaml").write_text(example_text())
    code = (
        "import sys; sys.argv = ['txplan', 'lint', 'C-1042.plan.yaml', '--today', '2026-02-01']\n"
        "from txplan.entry import main\n"
        "try: main()\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('txplan.rules')), file=sys.stderr)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=plans)
        for _ in range(2)
    ]
    assert [run.stdout for run in runs] == ["1 plan checked: no problems found.\n"] * 2
    assert "txplan.rules.smart" in runs[0].stderr  # the first run checked the plan
    assert runs[1].stderr.strip() == "[]", runs[1].stderr


def test_a_remembered_caseload_loads_only_the_caseload_rules(tmp_path: Path) -> None:
    # X001 and X003 run on every lint, from the plans' remembered summaries;
    # the other families' rules and their word lists need not be imported.
    folder = _caseload(tmp_path / "plans", 6)
    code = (
        f"import sys; sys.argv = ['txplan', 'lint', {str(folder)!r}, '--today', '2026-02-01']\n"
        "from txplan.entry import main\n"
        "try: main()\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('txplan.rules')), file=sys.stderr)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True) for _ in "12"
    ]
    assert runs[0].stdout == runs[1].stdout and "X001" in runs[0].stdout
    assert "txplan.rules.smart" in runs[0].stderr
    assert runs[1].stderr.strip() == "['txplan.rules', 'txplan.rules.caseload']", runs[1].stderr


# --- txplan due ----------------------------------------------------------------------


def _due(folder: Path, today: dt.date = TODAY, **options: Any) -> Any:
    from txplan.workflow import due

    rows, problems = due.collect([str(folder)], today, **options)
    return [r.to_json() | {"reviews": r.reviews} for r in rows], problems


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from txplan.plan import loader

    seen: list[int] = []
    real = loader.load_bytes

    def counting(raw: bytes, *args: Any, **kwargs: Any) -> Any:
        seen.append(len(raw))
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(loader, "load_bytes", counting)
    return seen


def test_due_lists_the_same_with_and_without_the_cache(tmp_path: Path, parses: list[int]) -> None:
    folder = _caseload(tmp_path / "plans", 20)
    (folder / "C-9999.plan.yaml").write_text("txplan: 1\nclient: {id: 'bad id'}\n")
    (folder / "C-9998.plan.yaml").write_text(example_text().replace("2026-04-12", "2026-13-01"))
    uncached = _due(folder, use_cache=False)
    assert uncached[1] and uncached[0]  # some plans listed, some refused
    assert not (folder / cache.FOLDER_NAME).exists()
    parses.clear()
    assert _due(folder) == uncached
    assert len(parses) == 31
    parses.clear()
    assert _due(folder) == uncached and parses == []
    # The date and the settings apply on every run, to what was remembered.
    later = dt.date(2027, 1, 1)
    assert _due(folder, later) == _due(folder, later, use_cache=False) != uncached
    settings = folder / "txplan.toml"
    settings.write_text(settings.read_text().replace("due_soon_days = 14", "due_soon_days = 400"))
    parses.clear()
    warm = _due(folder)
    assert parses == [] and warm == _due(folder, use_cache=False) != uncached
    plan = folder / "C-5002.plan.yaml"
    plan.write_text(plan.read_text().replace("review_by: 2027-", "review_by: 2025-", 1))
    parses.clear()
    assert _due(folder) == _due(folder, use_cache=False)
    assert len(parses) == 1 + 31  # the edited plan, then every plan without the cache


@pytest.mark.parametrize(
    "entry",
    [
        None,
        [],
        {"problem": 1},
        {"client_id": "C-1042"},
        {
            "client_id": "C-1042",
            "clinician": "",
            "payer": "",
            "review_by": "2026-13-01",
            "last_review": None,
            "reviews": 0,
        },
        {
            "client_id": "C-1042",
            "clinician": "",
            "payer": "",
            "review_by": None,
            "last_review": None,
            "reviews": "0",
        },
    ],
)
def test_due_reads_a_plan_again_when_its_entry_does_not_hold_together(
    plans: Path, entry: Any, parses: list[int]
) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    expected = _due(plans)
    _replace_the_only_entry(plans, "due.json", entry)
    parses.clear()
    assert _due(plans) == expected and len(parses) == 1


# --- txplan status -------------------------------------------------------------------


def _status(folder: Path, today: dt.date = TODAY, **options: Any) -> Any:
    from txplan.workflow import status

    plans, problems = status.collect([str(folder)], today, **options)
    return status.as_json(plans, today), problems


def test_status_reports_the_same_with_and_without_the_cache(
    tmp_path: Path, parses: list[int]
) -> None:
    folder = _caseload(tmp_path / "plans", 12)
    (folder / "C-9999.plan.yaml").write_text("txplan: 1\nclient: [not, a, plan]\n")
    uncached = _status(folder, use_cache=False)
    assert uncached[1] and '"state": "' in uncached[0]
    parses.clear()
    assert _status(folder) == uncached and len(parses) == 22
    parses.clear()
    assert _status(folder) == uncached and parses == []
    later = dt.date(2027, 6, 1)  # progress and staleness are as of the date
    assert _status(folder, later) == _status(folder, later, use_cache=False) != uncached
    plan = folder / "C-5001.plan.yaml"
    plan.write_text(plan.read_text().replace("C-5001", "C-5101"))
    parses.clear()
    assert _status(folder) == _status(folder, use_cache=False) != uncached
    assert len(parses) == 1 + 22


@pytest.mark.parametrize(
    "entry",
    [
        None,
        [],
        {"problem": 2},
        {"file": "x"},
        {"file": "x", "client_id": "C-1", "review_by": "2026-13-01", "lines": []},
        {"file": "x", "client_id": "C-1", "review_by": None, "lines": [["O1", "met", "t"]]},
    ],
)
def test_status_builds_a_plan_again_when_its_entry_does_not_hold_together(
    plans: Path, entry: Any, parses: list[int]
) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    expected = _status(plans)
    _replace_the_only_entry(plans, "status.json", entry)
    parses.clear()
    assert _status(plans) == expected and len(parses) == 1


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("collect", [_due, _status], ids=["due", "status"])
def test_due_and_status_do_not_read_a_plan_whose_stat_is_as_it_was(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch, collect: Any
) -> None:
    from txplan.plan import files
    from txplan.workflow import due, status

    for module in (due, status):  # what they read of a plan not found in the cache
        monkeypatch.setattr(module, "read_limited", files.read_limited)
    folder = _caseload(tmp_path / "plans", 12)
    (folder / "C-9999.plan.yaml").write_text("txplan: 1\nclient: {id: 'bad id'}\n")
    uncached = collect(folder, use_cache=False)
    assert uncached[0] and uncached[1]
    assert collect(folder) == uncached
    reads.clear()
    assert collect(folder) == uncached and reads == []
    plan = folder / "C-5002.plan.yaml"
    plan.write_text(plan.read_text().replace("review_by: 2027-", "review_by: 2025-", 1))
    reads.clear()
    assert collect(folder) == collect(folder, use_cache=False) != uncached
    assert plan.name in reads


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("collect", [_due, _status], ids=["due", "status"])
def test_due_and_status_do_not_trust_a_stat_entry_that_is_not_ours(
    plans: Path, reads: list[str], collect: Any
) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    expected = collect(plans)
    name = "due.json" if collect is _due else "status.json"
    path = plans / cache.FOLDER_NAME / name
    data = json.loads(path.read_text())
    data["stats"] = {k: [*v[:5], "\ud800"] for k, v in data["stats"].items()}
    path.write_text(json.dumps(data))
    reads.clear()
    assert collect(plans) == expected
    assert reads == ["C-1042.plan.yaml"]


@pytest.mark.parametrize("command", ["due", "status"])
def test_no_cache_on_the_command_line_of_due_and_status(plans: Path, command: str) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    result = runner.invoke(app, [command, str(plans), "--no-cache", "--today", "2026-02-01"])
    assert result.exit_code == 0 and "C-1042" in result.stdout, result.output
    assert not (plans / cache.FOLDER_NAME).exists()
    again = runner.invoke(app, [command, str(plans), "--today", "2026-02-01"])
    assert again.stdout == result.stdout
    assert (plans / cache.FOLDER_NAME / f"{command}.json").is_file()
