"""History from git: `txplan history` and rule X002."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import edit, example_text
from txplan.cli import app
from txplan.workflow.lint import lint_paths

runner = CliRunner()


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "clinician@example.invalid")
    git(tmp_path, "config", "user.name", "Susan Q. Practitioner")
    (tmp_path / "C-1042.plan.yaml").write_text(example_text())
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "Initial plan", "--date", "2026-01-12T10:00:00")
    return tmp_path


def _x002(repo: Path) -> list[str]:
    result = lint_paths([str(repo)], today=dt.date(2026, 2, 1))
    return [f.message for f in result.findings if f.code == "X002"]


def test_x002_fires_on_an_unexplained_change_and_not_otherwise(repo: Path) -> None:
    plan = repo / "C-1042.plan.yaml"
    assert _x002(repo) == []
    # Progress is not a change of plan.
    plan.write_text(edit(plan.read_text(), set_={"goals[0].objectives[1].status": "met"}))
    assert _x002(repo) == []
    # A reworded objective and a new intervention are.
    plan.write_text(
        edit(
            plan.read_text(),
            set_={
                "goals[0].objectives[2].statement": "Client will use 4 coping techniques within 6 weeks.",
                "interventions[3].objectives": ["O2.1"],
            },
        )
    )
    (message,) = _x002(repo)
    assert "objective O1.3 reworded" in message and "intervention I4 now serves O2.1" in message
    # A changes entry that says why settles it.
    plan.write_text(
        edit(
            plan.read_text(),
            set_={
                "changes": [
                    {
                        "date": dt.date(2026, 2, 1),
                        "what": "O1.3 asks for 4 techniques",
                        "why": "3 were met early",
                    }
                ]
            },
        )
    )
    assert _x002(repo) == []


def test_x002_reads_the_commit_only_when_the_working_copy_differs(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from txplan.plan import history

    read: list[bytes] = []
    real = history.load
    monkeypatch.setattr(history, "load", lambda raw: read.append(raw) or real(raw))
    assert _x002(repo) == [] and read == []  # at rest: the commit is not parsed again
    plan = repo / "C-1042.plan.yaml"
    plan.write_text(
        edit(plan.read_text(), set_={"goals[0].objectives[2].statement": "Client will walk daily."})
    )
    assert len(_x002(repo)) == 1 and len(read) == 1


def test_x002_is_silent_outside_git(plans: Path) -> None:
    (plans / "C-1042.plan.yaml").write_text(example_text())
    assert [f for f in lint_paths([str(plans)], today=dt.date(2026, 2, 1)).findings] == []


def test_history_lists_versions_in_clinical_terms(repo: Path) -> None:
    plan = repo / "C-1042.plan.yaml"
    plan.write_text(
        edit(
            plan.read_text(),
            set_={
                "goals[0].objectives[2].status": "met",
                "review_by": dt.date(2026, 7, 5),
                "goals[1].objectives[0].statement": "Client will meet all deadlines for 6 weeks within 10 weeks.",
            },
        )
    )
    git(repo, "commit", "-qam", "Review", "--date", "2026-04-06T10:00:00")
    result = runner.invoke(app, ["history", str(plan)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Initial plan" in out and "plan written: 2 goals, 5 objectives, 4 interventions" in out
    assert "objective O2.1 reworded" in out
    assert "objective O1.3 no status → met" in out
    assert "review date 2026-04-12 → 2026-07-05" in out


def test_history_outside_git_says_why(plans: Path) -> None:
    (plans / "C-1.plan.yaml").write_text(example_text())
    result = runner.invoke(app, ["history", str(plans / "C-1.plan.yaml")])
    assert result.exit_code == 2 and "not in a git repository" in result.stderr


def test_history_of_an_uncommitted_plan(repo: Path) -> None:
    (repo / "C-2.plan.yaml").write_text(example_text())
    result = runner.invoke(app, ["history", str(repo / "C-2.plan.yaml")])
    assert result.exit_code == 2 and "no committed versions yet" in result.stderr


# History tells the truth --------------------------------------------------


def _client(text: str, client_id: str) -> str:
    return text.replace("id: C-1042 ", f"id: {client_id} ", 1)


@pytest.fixture
def other_client(repo: Path) -> Path:
    """C-3102's plan with two commits of its own, beside the repo's C-1042."""
    plan = repo / "C-3102.plan.yaml"
    plan.write_text(_client(example_text(), "C-3102"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "C-3102 intake", "--date", "2026-01-20T10:00:00")
    plan.write_text(edit(plan.read_text(), set_={"review_by": dt.date(2026, 6, 1)}))
    git(repo, "commit", "-qam", "C-3102 review", "--date", "2026-03-01T10:00:00")
    return plan


def test_history_of_a_plan_copied_from_another_client_is_its_own(
    repo: Path, other_client: Path
) -> None:
    copy = repo / "C-5000.plan.yaml"
    copy.write_text(other_client.read_text().replace("id: C-3102", "id: C-5000"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "C-5000 intake", "--date", "2026-04-01T10:00:00")
    result = runner.invoke(app, ["history", str(copy)])
    assert result.exit_code == 0, result.output
    assert "C-3102 intake" not in result.stdout and "C-3102 review" not in result.stdout
    [head, *changes] = result.stdout.splitlines()
    assert head.endswith("C-5000 intake")
    assert changes == ["    plan written: 2 goals, 5 objectives, 4 interventions"]


def test_history_does_not_follow_a_rename_to_another_client_id(
    repo: Path, other_client: Path
) -> None:
    git(repo, "mv", "C-3102.plan.yaml", "C-5000.plan.yaml")
    moved = repo / "C-5000.plan.yaml"
    moved.write_text(moved.read_text().replace("id: C-3102", "id: C-5000"))
    git(repo, "commit", "-qam", "C-5000 intake", "--date", "2026-04-01T10:00:00")
    result = runner.invoke(app, ["history", str(moved)])
    assert result.exit_code == 0, result.output
    assert "C-3102 intake" not in result.stdout
    assert result.stdout.splitlines()[1:] == [
        "    plan written: 2 goals, 5 objectives, 4 interventions (in place of "
        "`C-3102.plan.yaml`, the plan of client C-3102, removed in the same commit; that "
        "plan's history is its own)"
    ]


def test_history_follows_a_true_rename_of_the_same_client(repo: Path) -> None:
    (repo / "active").mkdir()
    git(repo, "mv", "C-1042.plan.yaml", "active/C-1042.plan.yaml")
    git(repo, "commit", "-qm", "Move to active", "--date", "2026-02-01T10:00:00")
    result = runner.invoke(app, ["history", str(repo / "active" / "C-1042.plan.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("Initial plan") and lines[2].endswith("Move to active")
    assert lines[3] == "    file renamed from C-1042.plan.yaml"


@pytest.mark.parametrize("name", ["C-1\n.plan.yaml", "C-2\u202e.plan.yaml", "C-3*.plan.yaml"])
def test_history_reads_any_file_name_as_written(repo: Path, name: str) -> None:
    plan = repo / name
    plan.write_text(example_text())
    # A file whose name the old, pattern-reading log would also have matched.
    (repo / "C-3x.plan.yaml").write_text(example_text())
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Added", "--date", "2026-01-20T10:00:00")
    plan.write_text(edit(plan.read_text(), set_={"review_by": dt.date(2026, 6, 1)}))
    git(repo, "commit", "-qam", "Reviewed", "--date", "2026-03-01T10:00:00")
    other = repo / "C-3x.plan.yaml"
    other.write_text(edit(other.read_text(), set_={"review_by": dt.date(2026, 7, 1)}))
    git(repo, "commit", "-qam", "Other plan", "--date", "2026-03-02T10:00:00")
    result = runner.invoke(app, ["history", str(plan)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4, lines
    assert lines[0].endswith("Added") and lines[2].endswith("Reviewed")
    # git sees the same text as C-1042's; either way it is where this plan starts.
    assert (
        lines[1].startswith("    plan written")
        and "2 goals, 5 objectives, 4 interventions" in lines[1]
    )
    assert lines[3] == "    review date 2026-04-12 → 2026-06-01"


def test_history_says_where_a_shallow_clone_cuts_it_off(repo: Path, tmp_path: Path) -> None:
    plan = repo / "C-1042.plan.yaml"
    plan.write_text(edit(plan.read_text(), set_={"review_by": dt.date(2026, 6, 1)}))
    git(repo, "commit", "-qam", "Review", "--date", "2026-03-01T10:00:00")
    (repo / "notes.txt").write_text("not a plan\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Notes", "--date", "2026-03-02T10:00:00")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
        check=True,
        capture_output=True,
    )
    result = runner.invoke(app, ["history", str(shallow / "C-1042.plan.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[0].endswith("Notes")
    assert lines[1].startswith("    history cut off here: this clone is shallow")
    assert "`git fetch --unshallow`" in lines[1] and "2 goals, 5 objectives" in lines[1]
    # The full repository has no cut.
    full = runner.invoke(app, ["history", str(plan)]).stdout
    assert "cut off" not in full and "plan written: 2 goals" in full


def test_x002_reads_each_committed_plan_by_its_own_name(repo: Path) -> None:
    odd = repo / "C-1\n.plan.yaml"
    odd.write_text(_client(example_text(), "C-1"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Odd name", "--date", "2026-01-20T10:00:00")
    plan = repo / "C-1042.plan.yaml"
    plan.write_text(edit(plan.read_text(), set_={"interventions[3].objectives": ["O2.1"]}))
    from txplan.plan.history import committed

    before = committed([odd, plan])
    assert before[odd] == odd.read_bytes()
    assert before[plan] != plan.read_bytes() and b"id: C-1042" in before[plan]
    found = [
        f for f in lint_paths([str(repo)], today=dt.date(2026, 2, 1)).findings if f.code == "X002"
    ]
    assert [f.file for f in found] == [str(plan)]


def test_committed_reads_only_what_head_holds(repo: Path) -> None:
    from txplan.plan.history import committed

    tracked = repo / "C-1042.plan.yaml"
    committed_text = tracked.read_bytes()
    tracked.write_text(edit(tracked.read_text(), set_={"review_by": dt.date(2026, 6, 1)}))
    (repo / "team").mkdir()
    inner = repo / "team" / "C-2000.plan.yaml"
    inner.write_text(_client(example_text(), "C-2000"))
    git(repo, "add", str(inner))
    git(repo, "commit", "-qm", "Team plan", "--date", "2026-01-20T10:00:00")
    untracked = repo / "team" / "C-2001.plan.yaml"
    untracked.write_text(_client(example_text(), "C-2001"))
    staged = repo / "C-2002.plan.yaml"  # added, never committed
    staged.write_text(_client(example_text(), "C-2002"))
    git(repo, "add", str(staged))
    failures: list[str] = []
    before = committed([tracked, inner, untracked, staged], failures)
    assert failures == []
    assert before == {tracked: committed_text, inner: inner.read_bytes()}


def test_committed_before_the_first_commit_is_nothing_and_no_failure(tmp_path: Path) -> None:
    from txplan.plan.history import committed

    git(tmp_path, "init", "-q")
    plan = tmp_path / "C-1042.plan.yaml"
    plan.write_text(example_text())
    failures: list[str] = []
    assert committed([plan], failures) == {} and failures == []


def test_subprocess_history_of_a_copied_plan(repo: Path, other_client: Path) -> None:
    import sys

    copy = repo / "C-5000.plan.yaml"
    copy.write_text(other_client.read_text().replace("id: C-3102", "id: C-5000"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "C-5000 intake", "--date", "2026-04-01T10:00:00")
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "history", "C-5000.plan.yaml"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "C-3102" not in run.stdout and "C-5000 intake" in run.stdout
    assert run.stdout.splitlines()[1] == "    plan written: 2 goals, 5 objectives, 4 interventions"
    assert len(run.stdout.splitlines()) == 2


def test_history_shows_a_merge_that_changed_the_plan_and_the_branch_it_came_from(
    repo: Path,
) -> None:
    plan = repo / "C-1042.plan.yaml"
    main = subprocess.run(
        ["git", "-C", str(repo), "branch", "--show-current"], capture_output=True, text=True
    ).stdout.strip()
    git(repo, "checkout", "-qb", "side")
    plan.write_text(edit(plan.read_text(), set_={"review_by": dt.date(2026, 5, 1)}))
    git(repo, "commit", "-qam", "Side review", "--date", "2026-02-01T10:00:00")
    # A plan written on the branch: its history starts there, not at the merge.
    (repo / "C-2.plan.yaml").write_text(_client(example_text(), "C-2"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "C-2 intake", "--date", "2026-02-02T10:00:00")
    git(repo, "checkout", "-q", main)
    plan.write_text(edit(plan.read_text(), set_={"review_by": dt.date(2026, 6, 1)}))
    git(repo, "commit", "-qam", "Main review", "--date", "2026-02-03T10:00:00")
    subprocess.run(["git", "-C", str(repo), "merge", "-q", "side"], capture_output=True)
    # The conflict resolved by hand, to a third date: a version of its own.
    plan.write_text(edit(example_text(), set_={"review_by": dt.date(2026, 7, 1)}))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Merge side", "--date", "2026-02-04T10:00:00")
    out = runner.invoke(app, ["history", str(plan)]).stdout
    assert out.startswith("2026-01-12") and "Initial plan" in out.splitlines()[0], out
    assert out.count("Merge side") == 1 and "review date 2026-06-01 → 2026-07-01" in out
    second = runner.invoke(app, ["history", str(repo / "C-2.plan.yaml")]).stdout.splitlines()
    assert second[0].endswith("C-2 intake") and len(second) == 2, second


def test_a_warm_lint_in_git_reads_no_committed_plan_and_an_edit_reads_its_own(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache keys on each plan's blob id at HEAD (from ls-tree): a plan
    # remembered needs no committed version read, a plan edited needs only its own.
    from txplan.plan import history

    other = repo / "C-2000.plan.yaml"
    other.write_text(example_text().replace("C-1042", "C-2000"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "A second plan")
    asked: list[list[bytes]] = []
    real = history._blobs
    monkeypatch.setattr(
        history, "_blobs", lambda root, specs: asked.append(list(specs)) or real(root, specs)
    )
    assert _x002(repo) == []  # cold: both plans' committed versions are read
    assert sum(len(specs) for specs in asked) == 2
    asked.clear()
    assert _x002(repo) == []  # warm: none is
    assert asked == []
    plan = repo / "C-1042.plan.yaml"
    plan.write_text(
        edit(plan.read_text(), set_={"goals[0].objectives[2].statement": "Client will walk daily."})
    )
    assert len(_x002(repo)) == 1
    assert [len(specs) for specs in asked] == [1]
    asked.clear()
    git(repo, "commit", "-qam", "The new wording")  # HEAD moves: the plan's key with it
    assert _x002(repo) == []
    assert [len(specs) for specs in asked] == [1]


def test_a_plan_whose_committed_version_could_not_be_read_is_checked_once_it_can(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache must not keep a result made without X002 under the plan's
    # version: the next run that can read the version checks X002.
    from txplan.plan import history

    plan = repo / "C-1042.plan.yaml"
    plan.write_text(
        edit(plan.read_text(), set_={"goals[0].objectives[2].statement": "Client will walk daily."})
    )
    real = history._blobs

    def failing(root: Path, specs: list[bytes]) -> list[bytes | None]:
        raise history._GitFailed("git failed (a test)")

    monkeypatch.setattr(history, "_blobs", failing)
    result = lint_paths([str(repo)], today=dt.date(2026, 2, 1))
    assert not [f for f in result.findings if f.code == "X002"]
    assert any("X002 undocumented-change was not checked" in u for u in result.unchecked)
    monkeypatch.setattr(history, "_blobs", real)
    assert len(_x002(repo)) == 1
