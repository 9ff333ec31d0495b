"""L: the links of the golden thread: problem -> goal -> objective ->
intervention (TheraFocus, *How to write treatment plans*, mistake #3: intervention mismatch)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from txplan.plan import placeholders
from txplan.plan.model import Goal, Intervention
from txplan.rules import Hit, rule
from txplan.rules.context import PlanContext


def _near(word: str, choices: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.5)
    return f"Did you mean {close[0]}? " if close else ""


def _unknown_refs(
    items: Sequence[Goal | Intervention], kind: str, field: str, known: set[str]
) -> Iterator[Hit]:
    """Links from `items` (goals, interventions) by id to things that do not exist."""
    owner, target = kind[:-1], field[:-1]  # "goals" -> "goal", "problems" -> "problem"
    for i, item in enumerate(items):
        for r, ref in enumerate(getattr(item, field)):
            if ref not in known:
                yield (
                    (kind, i, field, r),
                    f"{owner.capitalize()} {item.id or i + 1} names {target} {ref}, which does "
                    f"not exist. {_near(ref, known)}{field.capitalize()} here: "
                    f"{', '.join(sorted(known)) or 'none'}.",
                )


@rule("L001", "objective-without-intervention", "error")
def objective_without_intervention(ctx: PlanContext) -> Iterator[Hit]:
    """No intervention serves the objective.

    Why:
    For each objective at least one intervention must say how the clinician
    will help the client reach it; an objective nobody works on is the
    "intervention mismatch" reviewers flag.

    Fails:
    interventions:
      - {id: I1, statement: ..., objectives: [O1.1]}   # O1.2 has none

    Passes:
    interventions:
      - {id: I1, statement: ..., objectives: [O1.1, O1.2]}
    """
    for path, _goal, objective in ctx.objectives():
        if objective.id and objective.id not in ctx.served_objectives:
            yield (
                (*path, "id"),
                (
                    f"No intervention serves objective {objective.id}. Add {objective.id} to the "
                    "`objectives:` of the intervention that works on it, or add one that does."
                ),
            )
        elif objective.id is None:
            yield (
                path,
                (
                    "This objective has no id, so no intervention can serve it. Give it an id "
                    "such as O1.1 and list it under an intervention's `objectives:`."
                ),
            )


@rule("L002", "unknown-objective-ref", "error")
def unknown_objective_ref(ctx: PlanContext) -> Iterator[Hit]:
    """An intervention names an objective that does not exist.

    Why:
    A link to a missing objective is a broken thread: usually a typo, or an
    objective renumbered without updating its interventions.

    Fails:
    interventions:
      - {id: I1, statement: ..., objectives: [O1.9]}

    Passes:
    interventions:
      - {id: I1, statement: ..., objectives: [O1.1]}
    """
    yield from _unknown_refs(
        ctx.plan.interventions, "interventions", "objectives", ctx.objective_ids
    )


@rule("L003", "intervention-without-objective", "error")
def intervention_without_objective(ctx: PlanContext) -> Iterator[Hit]:
    """An intervention serves no objective.

    Why:
    Every service in the plan must be aimed at a measurable objective;
    otherwise a reviewer cannot tell why it is provided.

    Fails:
    interventions:
      - {id: I3, statement: Sleep hygiene psychoeducation.}

    Passes:
    interventions:
      - {id: I3, statement: Sleep hygiene psychoeducation., objectives: [O1.2]}
    """
    for ii, intervention in enumerate(ctx.plan.interventions):
        if not intervention.objectives:
            yield (
                ("interventions", ii),
                (
                    f"Intervention {intervention.id or ii + 1} serves no objective. List the "
                    "objectives it works toward under `objectives:`, e.g. `objectives: [O1.1]`."
                ),
            )


# Named techniques another clinician can follow.
_TECHNIQUE = re.compile(
    r"\b(?:cognitive|restructuring|exposure|in-?vivo|interoceptive|activation|behaviou?ral|"
    r"dbt|skills? training|emdr|cpt|processing|prolonged|motivational|interviewing|relaxation|"
    r"breathing|mindfulness|hygiene|stimulus control|problem-solving|problem solving|"
    r"parent(?:ing)? training|praise|role-?play|psychoeducation|thought records?|safety plan\w*|"
    r"relapse prevention|acceptance|defusion|values|hierarchy|response prevention|erp|"
    r"journaling|grounding|assertiveness|communication skills|contingency|cbt-i|"
    r"interpersonal|ipt|schema|gottman|emotionally focused|tf-cbt|pcit|narrative|"
    r"worry|scheduling|monitoring|rescripting|desensitization|biofeedback|medication)\b",
)
_GENERIC = {
    "therapy",
    "counseling",
    "counselling",
    "support",
    "supportive therapy",
    "supportive counseling",
    "talk therapy",
    "individual therapy",
    "psychotherapy",
    "continue therapy",
    "provide support",
    "check in",
    "check-ins",
    "listen",
    "encouragement",
    "cbt",
    "dbt",
    "individual counseling",
    "family therapy",
    "group therapy",
    "treatment",
}


@rule("L004", "vague-intervention", "warning")
def vague_intervention(ctx: PlanContext) -> Iterator[Hit]:
    """The intervention is too vague for another clinician to follow.

    "Therapy", "support", "supportive counseling" or a bare modality
    ("CBT") says what kind of service, not what will be done. Name the
    technique and its target: "cognitive restructuring of catastrophic
    thoughts", "graded in-vivo exposure to driving".

    Why:
    Interventions are what the claim pays for; a reviewer, a covering
    clinician and the client should all be able to tell what happens in
    session (TheraFocus, *How to write treatment plans*, intervention mismatch).

    Fails:
    interventions:
      - {id: I1, statement: Supportive therapy., objectives: [O1.1]}

    Passes:
    interventions:
      - {id: I1, statement: Behavioral activation with weekly activity scheduling., objectives: [O1.1]}
    """
    for i, intervention in enumerate(ctx.plan.interventions):
        text = (intervention.statement or "").strip()
        if not text or placeholders.only(text):
            continue
        plain = re.sub(r"[^a-z0-9 -]", "", text.lower()).strip()
        words = plain.split()
        if plain in _GENERIC or (len(words) <= 3 and not _TECHNIQUE.search(text.lower())):
            yield (
                ("interventions", i, "statement"),
                (
                    f"Intervention {intervention.id or i + 1} ('{text}') does not say what will be "
                    "done. Name the technique and what it targets, e.g. 'cognitive restructuring "
                    "of catastrophic worry thoughts' or 'graded exposure to avoided situations'."
                ),
            )


@rule("L005", "unknown-problem-ref", "error")
def unknown_problem_ref(ctx: PlanContext) -> Iterator[Hit]:
    """A goal names a problem that does not exist.

    Why:
    The goal's link to its problem is how a reviewer sees what the goal is
    for; a link to nothing is a broken thread.

    Fails:
    goals:
      - {id: G1, problems: [P9], ...}

    Passes:
    goals:
      - {id: G1, problems: [P1], ...}
    """
    yield from _unknown_refs(ctx.plan.goals, "goals", "problems", ctx.problem_ids)


@rule("L006", "goal-without-problem", "warning")
def goal_without_problem(ctx: PlanContext) -> Iterator[Hit]:
    """A goal is tied to no problem.

    Why:
    A goal should resolve a documented problem; one tied to none cannot be
    traced back to the diagnosis.

    Fails:
    goals:
      - {id: G1, statement: Improve sleep., objectives: [...]}

    Passes:
    goals:
      - {id: G1, problems: [P1], statement: Improve sleep., objectives: [...]}
    """
    for gi, goal in enumerate(ctx.plan.goals):
        if not goal.problems:
            yield (
                ("goals", gi),
                (
                    f"Goal {goal.id or gi + 1} is tied to no problem. Add `problems: [P1]` with "
                    "the problem(s) it addresses."
                ),
            )


@rule("L007", "unaddressed-problem", "warning")
def unaddressed_problem(ctx: PlanContext) -> Iterator[Hit]:
    """A problem is addressed by no goal.

    Why:
    A documented problem that no goal works on is either not a focus of
    treatment (then remove it or say so) or a gap in the plan.

    Fails:
    problems:
      - {id: P2, statement: ...}   # no goal lists P2

    Passes:
    goals:
      - {id: G2, problems: [P2], ...}
    """
    for pi, problem in enumerate(ctx.plan.problems):
        if problem.id and problem.id not in ctx.goal_problem_refs:
            yield (
                ("problems", pi, "id"),
                (
                    f"No goal addresses problem {problem.id}. Add {problem.id} to a goal's "
                    "`problems:`, or remove the problem if it is not a focus of treatment."
                ),
            )
