"""What a rule sees: the validated plan, its settings, today, and helpers
for the links between problems, goals, objectives and interventions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from txplan.clinical import icd
from txplan.config import Config
from txplan.findings import YamlPath
from txplan.plan.model import Diagnosis, Goal, Objective, Plan

if TYPE_CHECKING:
    from txplan.plan.loader import Positions


@dataclass
class PlanContext:
    plan: Plan
    config: Config
    today: dt.date
    # Work several rules share, e.g. the reading of an objective's text.
    memo: dict[Any, Any] = field(default_factory=dict)
    # Where values stand in the file, for a rule that places a finding inside one.
    positions: Positions | None = None
    # The file as the report names it ("" when the plan has no file): F007
    # compares its name with the client ID.
    file: str = ""

    def objectives(self) -> Iterator[tuple[YamlPath, Goal, Objective]]:
        for gi, goal in enumerate(self.plan.goals):
            for oi, objective in enumerate(goal.objectives):
                yield ("goals", gi, "objectives", oi), goal, objective

    @cached_property
    def objective_ids(self) -> set[str]:
        return {o.id for _, _, o in self.objectives() if o.id}

    @cached_property
    def served_objectives(self) -> set[str]:
        return {ref for i in self.plan.interventions for ref in i.objectives}

    @cached_property
    def problem_ids(self) -> set[str]:
        return {p.id for p in self.plan.problems if p.id}

    @cached_property
    def goal_problem_refs(self) -> set[str]:
        return {ref for g in self.plan.goals for ref in g.problems}

    def canonical(self, code: str | None) -> str:
        """A diagnosis code as the rules compare it: `f411` and `F41.1` match."""
        if not code:
            return ""
        return icd.canonical_spelling(code) or code.strip()

    @cached_property
    def diagnosis_codes(self) -> set[str]:
        return {self.canonical(d.code) for d in self.plan.diagnoses if d.code}

    def diagnoses_with_role(self, role: str) -> Iterator[tuple[int, Diagnosis]]:
        for i, diagnosis in enumerate(self.plan.diagnoses):
            if diagnosis.role == role:
                yield i, diagnosis

    @cached_property
    def codes_reached_by_goals(self) -> set[str]:
        """Diagnosis codes a goal reaches through the problems it addresses."""
        reached: set[str] = set()
        for problem in self.plan.problems:
            if problem.id and problem.id in self.goal_problem_refs:
                reached.update(self.canonical(c) for c in problem.diagnoses)
        return reached

    @cached_property
    def codes_in_problems(self) -> set[str]:
        return {self.canonical(c) for p in self.plan.problems for c in p.diagnoses}
