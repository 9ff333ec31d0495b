"""`txplan report`: the caseload's figures, held to what `due` and `lint`
say of the same plans, and the page held to the figures in a real browser."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, example_text, git_in
from txplan.cli import app

runner = CliRunner()
TODAY = "2026-03-25"
CLINICIANS = ["Susan Q. Practitioner", "Marco Example", "Ines Sample"]
PAYERS = ["aetna", "medicaid"]


def _caseload(folder: Path, count: int) -> Path:
    """`count` fictional plans: three clinicians, two payers, reviews spread
    from overdue to months away, every fifth with a broken link."""
    folder.mkdir(exist_ok=True)
    (folder / "txplan.toml").write_text(
        "[payers.aetna]\nreview_days = 90\n[payers.medicaid]\nreview_days = 90\n"
    )
    base = example_text()
    for i in range(count):
        review = dt.date(2026, 3, 1) + dt.timedelta(days=(i * 7) % 75)
        text = (
            base.replace("C-1042", f"C-{3000 + i}")
            .replace("Susan Q. Practitioner", CLINICIANS[i % 3])
            .replace("payer: aetna", f"payer: {PAYERS[i % 2]}")
            .replace("review_by: 2026-04-12", f"review_by: {review.isoformat()}")
        )
        if i % 5 == 0:
            text = text.replace("objectives: [O1.3]", "objectives: [O1.9]", 1)
        (folder / f"C-{3000 + i}.plan.yaml").write_text(text)
    return folder


def _json(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    # examples/flawed holds plans no command can read: `due`, `status` and
    # `report` name them on stderr and exit 2, after their output.
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output, result.output
    return json.loads(result.stdout)


def _report(*args: str) -> Any:
    return _json("report", *args, "--format", "json")


# --- the figures equal what `due` and `lint` say --------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _caseload(tmp_path_factory.mktemp("report") / "plans", 60)


def test_reviews_are_the_plans_due_lists(generated: Path) -> None:
    report = _report(str(generated), "--today", TODAY)["reviews"]
    due = _json("due", str(generated), "--today", TODAY, "-f", "json")["plans"]
    overdue = [r for r in due if r["state"] == "overdue"]
    assert report["plans"] == len(due) == 60
    assert report["overdue"] == len(overdue) > 0
    for days in (7, 30):
        within = _json(
            "due", str(generated), "--today", TODAY, "--within", f"{days}d", "-f", "json"
        )
        assert report[f"due_{days}"] == len(within["plans"]) - len(overdue) > 0
    for who in CLINICIANS:
        mine = _json("due", str(generated), "--today", TODAY, "--clinician", who, "-f", "json")
        assert report["by_clinician"][who]["plans"] == len(mine["plans"])
        late = sum(r["state"] == "overdue" for r in mine["plans"])
        assert report["by_clinician"][who]["overdue"] == late
    by_payer = Counter(r["payer"] for r in overdue)
    assert {p: c["overdue"] for p, c in report["by_payer"].items()} == {
        p: by_payer.get(p, 0) for p in PAYERS
    }
    assert sorted(p["client_id"] for p in report["overdue_plans"]) == sorted(
        r["client_id"] for r in overdue
    )


def _lint_counts(*paths: str) -> Counter[tuple[str, str]]:
    found = _json("lint", *paths, "--today", TODAY, "-f", "json")["findings"]
    return Counter((f["code"], f["severity"]) for f in found)


def _report_counts(quality: dict[str, Any]) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for row in quality["by_code"]:
        out[(row["code"], "error")] += row["errors"]
        out[(row["code"], "warning")] += row["warnings"]
    return +out


@pytest.mark.parametrize("where", ["generated", "examples"])
def test_quality_counts_what_lint_finds(where: str, generated: Path) -> None:
    folder = str(generated) if where == "generated" else str(ROOT / "examples")
    quality = _report(folder, "--today", TODAY)["quality"]
    assert _report_counts(quality) == +_lint_counts(folder)
    lint = _lint_counts(folder)
    assert quality["errors"] == sum(n for (_, sev), n in lint.items() if sev == "error")
    families = Counter()
    for (code, sev), n in lint.items():
        if sev == "error":
            families[code[0]] += n
    assert {k: v["errors"] for k, v in quality["by_family"].items() if v["errors"]} == +families


def test_quality_by_clinician_and_the_plans_with_most_errors(generated: Path) -> None:
    quality = _report(str(generated), "--today", TODAY)["quality"]
    for who in CLINICIANS:
        mine = quality["by_clinician"][who]
        assert mine["plans"] == 20
        assert mine["errors_per_plan"] == round(mine["errors"] / 20, 2)
    most = quality["most_errors"]
    assert most and [p["errors"] for p in most] == sorted((p["errors"] for p in most), reverse=True)
    broken = {f"C-{3000 + i}" for i in range(0, 60, 5)}
    top = most[0]
    found = _json("lint", top["file"], "--today", TODAY, "-f", "json")["findings"]
    assert top["errors"] == sum(f["severity"] == "error" for f in found)
    assert top["client_id"] in broken  # the broken link adds an error to the example's


def test_measures_on_time_are_the_instruments_due_lists(generated: Path) -> None:
    report = _report(str(generated), "--today", TODAY)["measurement"]
    rows = _json("due", str(generated), "--today", TODAY, "--kind", "measures", "-f", "json")
    measures = rows["measures"]
    for name, entry in report["instruments"].items():
        mine = [r for r in measures if r["instrument"] == name]
        assert entry["clients_due"] == len({r["client_id"] for r in mine})
        on_time = {r["client_id"] for r in mine if r["state"] in ("scheduled", "due soon")}
        assert entry["measured_on_time"] == len(on_time)


def test_objectives_are_the_states_status_gives(generated: Path) -> None:
    report = _report(str(generated), "--today", TODAY)["measurement"]["objectives"]
    status = _json("status", str(generated), "--today", TODAY, "-f", "json")
    states = Counter(o["state"] for p in status["plans"] for o in p["objectives"])
    assert report["met"] == states["met"] and report["behind"] == states["behind"]
    assert report["on_track"] == states["on track"]
    assert report["no_score_yet"] == states["no score yet"]
    measured = states["met"] + states["behind"] + states["on track"] + states["no score yet"]
    assert report["with_target"] >= measured > 0


def test_the_notes_section_agrees_with_n005_n003_and_n007() -> None:
    folder = str(ROOT / "examples")
    notes = _report(folder, "--today", TODAY)["notes"]
    lint = _lint_counts(folder)
    late = sum(n for (code, _), n in lint.items() if code == "N005")
    assert notes["signed_late"] + notes["unsigned_past_limit"] == late
    assert notes["objectives_neglected"] == sum(n for (c, _), n in lint.items() if c == "N007")
    assert notes["sessions_without_plan_in_force"] == sum(
        n for (c, _), n in lint.items() if c == "N003"
    )
    assert notes["notes"] == sum(c["notes"] for c in notes["by_clinician"].values()) > 0
    judged = notes["signed_on_time"] + notes["signed_late"] + notes["unsigned_past_limit"]
    assert notes["share_on_time"] == round(notes["signed_on_time"] / judged, 3)


def test_a_folder_without_notes_has_no_notes_section(generated: Path) -> None:
    assert _report(str(generated), "--today", TODAY)["notes"] is None


def test_cached_and_uncached_reports_are_the_same(tmp_path: Path) -> None:
    folder = _caseload(tmp_path / "plans", 12)
    shutil.copytree(ROOT / "examples" / "notes", folder / "notes")
    args = ["report", str(folder), "--today", TODAY, "-f", "json"]
    cold = runner.invoke(app, args).stdout
    warm = runner.invoke(app, args).stdout
    assert (folder / ".txplan_cache" / "lint.json").exists()
    assert cold == warm == runner.invoke(app, [*args, "--no-cache"]).stdout
    plan = folder / "C-3001.plan.yaml"
    plan.write_text(plan.read_text().replace("Marco Example", "Nadia Example"))
    edited = json.loads(runner.invoke(app, args).stdout)
    assert "Nadia Example" in edited["caseload"]["by_clinician"]
    assert edited == json.loads(runner.invoke(app, [*args, "--no-cache"]).stdout)


# --- choosing: one clinician, since a day ---------------------------------------------


def test_one_clinician(generated: Path) -> None:
    report = _report(str(generated), "--today", TODAY, "--clinician", "marco")
    assert report["caseload"]["plans"] == 20
    assert list(report["caseload"]["by_clinician"]) == ["Marco Example"]
    assert set(report["quality"]["by_clinician"]) == {"Marco Example"}
    mine = _json("due", str(generated), "--today", TODAY, "--clinician", "marco", "-f", "json")
    files = [p["file"] for p in mine["plans"]]
    assert _report_counts(report["quality"]) == +_lint_counts(*files)


def test_since_counts_notes_from_that_day_and_starts_the_trend() -> None:
    folder = str(ROOT / "examples")
    every = _report(folder, "--today", "2026-12-04")["notes"]["notes"]
    later = _report(folder, "--today", "2026-12-04", "--since", "2026-11-25")
    assert 0 < later["notes"]["notes"] < every
    assert later["since"] == "2026-11-25"
    assert [m["month"] for m in later["quality"]["trend"]["months"]] == ["2026-11", "2026-12"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--since", "2026-13-01"], "--since: '2026-13-01' is not a date"),
        (["--since", "2026-04-01"], "--since 2026-04-01 is after 2026-03-25"),
        (["--today", "yesterday"], "--today: 'yesterday' is not a date"),
    ],
)
def test_a_bad_date_is_one_line_and_exit_2(generated: Path, args: list[str], said: str) -> None:
    result = runner.invoke(app, ["report", str(generated), "--today", TODAY, *args])
    assert result.exit_code == 2 and said in result.stderr, result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_months() -> None:
    from txplan.workflow.report.trend import months

    today = dt.date(2026, 3, 25)
    assert months(today, dt.date(2025, 12, 9)) == [
        ("2025-12", dt.date(2025, 12, 31)),
        ("2026-01", dt.date(2026, 1, 31)),
        ("2026-02", dt.date(2026, 2, 28)),
        ("2026-03", today),
    ]
    assert len(months(today, None)) == 12 and months(today, None)[0][0] == "2025-04"
    # The calendar's ends: no month before year 1 or after 9999.
    assert months(dt.date(1, 3, 1), None)[0] == ("0001-01", dt.date(1, 1, 31))
    assert months(dt.date(9999, 12, 31), dt.date(9999, 11, 5))[-1] == (
        "9999-12",
        dt.date(9999, 12, 31),
    )


# --- the trend, from git --------------------------------------------------------------


def _commit(folder: Path, day: str, message: str) -> None:
    stamp = f"{day}T12:00:00+00:00"
    os.environ.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    try:
        git_in(folder, "add", "-A")
        git_in(folder, "commit", "-q", "-m", message)
    finally:
        del os.environ["GIT_AUTHOR_DATE"], os.environ["GIT_COMMITTER_DATE"]


def test_the_trend_reads_each_month_from_git(tmp_path: Path) -> None:
    from txplan.settings.reading import ConfigFinder
    from txplan.workflow.lint import lint_bytes
    from txplan.workflow.results import Selection

    folder = _caseload(tmp_path / "plans", 2)
    git_in(folder, "init", "-q")
    first = folder / "C-3000.plan.yaml"  # with a broken link (every fifth)
    _commit(folder, "2026-01-10", "two plans")
    first.write_text(first.read_text().replace("objectives: [O1.9]", "objectives: [O1.3]"))
    _commit(folder, "2026-02-20", "the link mended")
    late = _caseload(tmp_path / "later", 3)  # C-3002 joins in March
    shutil.copy(late / "C-3002.plan.yaml", folder)
    _commit(folder, "2026-03-02", "a new client")
    trend = _report(str(folder), "--today", TODAY, "--since", "2025-12-01")["quality"]["trend"]
    by_month = {m["month"]: m for m in trend["months"]}
    # December was asked for, but the history starts in January.
    assert trend["why"] is None and list(by_month) == ["2026-01", "2026-02", "2026-03"]

    def errors(name: str, day: str, text: str) -> int:
        config = ConfigFinder(None).for_file(folder / "C-3000.plan.yaml")
        done = lint_bytes(name, text.encode(), config, dt.date.fromisoformat(day), Selection())
        return sum(f.severity == "error" for f in done.findings)

    broken = _caseload(tmp_path / "again", 2)
    shown = str(first)
    january = errors(shown, "2026-01-10", (broken / "C-3000.plan.yaml").read_text())
    january += errors(
        str(folder / "C-3001.plan.yaml"), "2026-01-10", (folder / "C-3001.plan.yaml").read_text()
    )
    assert by_month["2026-01"]["plans"] == 2 and by_month["2026-01"]["errors"] == january
    assert by_month["2026-02"]["errors"] < january  # the mended link
    assert by_month["2026-03"]["plans"] == 3


def test_without_git_the_trend_says_why(generated: Path) -> None:
    trend = _report(str(generated), "--today", TODAY)["quality"]["trend"]
    assert trend["months"] == [] and trend["why"].startswith("no history to show")


# --- outcomes and signatures ------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "first", "latest", "expected"),
    [
        ("PHQ-9", 20, 10, (True, False, True)),
        ("PHQ-9", 20, 11, (False, False, True)),
        ("PHQ-9", 10, 4, (True, True, True)),
        ("PHQ-9", 9, 2, (None, None, True)),  # not elevated at the start
        ("PHQ-9", 14, 9, (False, False, False)),  # 5 points: within the error
        ("GAD-7", 12, 8, (False, False, True)),  # 4 points: reliable for the GAD-7
        ("GAD-7", 12, 9, (False, False, False)),
        ("GAD-7", 10, 4, (True, True, True)),
        ("PCL-5", 60, 20, (None, None, None)),  # no threshold published here
    ],
)
def test_outcome_thresholds(instrument: str, first: float, latest: float, expected: tuple) -> None:  # type: ignore[type-arg]
    from txplan.clinical.outcomes import outcome

    got = outcome(instrument, first, latest)
    assert (got.responded, got.remitted, got.reliably_improved) == expected


def _note(day: str | None, signed: str | None, clock: str | None = None) -> Any:
    when = dt.date.fromisoformat(day) if day else None
    signature = SimpleNamespace(date=dt.date.fromisoformat(signed), time=clock) if signed else None
    return SimpleNamespace(date=when, start="10:00", end="10:50", signed=signature)


@pytest.mark.parametrize(
    ("note", "state"),
    [
        (_note("2026-03-02", "2026-03-03"), "on time"),
        (_note("2026-03-02", "2026-03-05", "10:49"), "on time"),  # 72 hours to the minute
        (_note("2026-03-02", "2026-03-05", "10:51"), "late"),
        (_note("2026-03-02", "2026-03-09"), "late"),
        (_note("2026-03-02", None), "unsigned, past the limit"),
        (_note("2026-03-22", None), "unsigned, within the limit"),
        (_note(None, None), "no session date"),
    ],
)
def test_signature_state_reads_as_n005(note: Any, state: str) -> None:
    from txplan.workflow.report.gleaning import signature_state

    assert signature_state(note, 72, dt.date(2026, 3, 25)) == state


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=7) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_a_cache_entry_is_read_back_only_as_it_was_written(stored: Any) -> None:
    from txplan.workflow.report.gleaning import _decode, _encode

    found = _decode(stored)
    assert found is None or _encode(found) == stored


# --- PHI: IDs, never names; the file owner-only -------------------------------------------


def _names_in(folder: Path) -> tuple[set[str], set[str]]:
    from ruamel.yaml import YAML

    clients, clinicians = set(), set()
    for path in folder.rglob("*.plan.yaml"):
        try:
            data = YAML(typ="safe").load(path.read_text())
        except Exception:  # a flawed example may not read
            continue
        if isinstance(data, dict):
            for key, into in (("client", clients), ("clinician", clinicians)):
                part = data.get(key)
                if isinstance(part, dict) and isinstance(part.get("name"), str):
                    into.add(part["name"])
    return clients, clinicians


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_client_names_never_and_clinician_names_only_unredacted(tmp_path: Path, fmt: str) -> None:
    examples = ROOT / "examples"
    clients, clinicians = _names_in(examples)
    assert clients and clinicians
    plain = runner.invoke(app, ["report", str(examples), "--today", TODAY, "-f", fmt]).stdout
    hidden = runner.invoke(
        app, ["report", str(examples), "--today", TODAY, "-f", fmt, "--redact"]
    ).stdout
    assert not [n for n in clients if n in plain or n in hidden]
    assert "Priya N. Castellano" in plain
    assert not [n for n in clinicians if n in hidden]
    assert "Clinician 1" in hidden


def test_redacting_keeps_every_figure() -> None:
    examples = str(ROOT / "examples")
    plain = _report(examples, "--today", TODAY)
    hidden = _report(examples, "--today", TODAY, "--redact")
    assert hidden["redacted"] is True
    assert hidden["reviews"]["overdue"] == plain["reviews"]["overdue"]
    assert sorted(hidden["quality"]["by_clinician"].values(), key=str) == sorted(
        plain["quality"]["by_clinician"].values(), key=str
    )


def test_the_file_is_owner_only_and_refuses_a_plan(tmp_path: Path, generated: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(generated), "--today", TODAY, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text().startswith("<!DOCTYPE html>")
    plan = generated / "C-3000.plan.yaml"
    before = plan.read_bytes()
    refused = runner.invoke(app, ["report", str(generated), "--today", TODAY, "-o", str(plan)])
    assert refused.exit_code == 2 and plan.read_bytes() == before


def test_the_page_makes_no_request_and_runs_no_script() -> None:
    page = runner.invoke(app, ["report", str(ROOT / "examples"), "--today", TODAY]).stdout
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}


def test_markup_in_a_clinician_name_stays_text(tmp_path: Path) -> None:
    folder = _caseload(tmp_path / "plans", 1)
    plan = folder / "C-3000.plan.yaml"
    plan.write_text(
        plan.read_text().replace("Susan Q. Practitioner", '"<b>Dr</b> & <script>x</script>"')
    )
    page = runner.invoke(app, ["report", str(folder), "--today", TODAY]).stdout
    assert "<script>x" not in page and "&lt;b&gt;Dr&lt;/b&gt; &amp;" in page


def test_subprocess_report(tmp_path: Path, generated: Path) -> None:
    out = tmp_path / "r.json"
    run = subprocess.run(
        [sys.executable, "-m", "txplan", "report", str(generated), "--today", TODAY,
         "-f", "json", "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(out.read_text())["caseload"]["plans"] == 60


# --- the page in Chromium ----------------------------------------------------------------

from chromium import CHROMIUM, Browser  # noqa: E402

SECTIONS = ["caseload", "reviews", "quality", "measurement", "notes"]
READ_PAGE = """JSON.stringify({
  sections: Array.from(document.querySelectorAll('section[id]')).map(s => s.id),
  charts: Array.from(document.querySelectorAll('figure[data-chart]')).map(f => [
    f.dataset.chart, f.querySelectorAll('svg rect, svg circle').length,
    Array.from(f.querySelectorAll('[data-value]')).map(e => [e.dataset.label, e.dataset.value])]),
  figures: Array.from(document.querySelectorAll('[data-figure]')).map(
    e => [e.dataset.figure, e.textContent.trim()]),
  width: document.documentElement.scrollWidth,
})"""


def _at(figures: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        figures = figures[part]
    return figures


@pytest.mark.skipif(CHROMIUM is None, reason="make test installs chromium")
@pytest.mark.parametrize("where", ["examples", "generated"])
def test_the_page_in_chromium_shows_every_section_and_the_json(
    tmp_path: Path, generated: Path, where: str
) -> None:
    folder = str(ROOT / "examples") if where == "examples" else str(generated)
    figures = _report(folder, "--today", TODAY)
    page = tmp_path / "report.html"
    runner.invoke(app, ["report", folder, "--today", TODAY, "-o", str(page)])
    with Browser(tmp_path / "profile") as browser:
        seen = json.loads(browser.evaluate(page.as_uri(), READ_PAGE))
    assert seen["sections"][:5] == SECTIONS
    charts = {name: (marks, values) for name, marks, values in seen["charts"]}
    expected = {"plans-by-clinician", "reviews", "overdue-by-clinician", "errors-by-family",
                "errors-per-plan-by-clinician", "measured-on-time", "objectives"}  # fmt: skip
    assert expected <= set(charts)
    assert ("notes-on-time" in charts) == (figures["notes"] is not None)
    assert ("trend" in charts) == bool(figures["quality"]["trend"]["months"])
    assert all(marks for name, (marks, _) in charts.items() if name != "trend")
    for dotted, text in seen["figures"]:
        assert text == str(_at(figures, dotted)), dotted
    assert len(seen["figures"]) >= 15
    bars = dict(charts["reviews"][1])
    assert float(bars["overdue"]) == figures["reviews"]["overdue"]
    shown = dict(charts["plans-by-clinician"][1])
    assert {k: int(float(v)) for k, v in shown.items()} == figures["caseload"]["by_clinician"]
    families = dict(charts["errors-by-family"][1])
    assert sum(float(v) for v in families.values()) == figures["quality"]["errors"]


# --- the JSON is documented -------------------------------------------------------------


def test_every_field_of_the_json_is_documented() -> None:
    page = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_.]+)` \|", page, flags=re.M))

    def known(field: str) -> bool:
        return field in documented or any(d.startswith(f"{field}.") for d in documented)

    report = _report(str(ROOT / "examples"), "--today", "2026-12-04")
    fields = list(report)
    for section in ("caseload", "reviews", "quality", "measurement", "notes"):
        fields += [f"{section}.{key}" for key in report[section]]
    fields += [f"quality.trend.{key}" for key in report["quality"]["trend"]]
    some_clinician = next(iter(report["notes"]["by_clinician"].values()))
    fields += [f"notes.{key}" for key in some_clinician]
    assert not [f for f in fields if not known(f)]
    assert not [d for d in documented if not known(d.split(".")[0])]


def test_a_plan_it_cannot_count_is_named_and_the_report_still_made(tmp_path: Path) -> None:
    folder = _caseload(tmp_path / "plans", 3)
    (folder / "C-3999.plan.yaml").write_text("txplan: 1\nclient: [unclosed\n")
    out = tmp_path / "report.json"
    result = runner.invoke(
        app, ["report", str(folder), "--today", TODAY, "-f", "json", "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines == [f"txplan: not counted: {folder / 'C-3999.plan.yaml'}: not a readable plan; "
                     f"run `txplan lint {folder / 'C-3999.plan.yaml'}`."]  # fmt: skip
    figures = json.loads(out.read_text())
    assert figures["caseload"]["plans"] == 3 and len(figures["problems"]) == 1
    assert any(r["code"].startswith("F") for r in figures["quality"]["by_code"])  # lint saw it


def test_the_screenshot_in_docs_is_a_picture_of_the_page() -> None:
    shot = (ROOT / "docs" / "report.png").read_bytes()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(shot[16:20], "big")
    height = int.from_bytes(shot[20:24], "big")
    assert width == 1000 and height > 2000
    assert "(report.png)" in (ROOT / "docs" / "report.md").read_text()
    assert "docs/report.png" in (ROOT / "README.md").read_text()


# --- one reading: lint's gleaner, and the cache it keeps ---------------------------------


def test_gleaning_changes_no_finding_and_gleans_what_due_reads() -> None:
    from txplan.plan.loader import load_bytes
    from txplan.settings.reading import ConfigFinder
    from txplan.workflow.due import plan_facts
    from txplan.workflow.lint import lint_paths
    from txplan.workflow.report.gleaning import ReportGleaner

    folder = [str(ROOT / "examples")]
    day = dt.date(2026, 12, 4)
    plain = lint_paths(folder, today=day, use_cache=False)
    gleaned = lint_paths(
        folder, today=day, use_cache=False, gleaner=ReportGleaner(ConfigFinder(None))
    )
    assert gleaned.findings == plain.findings and not plain.gleaned
    plans = [name for name in gleaned.checked if name.endswith(".plan.yaml")]
    assert sorted(gleaned.gleaned) == sorted(plans)
    for name in plans:
        expected = plan_facts(name, load_bytes(Path(name).read_bytes()).data)
        assert gleaned.gleaned[name][2][0] == expected


def _with_notes(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(ROOT / "examples", folder, ignore=shutil.ignore_patterns("flawed"))
    return folder


def test_a_note_added_after_a_report_counts_in_the_next(tmp_path: Path) -> None:
    folder = _with_notes(tmp_path)
    args = ["report", str(folder), "--today", "2026-12-04", "-f", "json"]
    before = json.loads(runner.invoke(app, args).stdout)["notes"]
    note = folder / "notes" / "C-2001" / "2026-11-19.note.md"
    late = note.read_text().replace("date: 2026-11-19}", "date: 2026-11-30}")
    (folder / "notes" / "C-2001" / "2026-11-21.note.md").write_text(
        late.replace("date: 2026-11-19\n", "date: 2026-11-21\n")
    )
    after = json.loads(runner.invoke(app, args).stdout)
    assert after["notes"]["notes"] == before["notes"] + 1
    assert after["notes"]["signed_late"] == before["signed_late"] + 1
    assert after == json.loads(runner.invoke(app, [*args, "--no-cache"]).stdout)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=6),
                    lambda inner: st.lists(inner, max_size=6), max_leaves=20))  # fmt: skip
def test_any_value_in_place_of_a_gleaned_entry_is_gleaned_again(stored: Any) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        folder = _caseload(Path(scratch) / "plans", 2)
        args = ["report", str(folder), "--today", TODAY, "-f", "json"]
        fresh = runner.invoke(app, [*args, "--no-cache"]).stdout
        runner.invoke(app, args)
        kept = folder / ".txplan_cache" / "lint.json"
        data = json.loads(kept.read_text())
        lint_entries = {k for k, v in data["entries"].items() if type(v) is list and len(v) == 3}
        for key in data["entries"]:
            if key not in lint_entries or type(data["entries"][key][0]) is not str:
                data["entries"][key] = stored
        kept.write_text(json.dumps(data))
        assert runner.invoke(app, args).stdout == fresh


def test_versions_checked_on_every_core_are_those_checked_one_by_one() -> None:
    from txplan.settings.reading import ConfigFinder
    from txplan.workflow.lint import PARALLEL_THRESHOLD, lint_versions

    config = ConfigFinder(None).for_file(ROOT / "examples" / "C-2001.plan.yaml")
    sources = sorted((ROOT / "examples").rglob("*.plan.yaml"))
    versions = [
        (str(path), path.read_bytes(), config, dt.date(2026, 1, 1) + dt.timedelta(days=i))
        for i, path in enumerate(sources * 4)
    ]
    assert len(versions) >= PARALLEL_THRESHOLD
    together = lint_versions(versions, workers=2)
    alone = lint_versions(versions, workers=1)
    assert [r.findings for r in together] == [r.findings for r in alone]
    assert [r.file for r in together] == [name for name, *_ in versions]


# --- a caseload of a thousand ------------------------------------------------------------


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _caseload(tmp_path_factory.mktemp("thousand") / "plans", 1000)


@pytest.mark.skipif(CHROMIUM is None, reason="make test installs chromium")
def test_a_thousand_plans_in_chromium_equal_due_and_lint(tmp_path: Path, thousand: Path) -> None:
    page = tmp_path / "report.html"
    data = tmp_path / "report.json"
    for out in (page, data):
        args = ["report", str(thousand), "--today", TODAY, "-o", str(out)]
        assert runner.invoke(app, [*args, "-f", out.suffix[1:]]).exit_code == 0
    figures = json.loads(data.read_text())
    due = _json("due", str(thousand), "--today", TODAY, "-f", "json")["plans"]
    assert figures["reviews"]["plans"] == len(due) == 1000
    assert figures["reviews"]["overdue"] == sum(r["state"] == "overdue" for r in due)
    assert _report_counts(figures["quality"]) == +_lint_counts(str(thousand))
    with Browser(tmp_path / "profile") as browser:
        seen = json.loads(browser.evaluate(page.as_uri(), READ_PAGE))
    assert seen["sections"][:5] == SECTIONS
    for dotted, text in seen["figures"]:
        assert text == str(_at(figures, dotted)), dotted
    assert {name for name, _, _ in seen["charts"]} >= {"reviews", "errors-by-family"}


@pytest.mark.parametrize("day", ["0001-03-01", "9999-12-31"])
def test_the_calendar_s_ends_in_git_are_figures_not_a_crash(tmp_path: Path, day: str) -> None:
    folder = _caseload(tmp_path / "plans", 2)
    git_in(folder, "init", "-q")
    _commit(folder, "2026-01-10", "two plans")
    result = runner.invoke(app, ["report", str(folder), "--today", day, "-f", "json"])
    assert result.exit_code in (0, 2) and "Traceback" not in result.output, result.output
    assert "internal error" not in result.stderr
    json.loads(result.stdout)


def test_a_client_with_two_plans_has_each_note_counted_once(tmp_path: Path) -> None:
    folder = _with_notes(tmp_path)
    second = (folder / "C-2002.plan.yaml").read_text()
    (folder / "C-2002-old.plan.yaml").write_text(
        second.replace("Tomas Reyes-Lind", "Ines Sample", 1)
    )
    figures = _report(str(folder), "--today", "2026-12-04")
    notes_on_disk = len(list((folder / "notes").rglob("*.note.md")))
    assert figures["caseload"]["notes"] == figures["notes"]["notes"] == notes_on_disk
    # Credited to one of the client's two plans, not to both.
    assert sum(c["notes"] for c in figures["notes"]["by_clinician"].values()) == notes_on_disk


def test_a_client_never_scored_is_not_measured_on_time() -> None:
    examples = str(ROOT / "examples")
    figures = _report(examples, "--today", TODAY)["measurement"]["instruments"]
    rows = _json("due", examples, "--today", TODAY, "--kind", "measures", "-f", "json")
    for name, entry in figures.items():
        scored = {
            r["client_id"]
            for r in rows["measures"]
            if r["instrument"] == name
            and r["last_score"] is not None
            and r["state"] in ("scheduled", "due soon")
        }
        assert entry["measured_on_time"] == len(scored)
    assert any(
        r["last_score"] is None and r["state"] == "scheduled" for r in rows["measures"]
    )  # the case that was once counted


@pytest.mark.parametrize("name", ["plans", "errors", "overdue", "PHQ-9", "aetna"])
def test_redacting_a_clinician_named_like_a_field_changes_only_names(
    tmp_path: Path, name: str
) -> None:
    folder = _caseload(tmp_path / "plans", 6)
    plan = folder / "C-3001.plan.yaml"
    plan.write_text(plan.read_text().replace("Marco Example", name))
    plain = _report(str(folder), "--today", TODAY)
    hidden = _report(str(folder), "--today", TODAY, "--redact")
    assert hidden["caseload"]["plans"] == plain["caseload"]["plans"] == 6
    assert hidden["measurement"] == plain["measurement"]
    assert hidden["caseload"]["by_payer"] == plain["caseload"]["by_payer"]
    assert name not in hidden["caseload"]["by_clinician"]
    page = runner.invoke(app, ["report", str(folder), "--today", TODAY, "--redact"])
    assert page.exit_code == 0 and "<!DOCTYPE html>" in page.stdout, page.output


def test_redacting_leaves_out_the_files_whose_folders_may_name_a_clinician(tmp_path: Path) -> None:
    folder = tmp_path / "plans" / "Marco Example"
    folder.parent.mkdir()
    _caseload(folder, 3)
    (folder / "C-3999.plan.yaml").write_text("txplan: 1\nclient: [unclosed\n")
    for fmt in ("json", "html"):
        args = ["report", str(tmp_path / "plans"), "--today", TODAY, "-f", fmt, "--redact"]
        out = runner.invoke(app, args).stdout
        assert "Marco" not in out, fmt
