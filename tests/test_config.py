"""txplan.toml: found by walking up, validated strictly, applied per plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import codes, example_text, lint_dir
from txplan.config import Config, ConfigError
from txplan.settings.reading import ConfigFinder, parse_config


def test_defaults() -> None:
    config = Config()
    assert config.review_cycle(None) == 90 and config.due_soon_days == 14
    assert "LMSW" in config.prelicensed_credentials


def test_found_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "txplan.toml").write_text("review_days = 30\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    finder = ConfigFinder()
    assert finder.for_file(deep / "x.plan.yaml").review_days == 30
    (deep / "txplan.toml").write_text("review_days = 60\n")
    assert ConfigFinder().for_file(deep / "x.plan.yaml").review_days == 60


def test_payers_set_the_cycle_and_requirements() -> None:
    config = parse_config(
        {"payers": {"medicaid": {"review_days": 30, "require": ["session"]}}}, "t.toml"
    )
    assert config.review_cycle("medicaid") == 30 and config.review_cycle("other") == 90
    assert config.payer_requires("medicaid") == ("session",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reveiw_days": 3}, "Did you mean `review_days`?"),
        ({"review_days": "90"}, "must be a whole number"),
        ({"review_days": 0}, "from 1 to 36500"),
        # Larger than any real cycle: a typo that would overflow date arithmetic.
        ({"review_days": 999999999}, "from 1 to 36500"),
        ({"documentation_hours": 99999999999999}, "from 1 to 36500"),
        ({"select": "S"}, "must be a list of text"),
        ({"ignore": ["Q9"]}, "no rule code or prefix"),
        ({"severity": {"R001": "fatal"}}, "must be error, warning or info"),
        ({"payers": {"a": {"review_dys": 1}}}, "Did you mean `review_days`?"),
        ({"instruments": {"SUDS": {"min": 100, "max": 0}}}, "`min` must be below `max`"),
        ({"instruments": {"SUDS": {"min": 0}}}, "needs finite numeric `min` and `max`"),
        # Unknown keys at every level, each with a did-you-mean.
        ({"payers": {"a": {"reveiw_days": 1}}}, "Did you mean `review_days`?"),
        (
            {"instruments": {"SUDS": {"min": 0, "max": 9, "lower_is_beter": True}}},
            "`lower_is_better`",
        ),
        ({"severity": {"S04": "error"}}, "`S04` is not a rule code. Did you mean `S004`?"),
        # A prefix or a name changed no finding's severity, silently.
        ({"severity": {"S": "error"}}, "`S` is not a rule code"),
        ({"severity": {"non-billable-code": "info"}}, 'the key is the code: D002 = "info"'),
        ({"payers": {"a": {"require": ["sesion"]}}}, "no field of a plan. Did you mean `session`?"),
        ({"payers": {"a": {"require": ["signatures.cilent"]}}}, "`signatures.client`"),
        ({"instruments": {"SUDS": {"min": float("-inf"), "max": 100}}}, "finite numeric"),
        ({"instruments": {"SUDS": {"min": 0, "max": float("nan")}}}, "finite numeric"),
        # Types are strict: true is not 1, 90.0 is not 90, a table is not a list.
        ({"max_goals": True}, "`max_goals` must be a whole number from 1 to 36500, not True."),
        ({"review_days": 90.0}, "not 90.0"),
        ({"review_days": 10**20}, "not 100000000000000000000."),
        ({"payers": {"a": {"review_days": 999999999}}}, "`payers.a.review_days` must be a whole"),
        ({"payers": {"a": {"review_days": "30"}}}, "`payers.a.review_days` must be a whole"),
        ({"payers": {"a": {"require": "session"}}}, "`payers.a.require` must be a list of text"),
        ({"payers": {"a": 5}}, "`payers.a` must be a table"),
        ({"payers": []}, "`[payers]` must hold tables"),
        ({"prelicensed_credentials": [1]}, "`prelicensed_credentials` must be a list of text"),
        ({"severity": "S004"}, "`[severity]` must be a table"),
        ({"severity": {"S04": 3}}, "`S04` is not a rule code. Did you mean `S004`?"),
        ({"instruments": {"SUDS": {"min": True, "max": 9}}}, "finite numeric"),
        ({"instruments": {"SUDS": {"min": 0, "max": 9, "lower_is_better": 1}}}, "true or false"),
        ({"instruments": {"SUDS": "0-100"}}, "`instruments.SUDS` must be a table"),
        # A misspelt key explains the errors after it, so it is named first.
        ({"review_days": "x", "max_gaols": 3}, "unknown setting `max_gaols`"),
        ({"a": {"b": {"c": {"d": {"e": {"f": [[[[[[[[[[[[[]]]]]]]]]]]]]}}}}}}, "nested more than"),
    ],
)
def test_bad_settings_name_file_and_key(data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=r"^t\.toml") as caught:
        parse_config(data, "t.toml")
    assert message in str(caught.value)


def test_severity_override_and_select(plans: Path) -> None:
    text = example_text().replace("role: rule-out", "role: secondary")
    result = lint_dir(plans, {"C-1042.plan.yaml": text}, config='[severity]\nD007 = "error"\n')
    assert [f.severity.value for f in result.findings if f.code == "D007"] == ["error"]
    result = lint_dir(plans, {"C-1042.plan.yaml": text}, config='ignore = ["D"]\n')
    assert "D007" not in codes(result)
    result = lint_dir(plans, {"C-1042.plan.yaml": text}, config='select = ["R"]\n')
    assert codes(result) == set()


def test_lower_case_codes_and_nested_required_fields_are_accepted() -> None:
    config = parse_config(
        {
            "severity": {"s004": "error"},
            "payers": {"m": {"require": ["session.start", "signatures.client", "measures"]}},
        },
        "t.toml",
    )
    assert config.severity == {"S004": "error"}
    assert config.payer_requires("m") == ("session.start", "signatures.client", "measures")


def test_a_toml_file_with_inf_is_a_one_line_error(tmp_path: Path) -> None:
    from txplan.settings.reading import load_config

    path = tmp_path / "txplan.toml"
    path.write_text("[instruments.SUDS]\nmin = 0\nmax = inf\n")
    with pytest.raises(ConfigError, match="finite numeric"):
        load_config(path)


def test_a_long_value_is_quoted_cut_short() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"review_days": "9" * 5000}, "t.toml")
    message = str(caught.value)
    assert len(message) < 120 and message.endswith(", not '" + "9" * 36 + "....")
