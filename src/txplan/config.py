"""The settings a command runs under, as plain data: what `txplan.toml` can
set, and the defaults when it sets nothing. Reading and checking the file is
txplan.settings' job; every room may import this one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CONFIG_NAME = "txplan.toml"

DEFAULT_PRELICENSED = ["LPC-Associate", "LMSW", "LAC", "MFT-Associate", "Intern", "Trainee"]
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    """A txplan.toml that cannot be used; the message names file and key."""


@dataclass(frozen=True)
class Payer:
    review_days: int | None = None
    require: tuple[str, ...] = ()
    # Hours after a session within which this payer wants its note signed.
    note_hours: int | None = None


@dataclass(frozen=True)
class DeclaredInstrument:
    min: float
    max: float
    lower_is_better: bool = True


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    review_days: int = 90
    due_soon_days: int = 14
    documentation_hours: int = 72
    max_goals: int = 3
    max_objectives_per_goal: int = 4
    # X001: an objective reads the same in this many clients' plans
    copied_objective_clients: int = 2
    # N005: a session note is signed within this many hours of the session.
    note_hours: int = 72
    # N007: an active objective cited in none of the client's last so many
    # notes, or in none for so many days, is neglected.
    neglected_after_notes: int = 4
    neglected_after_days: int = 30
    prelicensed_credentials: tuple[str, ...] = tuple(DEFAULT_PRELICENSED)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    payers: dict[str, Payer] = field(default_factory=dict)
    instruments: dict[str, DeclaredInstrument] = field(default_factory=dict)

    def review_cycle(self, payer: str | None) -> int:
        entry = self.payers.get(payer or "")
        if entry and entry.review_days:
            return entry.review_days
        return self.review_days

    def note_limit(self, payer: str | None) -> tuple[int, bool]:
        """The hours within which a note is signed, and whether the payer set them."""
        entry = self.payers.get(payer or "")
        if entry and entry.note_hours:
            return entry.note_hours, True
        return self.note_hours, False

    def payer_requires(self, payer: str | None) -> tuple[str, ...]:
        entry = self.payers.get(payer or "")
        return entry.require if entry else ()

    def nearest_payer(self, payer: str) -> str | None:
        """The configured payer key `payer` is likely a misspelling of (None if
        none is close: "did you mean 'state-medicaid'?" for `aetna` misleads)."""
        import difflib

        folded = {key.lower(): key for key in self.payers}
        close = difflib.get_close_matches(payer.lower(), list(folded), n=1, cutoff=0.5)
        return folded[close[0]] if close else None


INTEGER_KEYS = (
    "review_days",
    "due_soon_days",
    "documentation_hours",
    "max_goals",
    "max_objectives_per_goal",
    "copied_objective_clients",
    "note_hours",
    "neglected_after_notes",
    "neglected_after_days",
)
LIST_KEYS = ("prelicensed_credentials", "select", "ignore")
TABLE_KEYS = ("severity", "payers", "instruments")
KNOWN_KEYS = INTEGER_KEYS + LIST_KEYS + TABLE_KEYS


# No setting means more than a century: a larger number is a typo, and date
# arithmetic with it would overflow.
MAX_SETTING = 36500
