"""Mistakes that used to pass in silence: an unknown payer (C013), a date in
the future (R008), a client ID that identifies the client (C014), a file not
named by its ID (F007), and numbers no output can hold (F002)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLE_SETTINGS, TODAY, edit, example_text, lint_dir
from txplan.cli import app
from txplan.plan.identity import identifying

runner = CliRunner()


def _messages(result: Any, code: str) -> list[tuple[str, str]]:
    from txplan.findings import format_path

    return [(format_path(f.path), f.message) for f in result.findings if f.code == code]


# C013 ---------------------------------------------------------------------


def test_an_unknown_payer_names_the_nearest_key(plans: Path) -> None:
    text = example_text().replace("payer: aetna", "payer: aetan")
    config = EXAMPLE_SETTINGS + "[payers.state-medicaid]\nreview_days = 30\n"
    found = _messages(lint_dir(plans, {"C-1042.plan.yaml": text}, config=config), "C013")
    assert len(found) == 1
    path, message = found[0]
    assert path == "client.payer"
    assert "did you mean 'aetna'?" in message and "aetna, state-medicaid" in message


def test_without_payers_the_message_says_how_to_add_one(plans: Path) -> None:
    result = lint_dir(plans, {"C-1042.plan.yaml": example_text()}, config="review_days = 60\n")
    [(path, message)] = _messages(result, "C013")
    assert path == "client.payer" and "has no [payers]" in message
    assert "`[payers.aetna]` with `review_days = 90`" in message


def test_without_any_txplan_toml_the_payer_is_still_unknown(tmp_path: Path) -> None:
    result = lint_dir(tmp_path, {"C-1042.plan.yaml": example_text()})
    [(_, message)] = _messages(result, "C013")
    assert "no txplan.toml above this plan" in message and "[payers.aetna]" in message


# R008 ---------------------------------------------------------------------


def test_each_future_date_is_its_own_finding_naming_the_likely_year(plans: Path) -> None:
    text = edit(
        example_text(),
        {
            "written": dt.date(2062, 1, 12),
            "signatures.clinician.date": dt.date(2027, 1, 12),
            "measures[1].date": dt.date(2026, 3, 1),
            "changes": [{"date": dt.date(2602, 1, 20), "what": "Added O2.3", "why": "Sleep"}],
        },
    )
    found = dict(_messages(lint_dir(plans, {"C-1042.plan.yaml": text}), "R008"))
    assert set(found) == {
        "written",
        "signatures.clinician.date",
        "measures[1].date",
        "changes[0].date",
    }
    assert "2062: did you mean 2026 (2026-01-12)?" in found["written"]
    assert "2027: did you mean 2026 (2026-01-12)?" in found["signatures.clinician.date"]
    # The year is this year: no year to suggest, the date is simply ahead.
    assert "is after today (2026-02-01)" in found["measures[1].date"]
    assert "did you mean" not in found["measures[1].date"]
    assert "2602: did you mean 2026 (2026-01-20)?" in found["changes[0].date"]


def test_a_future_year_that_is_no_slip_gets_no_guess(plans: Path) -> None:
    text = example_text().replace("written: 2026-01-12", "written: 2031-01-12")
    [(_, message)] = _messages(lint_dir(plans, {"C-1042.plan.yaml": text}), "R008")
    assert "did you mean" not in message and "is after today (2026-02-01)" in message


def test_last_year_is_suggested_when_this_year_would_still_be_ahead(plans: Path) -> None:
    # Typed 2052 in January 2026 for a session in December: 2025 was meant.
    text = edit(example_text(), {"session.date": dt.date(2052, 12, 20)})
    [(_, message)] = _messages(lint_dir(plans, {"C-1042.plan.yaml": text}), "R008")
    assert "2052: did you mean 2025 (2025-12-20)?" in message


def test_target_and_review_dates_may_lie_ahead(plans: Path) -> None:
    text = edit(
        example_text(),
        {
            "review_by": dt.date(2026, 4, 12),
            "goals[0].target_date": dt.date(2026, 4, 1),
            "reviews": [{"date": dt.date(2026, 1, 30), "next_review": dt.date(2026, 4, 30)}],
        },
    )
    assert _messages(lint_dir(plans, {"C-1042.plan.yaml": text}), "R008") == []


# C014 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_id", "name", "dob"),
    [
        ("Ana-Beltran-1996-05-30", "Ana Beltran", dt.date(1996, 5, 30)),
        ("beltran-7", "Ana Beltran", None),
        ("C-ANA-7", "Ana Beltran", None),
        ("C-1996-05-30", None, None),
        ("C-19960530", None, None),
        ("C-05301996", None, None),
        ("C-05-30-1996", None, None),
        ("C.1996.05.30", None, None),
        ("X-300596", None, dt.date(1996, 5, 30)),  # the birth date as DDMMYY
        ("Jordan-Avery", None, None),
        ("JordanAvery", None, None),
    ],
)
def test_identifying_ids(client_id: str, name: str | None, dob: dt.date | None) -> None:
    assert identifying(client_id, name, dob)


@pytest.mark.parametrize(
    "client_id",
    [
        *("C-2001", "F-9010", "INT-0042", "ABC123", "C-1042", "C-12345678", "C-2001-7"),
        # program and site codes are not names
        *("OPT-CBT-12", "WEST-IOP-0042", "MDD-Group-3", "North-Clinic-12", "GAD-ADHD-01"),
    ],
)
def test_opaque_ids(client_id: str) -> None:
    assert identifying(client_id, "Jordan Avery", dt.date(1991, 3, 14)) is None


def test_identifying_id_finding_suggests_an_opaque_id(plans: Path) -> None:
    text = example_text().replace("id: C-1042 ", "id: Avery-1042")
    found = _messages(lint_dir(plans, {"C-1042.plan.yaml": text}), "C014")
    [(path, message)] = found
    assert path == "client.id" and "`Avery`" in message
    assert "IDs identify, they do not describe" in message and "opaque ID" in message


# F007 ---------------------------------------------------------------------


def test_a_file_not_named_by_its_id_names_the_expected_file(plans: Path) -> None:
    result = lint_dir(plans, {"C-1043.plan.yaml": example_text()})
    [(path, message)] = _messages(result, "F007")
    assert path == "client.id" and "`C-1042.plan.yaml`" in message
    assert {f.severity.value for f in result.findings if f.code == "F007"} == {"warning"}


def test_files_not_ending_in_plan_yaml_are_not_judged(plans: Path) -> None:
    from txplan.workflow.lint import lint_paths

    (plans / "draft.yaml").write_text(example_text())
    result = lint_paths([str(plans / "draft.yaml")], today=TODAY)
    assert "F007" not in {f.code for f in result.findings}


def test_a_plan_named_dot_yml_is_told_the_folder_scans_skip_it(plans: Path) -> None:
    from txplan.workflow.lint import lint_paths

    (plans / "C-1042.plan.yml").write_text(example_text())
    result = lint_paths([str(plans / "C-1042.plan.yml")], today=TODAY)
    [(path, message)] = _messages(result, "F007")
    assert path == "client.id" and "Rename it `C-1042.plan.yaml`." in message
    assert "skip this one" in message


def test_f007_never_advises_naming_the_file_after_an_identifying_id(plans: Path) -> None:
    text = example_text().replace("id: C-1042 ", "id: Jordan-Avery-7")
    [(_, message)] = _messages(lint_dir(plans, {"C-1042.plan.yaml": text}), "F007")
    assert "Jordan-Avery-7.plan.yaml" not in message and "opaque ID" in message


# Numbers no output can hold -----------------------------------------------

_NOT_FINITE = {
    "measures[0].score": ".inf",
    "measures[1].score": ".nan",
    "goals[0].objectives[0].measure.baseline": "-.inf",
    "goals[0].objectives[0].measure.target": "1e400",
    "frequency.minutes": ".nan",
    "client.pronouns": ".inf",
}


def _not_finite_plan(folder: Path) -> Path:
    text = example_text()
    for old, new in [
        ("score: 15}", "score: .inf}"),
        ("score: 8}", "score: .nan}"),
        ("  pronouns: she/her", "  pronouns: .inf"),
        ("minutes: 50", "minutes: .nan"),
        ("baseline: 15, target: 9}", "baseline: -.inf, target: 1e400}"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    path = folder / "C-1042.plan.yaml"
    path.write_text(text)
    return path


def _strict_json(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


def test_non_finite_numbers_are_f002_on_their_paths_in_strict_json(plans: Path) -> None:
    plan = _not_finite_plan(plans)
    result = runner.invoke(app, ["lint", str(plan), "--format", "json", "--today", "2026-02-01"])
    assert result.exit_code == 1, result.output
    data = _strict_json(result.stdout)
    f002 = {f["path"]: f["message"] for f in data["findings"] if f["code"] == "F002"}
    assert set(_NOT_FINITE) <= set(f002), f002
    for path in _NOT_FINITE:
        assert "finite number" in f002[path]
    # Text that YAML reads as a number: the way out is quoting it.
    assert "quote it" in f002["client.pronouns"]
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout


def test_sarif_of_non_finite_numbers_is_strict_json(plans: Path) -> None:
    plan = _not_finite_plan(plans)
    result = runner.invoke(app, ["lint", str(plan), "--format", "sarif", "--today", "2026-02-01"])
    assert result.exit_code == 1
    _strict_json(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["status", "{plans}", "-f", "json"],
        ["due", "{plans}", "--format", "json"],
        ["export", "{plan}", "--fhir"],
    ],
    ids=["status", "due", "export"],
)
def test_other_commands_never_emit_nan_or_infinity(plans: Path, args: list[str]) -> None:
    plan = _not_finite_plan(plans)
    argv = [a.format(plans=plans, plan=plan) for a in args]
    result = runner.invoke(app, [*argv, "--today", "2026-02-01"] if argv[0] != "export" else argv)
    # A refusal is a one-line error (exit 1 or 2); anything printed is strict JSON.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Infinity" not in result.output and "NaN" not in result.output
    if result.exit_code == 0:
        _strict_json(result.stdout)
    else:
        assert result.exit_code in (1, 2) and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("score", ["nan", "inf", "1e400", "-Infinity"])
def test_measure_refuses_a_non_finite_score(plans: Path, score: str) -> None:
    plan = plans / "C-1042.plan.yaml"
    plan.write_text(example_text())
    before = plan.read_bytes()
    argv = ["measure", "--today", "2026-02-01", str(plan), "GAD-7", "--", score]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2 and "finite number" in result.stderr
    assert plan.read_bytes() == before


def test_validation_leaves_the_data_as_read(plans: Path) -> None:
    """What is set aside is set aside in a copy: X002 compares the data as
    read with the last commit, and a pruned value would read as a change."""
    import copy

    from txplan.plan.loader import load_text
    from txplan.plan.validate import validate

    text = (
        example_text()
        .replace("baseline: 15,", "baseline: .inf,")
        .replace("written: 2026-01-12", "written: 2026-13-01")
    )
    loaded = load_text(text)
    assert loaded.data is not None
    before = copy.deepcopy(loaded.data)
    validated = validate(loaded.data, loaded.positions)
    assert {("goals", 0, "objectives", 0, "measure", "baseline"), ("written",)} <= set(
        validated.set_aside
    )
    assert repr(loaded.data) == repr(before)  # repr: inf == inf, but nan != nan


def test_an_unrelated_payer_gets_the_list_not_a_wild_guess(plans: Path) -> None:
    text = example_text().replace("payer: aetna", "payer: medicare")
    config = "[payers.bluecross]\nreview_days = 90\n[payers.aetna]\nreview_days = 60\n"
    [(_, message)] = _messages(lint_dir(plans, {"C-1042.plan.yaml": text}, config=config), "C013")
    assert "did you mean" not in message and "Payers there: bluecross, aetna." in message


def test_a_date_at_the_end_of_the_calendar_is_a_finding_not_a_crash(plans: Path) -> None:
    text = example_text().replace("written: 2026-01-12", "written: 9999-12-31")
    found = _messages(lint_dir(plans, {"C-1042.plan.yaml": text}), "R008")
    assert found and found[0][0] == "written"


def test_a_file_reached_twice_is_linted_once(plans: Path) -> None:
    from txplan.workflow.lint import lint_paths

    (plans / "C-1042.plan.yaml").write_text(example_text(), encoding="utf-8")
    result = lint_paths([str(plans), str(plans / "C-1042.plan.yaml")], today=TODAY)
    assert result.files == 1
    assert not [f for f in result.findings if f.code == "X003"]


def test_hidden_files_in_a_folder_are_not_read(plans: Path) -> None:
    from txplan.workflow.lint import lint_paths

    (plans / "C-1042.plan.yaml").write_text(example_text(), encoding="utf-8")
    (plans / ".#C-1042.plan.yaml").symlink_to("user@host.1:1")  # an editor's lock file
    result = lint_paths([str(plans)], today=TODAY)
    assert result.files == 1 and not result.errors


def test_true_or_false_is_not_a_score(plans: Path) -> None:
    from txplan.workflow.lint import lint_paths

    text = example_text().replace("score: 15}", "score: true}", 1)
    assert "score: true}" in text
    (plans / "C-1042.plan.yaml").write_text(text)
    result = lint_paths([str(plans)], today=TODAY)
    found = [(f.path, f.message) for f in result.findings if f.code == "F002"]
    assert found == [
        (("measures", 0, "score"), "`measures[0].score` should be a number, not `true`.")
    ]
    status = runner.invoke(app, ["status", str(plans), "--today", "2026-02-01"])
    assert "met" not in status.stdout.split("objectives:")[-1], status.stdout


_NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.sampled_from([2**1023, 2**1024 - 1, 2**1024, -(2**1024), 10**308, 10**309]),
    st.booleans(),
    st.text(max_size=3),
    st.none(),
    st.dates(),
)


@given(
    st.recursive(
        _NUMBERS,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_the_quick_number_test_never_misses_what_the_walk_reports(data: object) -> None:
    from txplan.plan.validate import _holds_unusable_number, _numbers_out_of_range

    if list(_numbers_out_of_range(data)):
        assert _holds_unusable_number(data)
