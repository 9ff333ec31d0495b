"""What the caseload rules (X001, X003) need to know about each plan: kept
apart from the rules, so that a result remembered in the cache can be read
back without loading every rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from txplan.findings import Span


class ObjectiveText(NamedTuple):
    """One objective's statement, as X001 compares it. A tuple: a warm
    caseload reads one back from the cache for every objective it holds."""

    objective_id: str
    # A digest of the statement with case, punctuation, numbers and the
    # client's name folded away (caseload.fingerprint): X001 compares only
    # equality, and a caseload's run holds one for every objective.
    fingerprint: str
    span: Span
    # Where the objective sits: goals[goal_index].objectives[objective_index].
    goal_index: int
    objective_index: int

    @property
    def path(self) -> tuple[str | int, ...]:
        """The statement's YAML path."""
        return ("goals", self.goal_index, "objectives", self.objective_index, "statement")


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """What the caseload rules need to know about one linted plan."""

    file: str
    client_id: str
    id_span: Span
    objectives: tuple[ObjectiveText, ...] = ()
