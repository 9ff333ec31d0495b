"""The shape of `txplan.toml` as a pydantic model: every key, its type and its
bounds, in one place that also gives the file a JSON Schema (`txplan schema
--config`). config.py turns a validation error into the one-line message a
clinician reads; what a setting means against the rules and the plan format
(rule codes, plan fields) is checked there too.

Imported only when a txplan.toml is read or its schema printed: pydantic is
not on the start-up path of a lint that has no settings file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from txplan.config import DEFAULT_PRELICENSED, MAX_SETTING

Whole = Annotated[int, Field(ge=1, le=MAX_SETTING)]
Number = Annotated[float, Field(allow_inf_nan=False)]


class _Strict(BaseModel):
    # strict: "90" is not 90 and true is not 1; a setting is written as what it is.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PayerSettings(_Strict):
    """What one payer requires of a plan."""

    # None: the top-level review_days applies (TOML has no null to write).
    review_days: Whole | SkipJsonSchema[None] = Field(
        None, description="Days between reviews for this payer's plans (default: review_days)."
    )
    require: list[str] = Field(
        default_factory=list,
        description='Fields each of this payer\'s plans must fill, e.g. ["session", '
        '"signatures.client"].',
    )
    note_hours: Whole | SkipJsonSchema[None] = Field(
        None,
        description="N005: hours after a session within which this payer wants the note "
        "signed; past them a late note is an error (default: note_hours, a warning).",
    )


class InstrumentSettings(_Strict):
    """A measure that is not in txplan's catalog, with its score range."""

    min: Number = Field(description="Lowest possible score.")
    max: Number = Field(description="Highest possible score.")
    lower_is_better: bool = Field(True, description="Whether a falling score is progress.")


class Settings(_Strict):
    """Settings for the plans in this folder and the folders below it."""

    model_config = ConfigDict(title="txplan.toml")

    review_days: Whole = Field(90, description="Days from a plan's writing to its review.")
    due_soon_days: Whole = Field(14, description="A review this close is reported as due soon.")
    documentation_hours: Whole = Field(
        72, description="Hours after a session or review within which signing is on time."
    )
    max_goals: Whole = Field(3, description="More goals than this in one plan is a finding.")
    max_objectives_per_goal: Whole = Field(
        4, description="More objectives than this under one goal is a finding."
    )
    copied_objective_clients: Whole = Field(
        2, description="X001: an objective that reads the same in this many clients' plans."
    )
    note_hours: Whole = Field(
        72, description="N005: hours after a session within which its note is signed."
    )
    neglected_after_notes: Whole = Field(
        4, description="N007: an active objective cited in none of this many latest notes."
    )
    neglected_after_days: Whole = Field(
        30, description="N007: an active objective cited in no note for this many days."
    )
    prelicensed_credentials: list[str] = Field(
        default_factory=lambda: list(DEFAULT_PRELICENSED),
        description="Credentials whose plans need a supervisor's co-signature.",
    )
    select: list[str] = Field(
        default_factory=list, description="Run only these rule codes or prefixes."
    )
    ignore: list[str] = Field(
        default_factory=list, description="Skip these rule codes or prefixes."
    )
    severity: dict[str, Literal["error", "warning", "info"]] = Field(
        default_factory=dict, description='A rule\'s severity, one rule per key: S004 = "error".'
    )
    payers: dict[str, PayerSettings] = Field(
        default_factory=dict, description="Each payer a plan's client.payer may name."
    )
    instruments: dict[str, InstrumentSettings] = Field(
        default_factory=dict, description="Measures beyond txplan's catalog."
    )


def validate(data: dict[str, Any]) -> Settings:
    """Raises pydantic.ValidationError."""
    return Settings.model_validate(data)
