"""`txplan render --since-review`: the plan with a section on the session
notes since the last review, for the review meeting (fictional client C-1042)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import ROOT, example_text
from txplan.cli import app
from txplan.config import Config
from txplan.outputs.render import render
from txplan.plan.loader import load_bytes
from txplan.plan.model import Plan
from txplan.plan.validate import validate

runner = CliRunner()
TODAY = "2026-03-31"
TODAY_DATE = dt.date(2026, 3, 31)
REVIEW = (
    "reviews:\n  - {date: 2026-03-02, by: Susan, summary: Sleep better; worry unchanged., "
    "progress: [{goal: G1, rating: 5, note: GAD-7 12}], next_review: 2026-06-01}"
)

BEFORE = """---
txplan_note: 1
client: C-1042
date: 2026-02-20
objectives:
  - id: O1.3
    progress: Named box breathing before the review.
scores:
  - {instrument: GAD-7, score: 12}
---
"""
NOTES = {
    "2026-02-20": BEFORE,
    "2026-03-09": """---
txplan_note: 1
client: C-1042
date: 2026-03-09
objectives:
  - id: O1.1
    progress: Worry log kept on 5 of 7 days.
  - id: O2.1
    progress: No missed deadline this week.
scores:
  - {instrument: GAD-7, score: 11}
---
""",
    "2026-03-16": """---
txplan_note: 1
client: C-1042
date: 2026-03-16
objectives:
  - id: O1.1
    progress: <script>alert(1)</script> fewer late-night checks & calmer.
scores:
  - {instrument: GAD-7, score: 10}
---
""",
    "2026-03-23": """---
txplan_note: 1
client: C-1042
date: 2026-03-23
objectives:
  - id: O1.1
  - id: O2.2
    progress: Used the thought record at work on 4 days.
---
""",
    # After --today: not in the section.
    "2026-04-02": """---
txplan_note: 1
client: C-1042
date: 2026-04-02
objectives:
  - id: O1.2
    progress: Slept 6 hours on 5 nights.
---
""",
}


def _folder(plans: Path, review: str = REVIEW) -> Path:
    path = plans / "C-1042.plan.yaml"
    path.write_text(example_text().replace("reviews: []", review), encoding="utf-8")
    notes = plans / "notes" / "C-1042"
    notes.mkdir(parents=True)
    for day, text in NOTES.items():
        (notes / f"{day}.note.md").write_text(text, encoding="utf-8")
    return path


def _render(path: Path, fmt: str, *extra: str) -> str:
    result = runner.invoke(
        app, ["render", str(path), "-f", fmt, "--today", TODAY, "--since-review", *extra]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_markdown_section(plans: Path) -> None:
    text = _render(_folder(plans), "md")
    section = text[text.index("## Progress since the last review") : text.index("## Signatures")]
    assert section.startswith(
        "## Progress since the last review (2026-03-02 to 2026-03-31)\n\n"
        "3 session notes since the last review.\n\n"
        "### G1 Reduce anxiety symptoms to improve daily functioning.\n\n"
    )
    # The latest progress written, not the latest note (2026-03-23 wrote none).
    assert (
        "- **O1.1** Client will reduce GAD-7 score from 15 (moderate) to 9 (mild) or below "
        "within 12 weeks, as measured by bi-weekly administration: addressed in 3 of 3 notes. "
        "Latest progress (2026-03-16): &lt;script&gt;alert(1)&lt;/script&gt; fewer late-night "
        "checks &amp; calmer.\n"
    ) in section
    # Never cited since the review: said plainly.
    assert (
        "as tracked via sleep diary: **not addressed in any note since the last review.**\n"
        in section
    )
    # O1.3 was cited only before the review.
    assert (
        "as assessed through in-session practice: "
        "**not addressed in any note since the last review.**\n" in section
    )
    assert "box breathing" not in section and "Slept 6 hours" not in section
    # The score before the review (12, in the 2026-02-20 note) to the latest.
    assert "\nScores: GAD-7 12 → 10.\n" in section
    assert (
        "### G2 Improve work performance and concentration.\n\n"
        "- **O2.1** Client will complete work tasks without missed deadlines for 4 consecutive "
        "weeks within 10 weeks of treatment: addressed in 1 of 3 notes. "
        "Latest progress (2026-03-09): No missed deadline this week.\n"
        "- **O2.2** Client will use 2 workplace anxiety-management strategies daily for 6 "
        "weeks, as tracked in a thought record: addressed in 1 of 3 notes. "
        "Latest progress (2026-03-23): Used the thought record at work on 4 days.\n\n"
    ) in section
    assert section.count("Scores:") == 1  # G2 has no instrument
    # The plan's own last review stays where it was.
    assert "**Last review 2026-03-02** by Susan." in text


def test_html_section_escapes_note_text(plans: Path) -> None:
    page = _render(_folder(plans), "html")
    assert "<h2>Progress since the last review (2026-03-02 to 2026-03-31)</h2>" in page
    assert "<p>3 session notes since the last review.</p>" in page
    assert (
        'addressed in 3 of 3 notes. <span class="small">Latest progress (2026-03-16):</span> '
        "&lt;script&gt;alert(1)&lt;/script&gt; fewer late-night checks &amp; calmer.</li>"
    ) in page
    assert "<script>" not in page
    assert (
        "as tracked via sleep diary: <strong>not addressed in any note since the last "
        "review.</strong></li>"
    ) in page
    assert "<p>Scores: GAD-7 12 → 10.</p>" in page
    assert "box breathing" not in page and "Slept 6 hours" not in page


def test_without_a_review_the_notes_since_the_plan_was_written(plans: Path) -> None:
    text = _render(_folder(plans, "reviews: []"), "md")
    assert "## Progress since the last review (2026-01-12 to 2026-03-31)" in text
    assert "4 session notes since the last review." in text
    assert "Latest progress (2026-02-20): Named box breathing before the review." in text
    assert "Scores: GAD-7 15 → 10." in text


def test_no_notes_since_the_review(plans: Path) -> None:
    review = REVIEW.replace("2026-03-02", "2026-03-30")
    text = _render(_folder(plans, review), "md")
    assert (
        "## Progress since the last review (2026-03-30 to 2026-03-31)\n\n"
        "No session notes since the last review.\n\n## Signatures"
    ) in text
    page = _render(plans / "C-1042.plan.yaml", "html")
    assert "<p>No session notes since the last review.</p>" in page
    assert "Scores:" not in page


def test_de_identified_section_keeps_years_only(plans: Path) -> None:
    path = _folder(plans)
    text = _render(path, "md", "--redact")
    assert "## Progress since the last review (2026 to 2026)" in text
    assert "Latest progress (2026): &lt;script&gt;" in text
    assert "2026-03" not in text


def test_without_the_flag_the_output_is_unchanged(plans: Path) -> None:
    path = _folder(plans)
    loaded = load_bytes(path.read_bytes())
    plan = validate(loaded.data, loaded.positions).plan
    assert plan is not None
    result = runner.invoke(app, ["render", str(path), "-f", "md", "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert result.stdout == render(plan, Config(), TODAY_DATE, "md")
    page = runner.invoke(app, ["render", str(path), "-f", "html", "--today", TODAY]).stdout
    assert "since the last review" not in page


def test_the_notes_scores_join_the_chart_once_each(plans: Path) -> None:
    """The chart holds the plan's measures and every note's score up to
    --today, whatever the flag; a score in both places is one point."""
    path = _folder(plans)
    alone = render(plan_in(path), Config(), TODAY_DATE, "html")
    page = runner.invoke(app, ["render", str(path), "-f", "html", "--today", TODAY]).stdout
    points = page.count("<circle")
    assert points > alone.count("<circle"), page
    for score in ("12", "11", "10"):
        assert f": {score}</title></circle>" in page
    copy = plans / "notes" / "C-1042" / "copy.note.md"
    first = sorted((plans / "notes" / "C-1042").glob("*.note.md"))[0]
    copy.write_text(first.read_text())  # the same instrument, date and score again
    again = runner.invoke(app, ["render", str(path), "-f", "html", "--today", TODAY]).stdout
    assert again.count("<circle") == points


def plan_in(path: Path) -> Plan:
    loaded = load_bytes(path.read_bytes())
    plan = validate(loaded.data, loaded.positions).plan
    assert plan is not None
    return plan


def test_folder_render_gives_each_copy_its_section(plans: Path) -> None:
    _folder(plans)
    result = runner.invoke(
        app, ["render", str(plans), "-f", "md", "--today", TODAY, "--since-review"]
    )
    assert result.exit_code == 0, result.output
    copy = (plans / "out" / "C-1042.plan.md").read_text(encoding="utf-8")
    assert "3 session notes since the last review." in copy


def test_real_process(plans: Path) -> None:
    path = _folder(plans)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "txplan", "render", str(path), "-f", "md"]
    done = subprocess.run(
        [*command, "--today", TODAY, "--since-review"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "## Progress since the last review (2026-03-02 to 2026-03-31)" in done.stdout
    assert "**not addressed in any note since the last review.**" in done.stdout


def test_a_markdown_copy_without_the_flag_reads_no_note(
    plans: Path, note_walks: list[Path]
) -> None:
    """Only the HTML charts and --since-review use the notes."""
    path = _folder(plans)
    assert runner.invoke(app, ["render", str(path), "-f", "md", "--today", TODAY]).exit_code == 0
    assert note_walks == []
    assert runner.invoke(app, ["render", str(path), "-f", "html", "--today", TODAY]).exit_code == 0
    assert len(note_walks) == 1
