"""`txplan status`: progress per objective and the caseload line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import edit, example_text
from txplan.cli import app

runner = CliRunner()


def _plan(folder: Path, client_id: str, scores: list[dict], **changes) -> None:  # type: ignore[no-untyped-def,type-arg]
    base = [{"instrument": "GAD-7", "date": "2026-01-12", "score": 15}]
    text = edit(
        example_text().replace("C-1042", client_id), set_={"measures": base + scores, **changes}
    )
    (folder / f"{client_id}.plan.yaml").write_text(text)


def test_states_chart_and_summary(plans: Path) -> None:
    _plan(plans, "C-1", [{"instrument": "GAD-7", "date": "2026-03-01", "score": 12}])
    _plan(plans, "C-2", [{"instrument": "GAD-7", "date": "2026-03-20", "score": 14}])
    _plan(
        plans,
        "C-3",
        [{"instrument": "gad7", "date": "2026-03-01", "score": 8}],
        **{"goals[0].objectives[1].status": "met"},
    )
    result = runner.invoke(app, ["status", str(plans), "--today", "2026-03-25"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "O1.1 GAD-7 15 → 12 (target 9): 50% of the way, 86% of the time: behind  ▆▅" in out
    assert "O1.1 GAD-7 15 → 14 (target 9): 17% of the way, 86% of the time: behind" in out
    assert "O1.1 GAD-7 15 → 8 (target 9): 117% of the way, 86% of the time: met" in out
    assert "O1.2 met, due 2026-03-09 (no instrument target): met" in out
    assert "O1.3 no status, due 2026-02-23 (no instrument target): stale" in out
    assert out.splitlines()[-1] == (
        "3 plans, 15 objectives: 2 behind, 2 met, 11 stale; 0 reviews overdue."
    )


def test_json(plans: Path) -> None:
    _plan(plans, "C-1", [{"instrument": "GAD-7", "date": "2026-02-01", "score": 13}])
    data = json.loads(
        runner.invoke(app, ["status", str(plans), "-f", "json", "--today", "2026-02-02"]).stdout
    )
    first = data["plans"][0]["objectives"][0]
    assert first["id"] == "O1.1" and first["state"] == "on track"
    assert data["summary"].startswith("1 plan, 5 objectives: 1 on track")


def test_subprocess_status(plans: Path) -> None:
    _plan(plans, "C-1", [])
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "status", str(plans), "--today", "2026-02-02"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0 and "no score yet" in run.stdout, run.stderr


def test_an_objective_with_no_progress_reads_0_percent_not_minus_0() -> None:
    from conftest import ROOT

    result = runner.invoke(
        app, ["status", str(ROOT / "examples" / "C-2002.plan.yaml"), "--today", "2026-11-22"]
    )
    assert " 0% of the way" in result.stdout and "-0%" not in result.stdout, result.stdout


# --- session notes' scores ------------------------------------------------------------


def _note(plans: Path, day: str, scores: list[tuple[str, int]], client: str = "C-1042") -> Path:
    """A fictional session note for `client` on `day` with the given scores."""
    folder = plans / "notes" / client
    folder.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"  - {{instrument: {i}, score: {s}}}\n" for i, s in scores)
    path = folder / f"{day}.note.md"
    path.write_text(
        f"---\ntxplan_note: 1\nclient: {client}\ndate: {day}\n"
        f'start: "10:00"\nend: "10:50"\ncpt: "90834"\nplace: office\n'
        "objectives:\n  - {id: O1.1, interventions: [I1], progress: Kept a worry log on 5 days.}\n"
        f"scores:\n{lines}---\nSession text.\n"
    )
    return path


def _o11(plans: Path, *args: str) -> str:
    result = runner.invoke(app, ["status", str(plans), "--today", "2026-02-01", *args])
    assert result.exit_code == 0, result.output
    return next(line.strip() for line in result.stdout.splitlines() if "O1.1" in line)


def test_a_notes_score_counts_as_a_measure_on_its_date(plan: Path) -> None:
    _note(plan.parent, "2026-01-26", [("GAD-7", 12)])
    assert _o11(plan.parent, "--no-cache").startswith(
        "O1.1 GAD-7 15 → 12 (target 9): 50% of the way"
    )


def test_the_same_score_in_the_plan_and_a_note_is_one_point(plan: Path) -> None:
    plan.write_text(
        edit(
            plan.read_text(),
            set_={
                "measures": [
                    {"instrument": "GAD-7", "date": "2026-01-12", "score": 15},
                    {"instrument": "GAD-7", "date": "2026-01-26", "score": 12},
                ]
            },
        )
    )
    _note(plan.parent, "2026-01-26", [("gad7", 12)])
    line = _o11(plan.parent, "--no-cache")
    assert line.endswith("on track  ▆▅"), line  # two points, not three
    _note(plan.parent, "2026-01-29", [("GAD-7", 12)])  # a new date: a point of its own
    assert _o11(plan.parent, "--no-cache").endswith("on track  ▆▅▅")


def test_a_note_added_or_edited_after_a_cached_run_changes_the_status(plan: Path) -> None:
    before = _o11(plan.parent)
    assert "no score yet" in before and _o11(plan.parent) == before  # the second from the cache
    note = _note(plan.parent, "2026-01-26", [("GAD-7", 12)])
    assert "15 → 12" in _o11(plan.parent)
    note.write_text(note.read_text().replace("score: 12", "score: 11"))  # same size
    assert "15 → 11" in _o11(plan.parent)
    note.unlink()
    assert _o11(plan.parent) == before


def test_subprocess_status_reads_the_notes(plan: Path) -> None:
    _note(plan.parent, "2026-01-26", [("GAD-7", 12)])
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "status", str(plan), "--today", "2026-02-01"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "O1.1 GAD-7 15 → 12" in run.stdout


def test_the_notes_folder_is_listed_once_for_the_cache_key_and_the_reading(
    plan: Path, note_walks: list[Path]
) -> None:
    _note(plan.parent, "2026-01-26", [("GAD-7", 12)])
    assert "15 → 12" in _o11(plan.parent)  # built, not from the cache: key and notes both
    assert len(note_walks) == 1
