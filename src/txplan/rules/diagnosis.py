"""D: diagnoses, checked against the ICD-10-CM code set (April 2026 release,
from simple-icd-10-cm's data; see txplan/clinical/icd.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from txplan.clinical import icd
from txplan.plan import placeholders
from txplan.rules import Hit, rule
from txplan.rules.context import PlanContext

_WORD = re.compile(r"[a-z0-9]+")
# Words that carry no meaning when comparing a name with the official title.
_FILLER = {
    "and",
    "or",
    "of",
    "the",
    "with",
    "without",
    "due",
    "to",
    "in",
    "a",
    "an",
    "disorder",
    "disorders",
    "unspecified",
    "type",
    "not",
    "elsewhere",
    "classified",
    "nos",
}
_ABBREVIATIONS = {
    "gad": "generalized anxiety",
    "mdd": "major depressive",
    "ptsd": "post traumatic stress",
    "adhd": "attention deficit hyperactivity",
    "ocd": "obsessive compulsive",
    "aud": "alcohol use",
    "sud": "substance use",
    "odd": "oppositional defiant",
}


def _describe(info: icd.CodeInfo) -> str:
    return f"{info.code} ({info.title})"


@rule("D001", "unknown-code", "error")
def unknown_code(ctx: PlanContext) -> Iterator[Hit]:
    """The diagnosis code is not an ICD-10-CM code.

    Suggests the nearest real codes. ICD-9 codes (300.02) and DSM-only
    spellings are reported here too: claims need the ICD-10-CM code.

    Why:
    A claim with a code that does not exist is rejected before anyone reads
    the plan.

    Fails:
    diagnoses:
      - {code: F41.7, role: primary}

    Passes:
    diagnoses:
      - {code: F41.1, role: primary}
    """
    for i, diagnosis in enumerate(ctx.plan.diagnoses):
        if diagnosis.code is None:
            yield (
                ("diagnoses", i),
                (f"Diagnosis {i + 1} has no code. Add its ICD-10-CM code, e.g. `code: F41.1`."),
            )
            continue
        spelled = icd.canonical_spelling(diagnosis.code)
        if (spelled and icd.lookup(spelled)) or placeholders.only(diagnosis.code):
            continue
        near = icd.nearest(spelled or diagnosis.code)
        hint = (
            " Nearest real codes: " + "; ".join(_describe(n) for n in near) + "."
            if near
            else " Look the code up in the ICD-10-CM tabular list (mental health codes start with F)."
        )
        yield ("diagnoses", i, "code"), (f"`{diagnosis.code}` is not an ICD-10-CM code.{hint}")


@rule("D002", "non-billable-code", "error")
def non_billable_code(ctx: PlanContext) -> Iterator[Hit]:
    """The code is a category, not a billable (most specific) code.

    Why:
    Claims must carry a code to the highest specificity available; `F41`
    or `F43.1` is rejected, `F41.1` or `F43.10` is not.

    Fails:
    diagnoses:
      - {code: F43.1, role: primary}

    Passes:
    diagnoses:
      - {code: F43.10, role: primary}
    """
    for i, diagnosis in enumerate(ctx.plan.diagnoses):
        spelled = icd.canonical_spelling(diagnosis.code or "")
        info = icd.lookup(spelled) if spelled else None
        if info is None or info.billable:
            continue
        children = icd.billable_children(info.code)
        listed = "; ".join(_describe(c) for c in children)
        yield (
            ("diagnoses", i, "code"),
            (
                f"{info.code} ({info.title}) is a category, not a billable code. Use the most "
                f"specific code that fits: {listed}."
            ),
        )


@rule("D003", "code-format", "error")
def code_format(ctx: PlanContext) -> Iterator[Hit]:
    """The code is spelled in a non-canonical way (`F411`, `f41.1`, ` F41.1`).

    Why:
    Billing systems and payers match codes as text; `F411` and `F41.1` are
    not the same string to a claims scrubber, and links from problems to
    diagnoses must use one spelling.

    Fails:
    diagnoses:
      - {code: f411, role: primary}

    Passes:
    diagnoses:
      - {code: F41.1, role: primary}
    """
    for i, diagnosis in enumerate(ctx.plan.diagnoses):
        code = diagnosis.code or ""
        spelled = icd.canonical_spelling(code)
        if spelled and spelled != code and icd.lookup(spelled):
            yield (
                ("diagnoses", i, "code"),
                (
                    f"Write the code `{code}` as `{spelled}` (capital letter, a dot after the "
                    "third character)."
                ),
            )
    for pi, problem in enumerate(ctx.plan.problems):
        for ci, code in enumerate(problem.diagnoses):
            spelled = icd.canonical_spelling(code)
            if spelled and spelled != code and spelled in ctx.diagnosis_codes:
                yield (
                    ("problems", pi, "diagnoses", ci),
                    (f"Write `{code}` as `{spelled}`, the way the diagnosis is spelled."),
                )


@rule("D004", "no-primary", "error")
def no_primary(ctx: PlanContext) -> Iterator[Hit]:
    """No diagnosis has `role: primary`.

    Why:
    The primary diagnosis is the one the services are billed under; a plan
    with only rule-outs or historical diagnoses does not establish medical
    necessity.

    Fails:
    diagnoses:
      - {code: F32.1, role: rule-out}

    Passes:
    diagnoses:
      - {code: F41.1, role: primary}
      - {code: F32.1, role: rule-out}
    """
    if ctx.plan.diagnoses and not any(True for _ in ctx.diagnoses_with_role("primary")):
        roles = sorted({d.role or "no role" for d in ctx.plan.diagnoses})
        yield (
            ("diagnoses",),
            (
                f"No diagnosis is marked primary (roles here: {', '.join(roles)}). Mark the "
                "diagnosis treatment is billed under with `role: primary`."
            ),
        )


def _words(text: str) -> set[str]:
    expanded = text.lower().replace("-", " ")
    for short, long in _ABBREVIATIONS.items():
        expanded = re.sub(rf"\b{short}\b", long, expanded)
    return {w for w in _WORD.findall(expanded) if w not in _FILLER}


@rule("D005", "name-mismatch", "warning")
def name_mismatch(ctx: PlanContext) -> Iterator[Hit]:
    """The diagnosis name disagrees with the code's official ICD-10-CM title.

    The name passes when most of its meaningful words appear in the official
    title (common abbreviations such as GAD, MDD and PTSD are understood).

    Why:
    A name that says one thing and a code that says another is the classic
    sign of a typo in the code, and a reason for a payer to question the
    plan.

    Fails:
    diagnoses:
      - {code: F41.0, name: Generalized anxiety disorder, role: primary}

    Passes:
    diagnoses:
      - {code: F41.1, name: Generalized anxiety disorder, role: primary}
    """
    for i, diagnosis in enumerate(ctx.plan.diagnoses):
        if not diagnosis.name:
            continue
        spelled = icd.canonical_spelling(diagnosis.code or "")
        info = icd.lookup(spelled) if spelled else None
        if info is None:
            continue
        said, official = _words(diagnosis.name), _words(info.title)
        if not said:
            continue
        shared = len(said & official) / len(said)
        if shared < 0.6:
            yield (
                ("diagnoses", i, "name"),
                (
                    f"The name '{diagnosis.name}' does not match {info.code}, whose official title "
                    f"is '{info.title}'. Check the code, or write `name: {info.title}`."
                ),
            )


@rule("D006", "primary-unaddressed", "error")
def primary_unaddressed(ctx: PlanContext) -> Iterator[Hit]:
    """No goal reaches the primary diagnosis through its problems.

    The golden thread: diagnosis, problem (`problems[].diagnoses`), goal
    (`goals[].problems`). Some payers block notes whose plan does not
    address the primary diagnosis.

    Why:
    Treatment billed under a diagnosis must be aimed at it; a reviewer
    follows the thread from the diagnosis to the goals.

    Fails:
    problems:
      - {id: P1, statement: ..., diagnoses: [F32.1]}
    goals:
      - {id: G1, problems: [P1], ...}   # primary is F41.1

    Passes:
    problems:
      - {id: P1, statement: ..., diagnoses: [F41.1]}
    goals:
      - {id: G1, problems: [P1], ...}
    """
    for i, diagnosis in ctx.diagnoses_with_role("primary"):
        code = ctx.canonical(diagnosis.code)
        if code and ctx.plan.goals and code not in ctx.codes_reached_by_goals:
            yield (
                ("diagnoses", i, "code"),
                (
                    f"No goal addresses the primary diagnosis {code}: list {code} under a "
                    "problem's `diagnoses:` and that problem under a goal's `problems:`."
                ),
            )


@rule("D007", "secondary-unaddressed", "warning")
def secondary_unaddressed(ctx: PlanContext) -> Iterator[Hit]:
    """A secondary diagnosis is addressed by no problem.

    Why:
    A diagnosis on the plan that nothing in the plan treats raises the
    question of why it is there; either treat it or mark it `historical`.

    Fails:
    diagnoses:
      - {code: F41.1, role: primary}
      - {code: F51.01, role: secondary}   # no problem lists F51.01

    Passes:
    problems:
      - {id: P2, statement: ..., diagnoses: [F51.01]}
    """
    for i, diagnosis in ctx.diagnoses_with_role("secondary"):
        code = ctx.canonical(diagnosis.code)
        if code and code not in ctx.codes_in_problems:
            yield (
                ("diagnoses", i, "code"),
                (
                    f"No problem addresses the secondary diagnosis {code}. Add it to a problem's "
                    "`diagnoses:`, or set `role: historical` if it is not a focus of treatment."
                ),
            )


@rule("D008", "non-mental-health-primary", "warning")
def non_mental_health_primary(ctx: PlanContext) -> Iterator[Hit]:
    """The primary diagnosis is not a mental-health (chapter F) code.

    Why:
    Many payers do not cover a Z code (e.g. Z63.0, relationship distress)
    or a medical code as the primary diagnosis for psychotherapy.

    Fails:
    diagnoses:
      - {code: Z63.0, role: primary}

    Passes:
    diagnoses:
      - {code: F43.23, role: primary}
      - {code: Z63.0, role: secondary}
    """
    for i, diagnosis in ctx.diagnoses_with_role("primary"):
        code = ctx.canonical(diagnosis.code)
        if code and not code.startswith("F") and icd.lookup(code):
            yield (
                ("diagnoses", i, "code"),
                (
                    f"The primary diagnosis {code} is not a mental-health (F) code; many payers "
                    "do not cover it as primary. If an F diagnosis applies, make it primary and "
                    f"list {code} as secondary."
                ),
            )
