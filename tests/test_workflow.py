"""txplan's own workflow never trips txplan's own rules: scaffold, fill,
sign, lint, review a change, sign again, lint; and nothing txplan writes
holds a YAML anchor or alias."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import edit, git_in
from test_new import ALL_TEMPLATES, fill
from txplan.cli import app
from txplan.plan.loader import load_text

runner = CliRunner()
SESSION = dt.date(2026, 11, 22)  # `fill` dates what it fills to this day
REVIEW = SESSION + dt.timedelta(days=41)


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def _sign(text: str, on: dt.date) -> str:
    """Sign as a clinician does by hand: a date in each signature, none left blank."""
    text = re.sub(r'date: "<YYYY-MM-DD>"', f"date: {on.isoformat()}", text)

    def dated(match: re.Match[str]) -> str:
        body = match.group(2)
        return match.group(0) if "date:" in body else f"{match.group(1)}{{{body}, date: {on}}}"

    return re.sub(
        r"^(  (?:clinician|client|guardian|supervisor): )\{([^}]*)\}", dated, text, flags=re.M
    )


def _lint_clean(plan: Path, on: dt.date) -> None:
    result = _run("lint", str(plan), "--strict", "--today", on.isoformat())
    assert result.exit_code == 0, result.output
    assert " C0" not in result.stdout and " X0" not in result.stdout, result.stdout


@pytest.mark.parametrize("template", ALL_TEMPLATES)
def test_new_fill_sign_lint_review_sign_again_lint(tmp_path: Path, template: str) -> None:
    folder = tmp_path / "plans"
    assert _run("init", str(folder)).exit_code == 0
    made = _run(
        "new",
        "C-1",
        "--template",
        template,
        "--dir",
        str(folder),
        "--no-input",
        "--today",
        SESSION.isoformat(),
        "--name",
        "Robin Example",
        "--dob",
        "1990-05-05",
        "--clinician",
        "Sam Writer",
        "--credentials",
        "LCSW",
    )
    assert made.exit_code == 0, made.output
    plan = folder / "C-1.plan.yaml"
    plan.write_text(fill(_sign(plan.read_text(), SESSION + dt.timedelta(days=1))))
    _lint_clean(plan, SESSION + dt.timedelta(days=1))
    git_in(folder, "add", ".")
    git_in(folder, "commit", "-qm", "C-1 plan")

    # The clinician rewords an intervention, as a review may decide.
    data = load_text(plan.read_text()).data
    assert data is not None
    statement = data["interventions"][0]["statement"]
    reworded = f"{statement} Reviewed together at each session."
    plan.write_text(edit(plan.read_text(), {"interventions[0].statement": reworded}))
    reviewed = _run(
        "review",
        str(plan),
        "--date",
        REVIEW.isoformat(),
        "--today",
        REVIEW.isoformat(),
        "--no-input",
        "--rate",
        "G1=6",
        "--summary",
        "Steady progress on G1.",
        "--what",
        "I1 is reviewed at each session",
        "--why",
        "the client asked to review it together",
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert "signatures were reset" in reviewed.stdout
    unsigned = _run("lint", str(plan), "--today", REVIEW.isoformat())
    assert " C001 " in unsigned.stdout and " C002 " in unsigned.stdout, unsigned.stdout

    plan.write_text(_sign(plan.read_text(), REVIEW))
    _lint_clean(plan, REVIEW)
    git_in(folder, "commit", "-qam", "C-1 reviewed and signed again")
    _lint_clean(plan, REVIEW + dt.timedelta(days=1))


def _anchors(path: Path) -> list[str]:
    """The YAML anchors and aliases in a file txplan wrote (ruamel's own
    names, `&id001`, in any other text)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        from ruamel.yaml import YAML

        return [
            f"{type(event).__name__} {event.anchor} at line {event.start_mark.line + 1}"
            for event in YAML(typ="safe").parse(text)
            if getattr(event, "anchor", None)
        ]
    return re.findall(r"[&*]id\d{3}\b", text)


def _written(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts)


def test_no_file_txplan_writes_holds_an_anchor_or_alias(tmp_path: Path) -> None:
    folder, out = tmp_path / "plans", tmp_path / "out"
    out.mkdir()
    day = SESSION.isoformat()
    assert _run("init", str(folder)).exit_code == 0
    for client, template in (("C-1", "gad"), ("C-2", "child-disruptive")):
        made = _run(
            "new", client, "-t", template, "--dir", str(folder), "--no-input", "--today", day
        )
        assert made.exit_code == 0, made.output
        path = folder / f"{client}.plan.yaml"
        path.write_text(fill(_sign(path.read_text(), SESSION)))
    plan = folder / "C-1.plan.yaml"
    git_in(folder, "add", ".")
    git_in(folder, "commit", "-qm", "plans")
    for on in (SESSION + dt.timedelta(days=14), REVIEW):  # REVIEW: a score, a review, a change
        date = ["--date", on.isoformat(), "--today", on.isoformat()]
        assert _run("measure", str(plan), "GAD-7", "12", *date).exit_code == 0
    plan.write_text(plan.read_text().replace("5 of 7 days within", "6 of 7 days within", 1))
    reviewed = _run(
        "review",
        str(plan),
        "--date",
        REVIEW.isoformat(),
        "--today",
        REVIEW.isoformat(),
        "--no-input",
        "--rate",
        "G1=6",
        "--note",
        "G1=steady",
        "--set",
        "O1.1=in-progress",
        "--summary",
        "Steady.",
        "--what",
        "O1.2 asks for 6 of 7 days",
        "--why",
        "5 of 7 met",
    )
    assert reviewed.exit_code == 0, reviewed.output
    plan.write_text(_sign(plan.read_text(), REVIEW))
    later = ["--today", REVIEW.isoformat()]
    for args in (
        ["render", str(plan), "-o", str(out / "C-1.html"), *later],
        ["render", str(plan), "-f", "md", "-o", str(out / "C-1.md"), *later],
        ["export", str(plan), "--fhir", "-o", str(out / "C-1.fhir.json")],
        ["lint", str(folder), "-o", str(out / "lint.txt"), *later],
        ["lint", str(folder), "--format", "json", "-o", str(out / "lint.json"), *later],
        ["lint", str(folder), "--format", "sarif", "-o", str(out / "lint.sarif"), *later],
    ):
        result = _run(*args)
        assert result.exit_code == 0, (args, result.output)
    written = _written(folder) + _written(out)
    assert len(written) >= 12, written
    assert {p.name: _anchors(p) for p in written if _anchors(p)} == {}
