"""Standardized instruments txplan knows: range, direction, severity bands,
LOINC code for the total score (where confirmed), and the diagnoses each
measures, as ICD-10-CM code prefixes (for S007).

The first six rows are plan-format.md's table; the others are common in
outpatient plans and carry only their published score range. A folder may
declare more in txplan.toml ([instruments.NAME] min, max, lower_is_better);
a declared instrument has no bands and is relevant to any diagnosis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from txplan.config import Config

Band = tuple[float, float, str]


@dataclass(frozen=True)
class Instrument:
    name: str
    low: float
    high: float
    lower_is_better: bool = True
    bands: tuple[Band, ...] = ()
    loinc: str | None = None
    # ICD-10-CM prefixes of the diagnoses it measures; () = any (declared ones)
    concerns: tuple[str, ...] = ()
    # words in a problem statement that show the plan concerns what it measures
    topics: tuple[str, ...] = ()
    # a common target to suggest: the top of the band below the clinical range
    suggested_target: float | None = None

    def band(self, score: float) -> str | None:
        for low, high, label in self.bands:
            if low <= score <= high:
                return label
        return None

    def improves(self, baseline: float, target: float) -> bool:
        return target < baseline if self.lower_is_better else target > baseline

    def shown_range(self) -> str:
        return f"{self.low:g}-{self.high:g}"


_DEPRESSION = ("F32", "F33", "F34.1", "F31.3", "F31.4", "F31.5", "F43.21", "F43.23", "F53", "F06.3")
_ANXIETY = ("F40", "F41", "F43.22", "F43.23", "F42", "F93.0", "F94.0")
CATALOG: tuple[Instrument, ...] = (
    Instrument(
        "PHQ-9",
        0,
        27,
        True,
        (
            (0, 4, "minimal"),
            (5, 9, "mild"),
            (10, 14, "moderate"),
            (15, 19, "moderately severe"),
            (20, 27, "severe"),
        ),
        "44261-6",
        _DEPRESSION,
        ("depress", "mood", "sad", "hopeless", "anhedonia"),
        9,
    ),
    Instrument(
        "GAD-7",
        0,
        21,
        True,
        ((0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")),
        "70274-6",
        _ANXIETY,
        ("anxi", "worr", "panic", "nervous", "fear"),
        9,
    ),
    Instrument(
        "PCL-5",
        0,
        80,
        True,
        (
            (0, 30, "below the usual cut-off for probable PTSD"),
            (31, 80, "at or above the usual cut-off for probable PTSD (31-33)"),
        ),
        None,
        ("F43.0", "F43.1", "F43.8"),
        ("trauma", "ptsd", "nightmare", "flashback", "intrusive"),
        30,
    ),
    Instrument(
        "AUDIT",
        0,
        40,
        True,
        (
            (0, 7, "low risk"),
            (8, 15, "hazardous"),
            (16, 19, "harmful"),
            (20, 40, "possible dependence"),
        ),
        None,
        ("F10",),
        ("alcohol", "drink"),
        7,
    ),
    Instrument("AUDIT-C", 0, 12, True, (), "75626-2", ("F10",), ("alcohol", "drink")),
    Instrument(
        "DAST-10",
        0,
        10,
        True,
        (
            (0, 0, "none"),
            (1, 2, "low"),
            (3, 5, "moderate"),
            (6, 8, "substantial"),
            (9, 10, "severe"),
        ),
        "82667-7",
        ("F11", "F12", "F13", "F14", "F15", "F16", "F18", "F19"),
        ("drug", "cannabis", "opioid", "substance", "cocaine", "stimulant"),
        2,
    ),
    Instrument(
        "EPDS",
        0,
        30,
        True,
        (),
        None,
        ("F53", "F32", "F33", "O99.34"),
        ("postpartum", "perinatal", "depress"),
    ),
    Instrument("Y-BOCS", 0, 40, True, (), None, ("F42",), ("obsess", "compuls", "checking")),
    Instrument("ISI", 0, 28, True, (), None, ("F51", "G47.0"), ("sleep", "insomnia")),
)


def _fold(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_BY_FOLDED = {_fold(i.name): i for i in CATALOG}


def find(name: str, config: Config) -> Instrument | None:
    """The instrument called `name` (PHQ-9, phq9 and "PHQ 9" alike), or None."""
    folded = _fold(name)
    for declared, spec in config.instruments.items():
        if _fold(declared) == folded:
            return Instrument(declared, spec.min, spec.max, spec.lower_is_better)
    return _BY_FOLDED.get(folded)


def known_names(config: Config) -> list[str]:
    return [*(i.name for i in CATALOG), *config.instruments]


def suggest(name: str, config: Config) -> str | None:
    import difflib

    names = known_names(config)
    folded = {_fold(n): n for n in names}
    close = difflib.get_close_matches(_fold(name), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


@cache
def mention_pattern(declared: tuple[str, ...] = ()) -> re.Pattern[str]:
    """Finds instrument names in free text ("PHQ-9", "phq 9", "GAD7"): the
    catalog's and the `declared` ones (txplan.toml's [instruments])."""
    parts = []
    for name in (*(i.name for i in CATALOG), *declared):
        pieces = [re.escape(p) for p in re.split(r"[^A-Za-z0-9]+", name) if p]
        parts.append(r"[\s-]?".join(pieces))
    return re.compile(r"(?<![A-Za-z0-9])(" + "|".join(parts) + r")(?![A-Za-z0-9])", re.I)


def relevant(instrument: Instrument, codes: set[str]) -> bool:
    if not instrument.concerns:
        return True
    return any(code.startswith(prefix) for code in codes for prefix in instrument.concerns)
