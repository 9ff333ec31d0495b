"""The session note file, format 1: its front matter as pydantic models.

A note is Markdown with YAML front matter, one file per session, named
`*.note.md`. Only `txplan_note` and `client` are needed for a note to load;
a missing element (times, place, a signature) is a rule's finding (N006),
not a load error, so a half-written note still gets its full report.
Unknown keys are errors, as in the plan, so a typo never hides a field.
"""

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from txplan.plan.model import (
    ClientId,
    ClockTime,
    Number,
    Part,
    Place,
    Text,
    not_true_or_false,
)

NOTE_FORMAT_VERSION = 1

_TWELVE_HOUR = re.compile(r"^\s*(\d{1,2}):([0-5]\d)\s*([AaPp])\.?\s*[Mm]\.?\s*$")
_ONE_DIGIT_HOUR = re.compile(r"^\s*(\d):([0-5]\d)\s*$")


def _as_24_hour(value: Any) -> Any:
    """`2:53 PM`, `2:53pm` and `9:05` as notes are often written: "14:53",
    "09:05". Anything else is left for the pattern to refuse."""
    if not isinstance(value, str):
        return value
    twelve = _TWELVE_HOUR.match(value)
    if twelve:
        hour, minute, half = int(twelve.group(1)), twelve.group(2), twelve.group(3).lower()
        if 1 <= hour <= 12:
            return f"{hour % 12 + (12 if half == 'p' else 0):02d}:{minute}"
        return value
    short = _ONE_DIGIT_HOUR.match(value)
    return f"0{short.group(1)}:{short.group(2)}" if short else value


NoteTime = Annotated[ClockTime, BeforeValidator(_as_24_hour)]


def _lowercase(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _split(value: Any) -> Any:
    """`I1, I2` or `"90837, 90785"` written as one text: the list meant."""
    if isinstance(value, str) and re.search(r"[,;]", value):
        return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
    return value


def _as_list(value: Any) -> Any:
    from txplan.plan import placeholders

    if isinstance(value, str) and placeholders.only(value):
        return value  # a scaffold's placeholder: C009 reports it, not a list of one
    split = _split(value)
    return [split] if isinstance(split, str) else split


def _bare_id(value: Any) -> Any:
    """`objectives: [O1.1, O1.2]`: each a cited objective, its progress unwritten."""
    return {"id": value} if isinstance(value, str) else value


CptCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}[0-9A-Z]$")]
Method = Literal["video", "audio"]
Count = Annotated[int, BeforeValidator(not_true_or_false), Field(ge=1, le=10_000)]


class CitedObjective(Part):
    """One plan objective the session worked on: the golden thread."""

    id: Text | None = Field(
        default=None,
        description="The plan objective's id, e.g. O1.1.",
        examples=["O1.1"],
    )
    interventions: Annotated[list[Text], BeforeValidator(_as_list)] = Field(
        default_factory=list,
        description="The ids of the plan's interventions used for it in this session.",
        examples=[["I1"]],
    )
    progress: Text | None = Field(
        default=None,
        description="What the client did toward the objective, or what stood in the way.",
        examples=["Worry log kept on 5 of 7 days; fewer late-night checks."],
    )


class NoteScore(Part):
    """A measure taken in the session."""

    instrument: Text | None = Field(default=None, examples=["GAD-7"])
    score: Number | None = Field(default=None, examples=[11])


class NoteSignature(Part):
    """Who signed the note, with credentials, and when."""

    by: Text | None = Field(default=None, examples=["Daniel Reyes"])
    credentials: Text | None = Field(default=None, examples=["LPC"])
    date: dt.date | None = Field(default=None, examples=["2026-02-10"])
    time: NoteTime | None = Field(
        default=None,
        description='When it was signed, 24-hour "HH:MM", quoted; optional.',
        examples=["17:20"],
    )


class Note(Part):
    """One session's progress note."""

    txplan_note: int = Field(description="The note format version: 1.", examples=[1])
    client: ClientId = Field(description="The plan's client ID.", examples=["C-2001"])
    date: dt.date | None = Field(default=None, examples=["2026-02-10"])
    start: NoteTime | None = Field(
        default=None,
        description='When the session started: "14:00" (24-hour, quoted) or "2:00 PM".',
        examples=["14:00"],
    )
    end: NoteTime | None = Field(default=None, examples=["14:53"])
    cpt: Annotated[CptCode | list[CptCode] | None, BeforeValidator(_split)] = Field(
        default=None,
        description='The CPT code, quoted; with add-ons, a list: ["90837", "90785"].',
        examples=["90837"],
    )
    place: Annotated[Place | None, BeforeValidator(_lowercase)] = Field(
        default=None, examples=["office", "telehealth"]
    )
    method: Annotated[Method | None, BeforeValidator(_lowercase)] = Field(
        default=None, description="For telehealth: video or audio.", examples=["video"]
    )
    participants: Annotated[
        Count | list[Text] | None,
        BeforeValidator(lambda v: _as_list(v) if isinstance(v, str) else v),
    ] = Field(
        default=None,
        description="Who took part: [client], family members by role, or a group's count.",
        examples=[["client"], 8],
    )
    objectives: list[Annotated[CitedObjective, BeforeValidator(_bare_id)]] = Field(
        default_factory=list
    )
    scores: list[NoteScore] = Field(default_factory=list)
    risk: Text | None = Field(
        default=None,
        description="The risk assessment of this session.",
        examples=["Denies suicidal ideation; safety plan reviewed."],
    )
    signed: NoteSignature | None = None

    @property
    def cpt_codes(self) -> tuple[str, ...]:
        if self.cpt is None:
            return ()
        return (self.cpt,) if isinstance(self.cpt, str) else tuple(self.cpt)
