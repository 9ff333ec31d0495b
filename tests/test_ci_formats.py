"""Output for CI: SARIF 2.1.0, GitHub workflow annotations, GitLab Code Quality,
JUnit XML, --statistics, --exit-zero, -o."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import Result
from typer.testing import CliRunner

from conftest import ROOT, example_text
from txplan.cli import app
from txplan.findings import Finding, Severity, Span
from txplan.outputs.reporters import as_github

runner = CliRunner()
FLAWED = str(ROOT / "examples" / "flawed")
DAY = ["--today", "2026-11-22"]
LEVELS = {"none", "note", "warning", "error"}


def _sarif() -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["lint", FLAWED, "--format", "sarif", *DAY])
    assert result.exit_code == 1
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_sarif_has_the_shape_of_sarif_2_1_0() -> None:
    log = _sarif()
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "txplan"
    rules = driver["rules"]
    assert len({r["id"] for r in rules}) == len(rules) >= 60
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in LEVELS
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in LEVELS and result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert uri.startswith(quote(FLAWED)) and uri.endswith(
            (".plan.yaml", ".plan.yml", ".note.md")
        ), uri
        region = physical["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert region["endLine"] >= region["startLine"]
        assert isinstance(result["partialFingerprints"]["txplanFinding/v1"], str)


def test_sarif_validates_against_the_sarif_2_1_0_schema() -> None:
    import jsonschema

    from conftest import DATA

    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    for log in (
        _sarif(),
        json.loads(
            runner.invoke(
                app,
                ["lint", str(ROOT / "examples" / "C-2001.plan.yaml"), "--format", "sarif", *DAY],
            ).stdout
        ),
    ):
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_sarif_fingerprints_are_stable_and_distinct() -> None:
    first, second = _sarif(), _sarif()
    prints = [r["partialFingerprints"]["txplanFinding/v1"] for r in first["runs"][0]["results"]]
    assert prints == [
        r["partialFingerprints"]["txplanFinding/v1"] for r in second["runs"][0]["results"]
    ]
    assert len(set(prints)) == len(prints)


def test_github_annotations_are_escaped_and_grouped() -> None:
    finding = Finding(
        "S002",
        "not-measurable",
        Severity.ERROR,
        "100% sure:\nline two, really",
        ("goals", 0),
        Span(3, 5, 4, 9),
        "plans/a,b:c.plan.yaml",
    )
    note = Finding(
        "R003", "review-due-soon", Severity.INFO, "soon", (), Span(1, 1, 1, 1), "plans/x.plan.yaml"
    )
    assert as_github([finding, note]).splitlines() == [
        "::group::plans/a,b:c.plan.yaml",
        "::error file=plans/a%2Cb%3Ac.plan.yaml,line=3,col=5,endLine=4,endColumn=9,"
        "title=S002 not-measurable::100%25 sure:%0Aline two, really",
        "::endgroup::",
        "::group::plans/x.plan.yaml",
        "::notice file=plans/x.plan.yaml,line=1,col=1,endLine=1,endColumn=1,title=R003 review-due-soon::soon",
        "::endgroup::",
    ]


def test_github_format_from_the_command_line() -> None:
    out = runner.invoke(app, ["lint", FLAWED, "--format", "github", *DAY]).stdout
    assert out.startswith("::group::") and "::error file=" in out and "::warning file=" in out


def test_statistics_count_per_rule() -> None:
    out = runner.invoke(app, ["lint", FLAWED, "--statistics", *DAY]).stdout.splitlines()
    counts = [(int(line.split()[0]), line.split()[1]) for line in out]
    assert counts == sorted(counts, key=lambda c: (-c[0], c[1]))
    assert ("F002" in {code for _, code in counts}) and all(n >= 1 for n, _ in counts)


def test_output_file_is_private(tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    result = runner.invoke(app, ["lint", FLAWED, "--format", "sarif", "-o", str(target), *DAY])
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    bad = runner.invoke(app, ["lint", FLAWED, "-o", str(tmp_path / "missing" / "r.txt"), *DAY])
    assert bad.exit_code == 2 and "-o" in bad.stderr


def test_findings_at_one_path_get_distinct_fingerprints() -> None:
    from txplan.outputs.reporters import fingerprint, fingerprints

    def c009(message: str, column: int) -> Finding:
        path = ("goals", 0, "objectives", 0, "statement")
        return Finding(
            "C009",
            "placeholder-text",
            Severity.ERROR,
            message,
            path,
            Span(3, column),
            "a.plan.yaml",
        )

    alone = c009("`<a>` is a placeholder.", 5)
    several = [alone, c009("`<b>` is a placeholder.", 9), c009("`<b>` is a placeholder.", 20)]
    assert len(set(fingerprints(several))) == 3
    assert fingerprints(several) == fingerprints(several)
    assert fingerprints([alone]) == [fingerprint(alone)]


def test_sarif_and_github_never_carry_a_name_birth_date_or_member_id(tmp_path: Path) -> None:
    from conftest import edit, example_text

    text = edit(
        example_text(),
        set_={"client.id": "Jordan-Avery-2014", "client.dob": "2014-13-02"},
    )
    plan = tmp_path / "C-1042.plan.yaml"
    plan.write_text(text)
    local = runner.invoke(app, ["lint", str(plan), "--no-color", "--today", "2026-02-01"])
    # On the clinician's own screen the values are quoted, to be found and fixed.
    assert "Jordan-Avery-2014" in local.stdout and "2014-13-02" in local.stdout
    for fmt in ("sarif", "github", "gitlab", "junit"):
        result = runner.invoke(app, ["lint", str(plan), "-f", fmt, "--today", "2026-02-01"])
        assert result.exit_code == 1
        said = result.stdout
        if fmt == "sarif":  # the rule pages in the log use fictional examples
            said = "\n".join(r["message"]["text"] for r in json.loads(said)["runs"][0]["results"])
        for value in ("Jordan", "Avery", "2014-13-02"):
            assert value not in said, (fmt, value)
        assert "[withheld]" in said and "client.dob" in said


def test_a_duplicated_client_id_is_withheld_in_reports_that_leave(tmp_path: Path) -> None:
    from conftest import example_text

    for name in ("first.plan.yaml", "copy.plan.yaml"):  # names without the ID
        (tmp_path / name).write_text(example_text())
    local = runner.invoke(app, ["lint", str(tmp_path), "--select", "X003"])
    assert "The client ID `C-1042` is also used by" in local.stdout
    for fmt in ("sarif", "github", "gitlab", "junit"):
        result = runner.invoke(app, ["lint", str(tmp_path), "--select", "X003", "-f", fmt])
        assert result.exit_code == 1, result.output
        said = result.stdout
        if fmt == "sarif":
            said = "\n".join(r["message"]["text"] for r in json.loads(said)["runs"][0]["results"])
        assert "C-1042" not in said and "[withheld]" in said, (fmt, said)


# --- GitLab Code Quality ------------------------------------------------------------

CODE_QUALITY_LEVELS = {"info", "minor", "major", "critical", "blocker"}


def _lint(*args: str) -> Result:
    return runner.invoke(app, ["lint", *args, *DAY])


def _gitlab(*args: str, where: str = FLAWED) -> list[dict]:  # type: ignore[type-arg]
    result = _lint(where, "--format", "gitlab", *args)
    assert result.exit_code == 1, result.stderr
    issues = json.loads(result.stdout)
    assert isinstance(issues, list)
    return issues


def test_gitlab_report_has_the_fields_gitlab_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # as a CI job runs: in the project, on relative paths
    issues = _gitlab(where="./examples/flawed")
    findings = json.loads(_lint("examples/flawed", "--format", "json").stdout)["findings"]
    assert len(issues) == len(findings) > 10
    for issue, finding in zip(issues, findings, strict=True):
        assert issue["check_name"] == finding["code"]
        assert issue["description"].startswith(f"{finding['code']} {finding['name']}: ")
        assert issue["severity"] in CODE_QUALITY_LEVELS
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        location = issue["location"]
        assert location["path"] == finding["file"].replace("\\", "/").removeprefix("./")
        assert not location["path"].startswith(("/", "./"))
        assert location["lines"]["begin"] == finding["line"] >= 1
        assert location["lines"]["end"] >= location["lines"]["begin"]


def test_gitlab_severity_follows_txplan_severity() -> None:
    from txplan.outputs.ci_reports import as_gitlab

    made = [
        Finding(
            "S002", "not-measurable", Severity.ERROR, "e", ("goals", 0), Span(3), "a.plan.yaml"
        ),
        Finding(
            "D008", "non-mental-health-primary", Severity.WARNING, "w", (), Span(), "a.plan.yaml"
        ),
        Finding("R003", "review-due-soon", Severity.INFO, "i", (), Span(2), "a.plan.yaml"),
    ]
    assert [i["severity"] for i in json.loads(as_gitlab(made))] == ["major", "minor", "info"]
    # the notes appear with --verbose only, as on the screen
    assert "info" not in {i["severity"] for i in _gitlab()}
    assert "info" in {i["severity"] for i in _gitlab("--verbose")}
    assert {"major", "minor"} <= {i["severity"] for i in _gitlab()}


def test_gitlab_fingerprints_are_stable_unique_and_independent_of_the_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    first, second = _gitlab(where="examples/flawed"), _gitlab(where="examples/flawed")
    prints = [i["fingerprint"] for i in first]
    assert prints == [i["fingerprint"] for i in second]
    assert len(set(prints)) == len(prints)
    dotted = _gitlab(where="./examples/flawed/")
    assert [(i["location"], i["fingerprint"]) for i in dotted] == [
        (i["location"], i["fingerprint"]) for i in first
    ]
    # Absolute paths inside the project GitLab Runner names: the same paths
    # and the same fingerprints; outside a GitLab job they stay absolute.
    assert _gitlab()[0]["location"]["path"].startswith(str(ROOT))
    monkeypatch.setenv("CI_PROJECT_DIR", str(ROOT))
    absolute = _gitlab()
    assert [i["location"]["path"] for i in absolute] == [i["location"]["path"] for i in first]
    assert [i["fingerprint"] for i in absolute] == prints


def test_gitlab_report_for_clean_plans_is_an_empty_array() -> None:
    result = _lint(str(ROOT / "examples" / "C-2001.plan.yaml"), "--format", "gitlab")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


# --- JUnit XML ----------------------------------------------------------------------


def _junit(*paths: str, code: int = 1, extra: tuple[str, ...] = ()) -> ET.Element:
    result = _lint(*paths, "--format", "junit", *extra)
    assert result.exit_code == code, result.stderr
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(result.stdout)


def test_junit_has_a_suite_per_file_and_a_case_per_finding() -> None:
    clean = str(ROOT / "examples" / "C-2001.plan.yaml")
    root = _junit(FLAWED, clean)
    assert root.tag == "testsuites"
    findings = json.loads(_lint(FLAWED, clean, "--format", "json").stdout)["findings"]
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    # The flawed notes' own plans are checked too, and have their suites.
    sessions = {str(p) for p in (Path(FLAWED) / "sessions").glob("*.plan.yaml")}
    shown = {f["file"] for f in findings}
    assert names == sorted(shown | {clean} | sessions)
    cases = root.iter("testcase")
    passing = len(set(names) - shown)  # a file without findings: one passing case
    assert sum(1 for _ in cases) == len(findings) + passing == int(root.get("tests", ""))
    assert int(root.get("failures", "")) == len(findings)  # no notes without --verbose
    for suite in suites:
        cases_here = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases_here) >= 1
        assert int(suite.get("failures", "")) == len(suite.findall("testcase/failure"))
        # GitLab keeps one testcase per classname and name
        assert len({(c.get("classname"), c.get("name")) for c in cases_here}) == len(cases_here)
        for case in cases_here:
            assert case.get("classname") == suite.get("name") == case.get("file")
    (passing,) = next(s for s in suites if s.get("name") == clean).findall("testcase")
    assert passing.get("name") == "no problems found" and not list(passing)
    failures = list(root.iter("failure"))
    assert {f.get("type") for f in failures} == {"error", "warning"}
    for failure in failures:
        assert failure.get("message") and failure.text and "txplan rule " in failure.text


def test_junit_notes_pass_and_say_what_they_note() -> None:
    root = _junit(FLAWED, extra=("--verbose",))
    notes = [c for c in root.iter("testcase") if c.find("system-out") is not None]
    assert notes and all(c.find("failure") is None for c in notes)
    assert int(root.get("failures", "")) == sum(1 for _ in root.iter("failure"))
    assert int(root.get("tests", "")) > int(root.get("failures", ""))


def test_junit_escapes_what_xml_cannot_hold() -> None:
    from txplan.outputs.ci_reports import as_junit

    odd = 'Say <b>"&amp;"</b> & \x1b[2J\x00\ud800 done'
    made = [
        Finding(
            "S002",
            "not-measurable",
            Severity.ERROR,
            odd,
            ("goals", 0),
            Span(3, 5),
            "a&<b>.plan.yaml",
        ),
        Finding(
            "S002",
            "not-measurable",
            Severity.ERROR,
            "again",
            ("goals", 0),
            Span(3, 5),
            "a&<b>.plan.yaml",
        ),
    ]
    root = ET.fromstring(as_junit(made, ["a&<b>.plan.yaml", "clean.plan.yaml"]))
    first, second, clean = root.iter("testcase")
    assert clean.get("name") == "no problems found"
    assert first.get("classname") == "a&<b>.plan.yaml"
    failure = first.find("failure")
    assert failure is not None
    assert failure.get("message") == 'Say <b>"&amp;"</b> & \\u001b[2J\\u0000\\ud800 done'
    assert first.get("name") != second.get("name")  # same rule, path and place: numbered
    assert [s.get("name") for s in root.iter("testsuite")] == ["a&<b>.plan.yaml", "clean.plan.yaml"]


def test_junit_with_no_plans_is_an_empty_report() -> None:
    from txplan.outputs.ci_reports import as_junit

    root = ET.fromstring(as_junit([], []))
    assert root.tag == "testsuites" and root.get("tests") == "0" and not list(root)


# --- --exit-zero and -o -----------------------------------------------------------


def test_exit_zero_keeps_the_report_and_drops_the_failure() -> None:
    for fmt in ("text", "gitlab", "junit"):
        failing = _lint(FLAWED, "-f", fmt, "--no-color")
        kept = _lint(FLAWED, "-f", fmt, "--no-color", "--exit-zero")
        assert (failing.exit_code, kept.exit_code) == (1, 0), fmt
        assert kept.stdout == failing.stdout and kept.stdout
    assert _lint(FLAWED, "--strict", "--exit-zero").exit_code == 0


def test_exit_zero_still_fails_a_run_that_could_not_read_or_was_misconfigured(
    tmp_path: Path,
) -> None:
    (tmp_path / "gone.plan.yaml").symlink_to(tmp_path / "nowhere.plan.yaml")
    (tmp_path / "C-1042.plan.yaml").write_text(example_text())
    unread = _lint(str(tmp_path), "--exit-zero", "-f", "junit")
    assert unread.exit_code == 2 and "gone.plan.yaml" in unread.stderr
    assert _lint(str(tmp_path), "--exit-zero", "--select", "Q9").exit_code == 2
    (tmp_path / "gone.plan.yaml").unlink()
    assert _lint(str(tmp_path), "--exit-zero").exit_code == 0
    (tmp_path / "txplan.toml").write_text("broken = [\n")
    misread = _lint(str(tmp_path), "--exit-zero", "-f", "gitlab")
    assert misread.exit_code == 2 and "txplan.toml" in misread.stderr
    shown = runner.invoke(app, ["lint", "--help"], terminal_width=200).stdout
    help_text = " ".join(shown.replace("│", " ").split())
    assert "--exit-zero" in help_text and "still exit 2" in help_text


def test_report_names_in_a_folder(tmp_path: Path) -> None:
    from txplan.commands.lint import LintFormat, _lint_report_name

    assert _lint_report_name(LintFormat.gitlab, False) == "txplan-lint.codequality.json"
    assert _lint_report_name(LintFormat.junit, False) == "txplan-lint.junit.xml"
    assert _lint_report_name(LintFormat.junit, True) == "txplan-lint.txt"
    folder = tmp_path / "reports"
    folder.mkdir()
    for fmt in ("gitlab", "junit"):
        result = _lint(FLAWED, "-f", fmt, "-o", str(folder), "--exit-zero")
        assert result.exit_code == 0 and result.stdout == "", result.stderr
    report = folder / "txplan-lint.codequality.json"
    assert json.loads(report.read_text()) and stat.S_IMODE(report.stat().st_mode) == 0o600
    assert ET.parse(folder / "txplan-lint.junit.xml").getroot().tag == "testsuites"
    assert sorted(p.name for p in folder.iterdir()) == [
        "txplan-lint.codequality.json",
        "txplan-lint.junit.xml",
    ]


def test_subprocess_gitlab_report_with_exit_zero(tmp_path: Path) -> None:
    report = tmp_path / "gl-code-quality-report.json"
    command = ["lint", FLAWED, "-f", "gitlab", "--exit-zero", "-o", str(report), *DAY]
    run = subprocess.run(
        [sys.executable, "-m", "txplan", *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    issues = json.loads(report.read_text(encoding="utf-8"))
    assert issues and {i["severity"] for i in issues} <= CODE_QUALITY_LEVELS
