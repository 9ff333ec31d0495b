"""Outcomes a caseload is judged by, from each client's first and latest
score on an instrument: response, remission and reliable improvement, with
the published thresholds behind each.

- Response: the latest score at least 50% below the first, as NCQA's
  HEDIS measure *Depression Remission or Response for Adolescents and
  Adults* (DRR-E) defines it.
- Remission: PHQ-9 below 5 (the same measure), GAD-7 below 5 (its
  "minimal" band: Spitzer and colleagues, *A brief measure for assessing
  generalized anxiety disorder: the GAD-7*, Archives of Internal Medicine,
  2006).
- Both are counted only for clients whose first score was elevated (PHQ-9
  above 9, as DRR-E counts them; GAD-7 of 10 or more, the GAD-7's cut-off):
  a client who starts in the minimal band cannot show either.
- Reliable improvement: a drop larger than the instrument's measurement
  error, PHQ-9 by 6 or more and GAD-7 by 4 or more (NHS England, *NHS
  Talking Therapies for anxiety and depression manual*, formerly the IAPT
  manual). It is counted for every client with two scores.

An instrument with none of these published here is shown with its counts of
clients and scores only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    elevated_from: float  # a first score at or above this counts for response and remission
    remission_below: float
    reliable_drop: float  # the smallest drop that is reliable improvement


THRESHOLDS: dict[str, Thresholds] = {
    "PHQ-9": Thresholds(elevated_from=10, remission_below=5, reliable_drop=6),
    "GAD-7": Thresholds(elevated_from=10, remission_below=5, reliable_drop=4),
}
RESPONSE_SHARE = 0.5


@dataclass(frozen=True)
class Outcome:
    """One client's change on one instrument, where thresholds are published;
    None where the client does not count toward that figure."""

    responded: bool | None
    remitted: bool | None
    reliably_improved: bool | None


def outcome(instrument: str, first: float, latest: float) -> Outcome:
    """What the change from `first` to `latest` shows (lower is better for
    every instrument with thresholds here)."""
    known = THRESHOLDS.get(instrument)
    if known is None:
        return Outcome(None, None, None)
    elevated = first >= known.elevated_from
    return Outcome(
        responded=latest <= first * (1 - RESPONSE_SHARE) if elevated else None,
        remitted=latest < known.remission_below if elevated else None,
        reliably_improved=first - latest >= known.reliable_drop,
    )
