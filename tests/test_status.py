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
