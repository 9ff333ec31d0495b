"""P: problem statements and the functional impairment behind medical
necessity (Rula, *Treatment planning*: covered diagnosis + symptoms + functional
impairment + interventions)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from txplan.clinical import smart
from txplan.plan import placeholders
from txplan.rules import Hit, rule
from txplan.rules.context import PlanContext

# Observable behaviors and symptoms a problem statement may name instead of
# a number ("avoids driving", "cuts her arms", "refuses school").
_BEHAVIOR = re.compile(
    r"\b(?:attacks?|nightmares?|flashbacks?|tantrums?|outbursts?|arguments?|argues|fights?|"
    r"yells|hits|drinks|drinking|binge\w*|purg\w*|cuts?|cutting|self-harm\w*|avoids?|"
    r"avoidance|refuses|refusal|misses|missed|absent|absences|late|isolates?|withdraws?|"
    r"stopped|quit|fired|suspended|expelled|checks|checking|washes|washing|compulsions?|"
    r"wakes?|waking|sleeps?|insomnia|crying|cries|skips?|used?|uses|smokes?|vomit\w*|"
    r"ideation|hallucinations?|panic|rumination|ruminates|reassurance|lost|loses|"
    r"weight|eating|meals?|school|work|job)\b",
)


@rule("P001", "vague-problem", "warning")
def vague_problem(ctx: PlanContext) -> Iterator[Hit]:
    """The problem statement is not behavioral or observable.

    A problem statement should say what the client experiences or does and
    how often, how long or how much: a frequency ("most days"), a duration,
    a count, a rating ("distress 8/10") or a concrete behavior ("avoids
    driving on highways"). "Feels bad" or "depression" alone is a label,
    not a problem a reviewer can follow over time.

    Why:
    Objectives are measured against the problem; a reviewer reads the
    problem statement for the symptoms behind medical necessity.

    Fails:
    problems:
      - {id: P1, statement: Feels bad., diagnoses: [F32.1]}

    Passes:
    problems:
      - {id: P1, statement: Low mood most days; stopped seeing friends 6 weeks ago., diagnoses: [F32.1]}
    """
    for i, problem in enumerate(ctx.plan.problems):
        text = (problem.statement or "").strip()
        if not text or placeholders.only(text):
            continue
        reading = smart.read(text)
        if (
            reading.measure
            or re.search(r"\d|\bmost (?:days|nights)\b", text)
            or _BEHAVIOR.search(text.lower())
        ):
            continue
        yield (
            ("problems", i, "statement"),
            (
                f"Problem {problem.id or i + 1} ('{text[:60]}') does not say what the client does or "
                "how often. Describe the behavior or symptom with a frequency, duration, count or "
                "rating, e.g. 'panic attacks 3-4 times per week; avoids driving since August'."
            ),
        )


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
