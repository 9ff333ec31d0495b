"""Output for CI: SARIF 2.1.0, GitHub workflow annotations, --statistics, -o."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from urllib.parse import quote

from typer.testing import CliRunner

from conftest import ROOT
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
        assert uri.startswith(quote(FLAWED)) and uri.endswith((".plan.yaml", ".plan.yml")), uri
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
    for fmt in ("sarif", "github"):
        result = runner.invoke(app, ["lint", str(plan), "-f", fmt, "--today", "2026-02-01"])
        assert result.exit_code == 1
        said = result.stdout
        if fmt == "sarif":  # the rule pages in the log use fictional examples
            said = "\n".join(r["message"]["text"] for r in json.loads(said)["runs"][0]["results"])
        for value in ("Jordan", "Avery", "2014-13-02"):
            assert value not in said, (fmt, value)
        assert "[withheld]" in said and "client.dob" in said
