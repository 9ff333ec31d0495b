"""P: problem statements and the functional impairment behind medical
necessity (shared/seeds/002: covered diagnosis + symptoms + functional
impairment + interventions). P001 (vague-problem) belongs to the language
rules."""

from __future__ import annotations

from collections.abc import Iterator

from txplan.rules import Hit, rule
from txplan.rules.context import PlanContext


@rule("P002", "problem-without-diagnosis", "warning")
def problem_without_diagnosis(ctx: PlanContext) -> Iterator[Hit]:
    """A problem is linked to no diagnosis.

    Why:
    Each problem should show which diagnosis it is a symptom or consequence
    of; that link is the first strand of the golden thread.

    Fails:
    problems:
      - {id: P1, statement: Sleeps 4-5 hours per night.}

    Passes:
    problems:
      - {id: P1, statement: Sleeps 4-5 hours per night., diagnoses: [F41.1]}
    """
    for i, problem in enumerate(ctx.plan.problems):
        if not problem.diagnoses:
            hint = ""
            primary = next(ctx.diagnoses_with_role("primary"), None)
            if primary and primary[1].code:
                hint = f", e.g. `diagnoses: [{ctx.canonical(primary[1].code)}]`"
            yield (
                ("problems", i),
                (
                    f"Problem {problem.id or i + 1} is linked to no diagnosis. Name the diagnosis "
                    f"it belongs to{hint}."
                ),
            )


@rule("P003", "unknown-diagnosis-ref", "error")
def unknown_diagnosis_ref(ctx: PlanContext) -> Iterator[Hit]:
    """A problem names a diagnosis code that is not among the plan's `diagnoses`.

    Why:
    A link to a diagnosis the plan does not carry is a broken thread,
    usually a typo or a diagnosis removed without updating its problems.

    Fails:
    diagnoses: [{code: F41.1, role: primary}]
    problems:
      - {id: P1, statement: ..., diagnoses: [F41.0]}

    Passes:
    problems:
      - {id: P1, statement: ..., diagnoses: [F41.1]}
    """
    known = sorted(ctx.diagnosis_codes)
    for pi, problem in enumerate(ctx.plan.problems):
        for ci, code in enumerate(problem.diagnoses):
            if ctx.canonical(code) not in ctx.diagnosis_codes:
                listed = ", ".join(known) if known else "none yet"
                yield (
                    ("problems", pi, "diagnoses", ci),
                    (
                        f"Problem {problem.id or pi + 1} names {code}, which is not among the "
                        f"plan's diagnoses ({listed}). Correct the code or add the diagnosis."
                    ),
                )


@rule("P004", "no-impairment", "warning")
def no_impairment(ctx: PlanContext) -> Iterator[Hit]:
    """No functional impairment is documented.

    Why:
    Medical necessity needs a covered diagnosis, its symptoms and the
    functional impairment they cause (work, school, relationships, self
    care). Without an impairment, payers may deem treatment not necessary.

    Fails:
    assessment:
      presenting_problem: Worry most days.

    Passes:
    assessment:
      presenting_problem: Worry most days.
      impairments:
        - Missed three work deadlines in the past month
    """
    assessment = ctx.plan.assessment
    if assessment is None or not [i for i in assessment.impairments if i.strip()]:
        path = ("assessment", "impairments") if assessment else ("assessment",)
        yield (
            path,
            (
                "No functional impairment is documented. Under `assessment:` add `impairments:` "
                "with what the symptoms stop the client from doing, concretely (e.g. 'missed "
                "three work deadlines in the past month')."
            ),
        )
