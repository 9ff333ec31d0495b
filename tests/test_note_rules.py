"""Every note rule's failing and passing cases (tests/data/note_cases.yaml),
and the plan in force read from git history."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import DATA, EXAMPLE_SETTINGS, TODAY, example_text, git_in, lint_dir
from txplan.rules import REGISTRY

CASES: dict[str, Any] = YAML(typ="safe").load(
    (DATA / "note_cases.yaml").read_text(encoding="utf-8")
)
NOTE = CASES["note"]
NOTE_NAME = "notes/C-1042/2026-01-26.note.md"


def _params() -> list[Any]:
    out = []
    for code, kinds in CASES["rules"].items():
        for kind in ("fail", "pass"):
            for i, case in enumerate(kinds.get(kind) or []):
                out.append(pytest.param(code, kind, case or {}, id=f"{code}-{kind}-{i}"))
    return out


def _replaced(text: str, pairs: list[list[str]]) -> str:
    for old, new in pairs:
        assert old in text, f"replace: {old!r} is not in the text"
        text = text.replace(old, new, 1)
    return text


def note_text(case: dict[str, Any]) -> str:
    if "raw" in case:
        return str(case["raw"])
    lines = NOTE.splitlines(keepends=True)
    if "drop" in case:
        first, last = case["drop"]
        lines = lines[: first - 1] + lines[last:]
    return _replaced("".join(lines), case.get("replace", []))


@pytest.mark.parametrize(("code", "kind", "case"), _params())
def test_note_rule_case(code: str, kind: str, case: dict[str, Any], plans: Path) -> None:
    files = {
        "C-1042.plan.yaml": _replaced(example_text(), case.get("plan_replace", [])),
        NOTE_NAME: note_text(case),
        **case.get("others", {}),
    }
    result = lint_dir(plans, files, case.get("today", TODAY), case.get("config"))
    where = case.get("file", NOTE_NAME)
    found = [f for f in result.findings if f.code == code and f.file.endswith(f"/{where}")]
    if kind == "fail":
        assert found, (
            f"{code} did not fire; findings: {[(f.code, f.message) for f in result.findings]}"
        )
        if "line" in case:
            assert case["line"] in {f.span.line for f in found}, [f.span for f in found]
        if "severity" in case:
            assert {f.severity.value for f in found} == {case["severity"]}
        for f in found:
            assert f.message.strip() and f.span.line >= 1 and f.span.column >= 1
    else:
        assert not found, [f.message for f in found]


def test_every_note_rule_has_failing_and_passing_cases() -> None:
    note_codes = {code for code, rule in REGISTRY.items() if rule.reads == "note"}
    assert note_codes == {f"N00{n}" for n in range(1, 9)}
    for code in note_codes:
        assert CASES["rules"].get(code, {}).get("fail"), f"{code} has no failing case"
        assert CASES["rules"].get(code, {}).get("pass"), f"{code} has no passing case"


def test_the_base_note_and_plan_lint_clean(plans: Path) -> None:
    result = lint_dir(plans, {"C-1042.plan.yaml": example_text(), NOTE_NAME: NOTE}, TODAY)
    assert [(f.file, f.code, f.message) for f in result.findings] == []
    assert result.files == 2 and result.notes == 1


def _commit(folder: Path, day: str, message: str) -> None:
    env = {"GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00"}
    old = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        git_in(folder, "add", "-A")
        git_in(folder, "commit", "-q", "-m", message)
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _without_o13(plan: str) -> str:
    """Version 2 of the example: O1.3 met and removed, I2 serving O1.1."""
    plan = _replaced(
        plan,
        [
            [
                "      - id: O1.3\n        statement: >-\n          Client will demonstrate 3 coping "
                "techniques for acute anxiety within\n          6 weeks, as assessed through "
                "in-session practice.\n        target_date: 2026-02-23\n",
                "",
            ],
            ["    objectives: [O1.3]\n", "    objectives: [O1.1]\n"],
            ["changes: []", "changes:\n  - {date: 2026-02-16, what: O1.3 removed, why: met}"],
        ],
    )
    return plan


@pytest.fixture
def history(plans: Path) -> Path:
    """The example plan committed on 2026-01-12, revised on 2026-02-16 to
    drop O1.3; a note under each version."""
    git_in(plans, "init", "-q")
    (plans / "C-1042.plan.yaml").write_text(example_text())
    _commit(plans, "2026-01-12", "plan written")
    (plans / "C-1042.plan.yaml").write_text(_without_o13(example_text()))
    _commit(plans, "2026-02-16", "O1.3 met")
    return plans


def _note_on(day: str, cited: str, intervention: str) -> str:
    text = NOTE.replace("date: 2026-01-26", f"date: {day}")
    return text.replace(
        "id: O1.3\n    interventions: [I2]", f"id: {cited}\n    interventions: [{intervention}]"
    )


def test_a_note_keeps_citing_the_version_it_was_written_under(history: Path) -> None:
    import datetime as dt

    from txplan.workflow.lint import lint_paths

    folder = history / "notes" / "C-1042"
    folder.mkdir(parents=True)
    (folder / "2026-01-26.note.md").write_text(_note_on("2026-01-26", "O1.3", "I2"))
    (folder / "2026-02-20.note.md").write_text(_note_on("2026-02-20", "O1.3", "I2"))
    result = lint_paths([str(history)], today=dt.date(2026, 2, 21))
    n002 = [f for f in result.findings if f.code == "N002"]
    assert {f.file.rsplit("/", 1)[-1] for f in n002} == {"2026-02-20.note.md"}, n002
    assert any("commit" in f.message and "O1.3" in f.message for f in n002)
    # Version 2 links I2 to O1.1; version 1 did not.
    (folder / "2026-01-26.note.md").write_text(_note_on("2026-01-26", "O1.1", "I2"))
    (folder / "2026-02-20.note.md").write_text(_note_on("2026-02-20", "O1.1", "I2"))
    again = lint_paths([str(history)], today=dt.date(2026, 2, 21))
    n002 = [f for f in again.findings if f.code == "N002"]
    assert {f.file.rsplit("/", 1)[-1] for f in n002} == {"2026-01-26.note.md"}, n002


def test_an_uncommitted_revision_is_in_force_from_the_date_it_records(history: Path) -> None:
    import datetime as dt

    from txplan.workflow.lint import lint_paths

    plan = history / "C-1042.plan.yaml"
    plan.write_text(
        _replaced(
            plan.read_text(),
            [
                ["    objectives: [O1.2]\n", "    objectives: [O1.2, O2.1]\n"],
                [
                    "what: O1.3 removed, why: met}",
                    "what: O1.3 removed, why: met}\n"
                    "  - {date: 2026-03-02, what: I3 serves O2.1, why: sleep affects work}",
                ],
            ],
        )
    )
    folder = history / "notes" / "C-1042"
    folder.mkdir(parents=True)
    (folder / "2026-02-23.note.md").write_text(_note_on("2026-02-23", "O2.1", "I3"))
    (folder / "2026-03-02.note.md").write_text(_note_on("2026-03-02", "O2.1", "I3"))
    result = lint_paths([str(history)], today=dt.date(2026, 3, 3))
    n002 = [f for f in result.findings if f.code == "N002"]
    assert {f.file.rsplit("/", 1)[-1] for f in n002} == {"2026-02-23.note.md"}, n002


def test_a_note_linted_alone_finds_its_plan_in_the_plans_folder(history: Path) -> None:
    import datetime as dt

    from txplan.workflow.lint import lint_paths

    folder = history / "notes" / "C-1042"
    folder.mkdir(parents=True)
    note = folder / "2026-02-20.note.md"
    note.write_text(_note_on("2026-02-20", "O1.3", "I2"))
    result = lint_paths([str(note)], today=dt.date(2026, 2, 21))
    assert [f.code for f in result.findings] == ["N002"]
    assert result.files == 1


def test_without_git_the_plan_on_disk_is_in_force(plans: Path) -> None:
    (plans / "txplan.toml").write_text(EXAMPLE_SETTINGS)
    result = lint_dir(
        plans, {"C-1042.plan.yaml": _without_o13(example_text()), NOTE_NAME: NOTE}, TODAY
    )
    n002 = [f for f in result.findings if f.code == "N002"]
    assert len(n002) == 1 and "commit" not in n002[0].message
