"""F: the file itself. F001-F003 and F005 are raised while reading (loader.py,
validate.py), F006 and F008 by the engine; F004 and F007 look at the validated plan
(F007 at the file's name too)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from txplan.clinical import instruments
from txplan.findings import YamlPath
from txplan.plan import identity
from txplan.plan.files import PLAN_SUFFIX
from txplan.rules import Hit, declare, rule
from txplan.rules.context import PlanContext

declare(
    "F001",
    "yaml-syntax",
    "error",
    """The file is not valid YAML (or not text at all).

    Points at the line and column where the YAML parser stopped. The most
    common cause in a plan is a colon followed by a space inside plain text
    ("Goal: sleep better"), which YAML reads as a new key. Files over 1 MiB,
    binary files, text that is not UTF-8 and files that expand through
    aliases (`*name`) to more than 50,000 values are reported here too.

    Why:
    A file txplan cannot read is a plan no auditor can read either; nothing
    else can be checked until it parses.

    Fails:
    problems:
      - id: P1
        statement: Worry: most days, sleep 4-5 hours

    Passes:
    problems:
      - id: P1
        statement: "Worry: most days, sleep 4-5 hours"
    """,
)

declare(
    "F003",
    "format-version",
    "error",
    """`txplan` (the format number) is missing or not one txplan knows.

    A file named on the command line that is not a plan at all (txplan.toml,
    a Markdown note, a JSON file, YAML without a `txplan:` key such as
    .pre-commit-config.yaml) is reported here as what it is, not as empty.

    Why:
    The format number lets later versions of txplan read old plans
    correctly instead of silently reinterpreting them.

    Fails:
    client: {id: C-1042}

    Passes:
    txplan: 1
    client: {id: C-1042}
    """,
)

declare(
    "F005",
    "duplicate-key",
    "error",
    """A mapping repeats a key.

    Most YAML readers silently keep only one of the two values, so half of
    what was written disappears. txplan keeps the first and reports the
    second.

    Why:
    A second `objectives:` under one goal hides the first set from every
    reader of the plan.

    Fails:
    goals:
      - id: G1
        statement: Reduce panic attacks.
        statement: Return to driving.

    Passes:
    goals:
      - id: G1
        statement: Reduce panic attacks and return to driving.
    """,
)

declare(
    "F006",
    "unused-suppression",
    "warning",
    """A `# txplan: ignore[CODE] reason` comment that suppresses nothing, or has no reason.

    A suppression applies to findings on its own line or the line below
    it, must name the codes it silences, and must say why: the reason is
    what a supervisor or auditor reads. One without a reason does not
    suppress anything.

    Why:
    Stale suppressions hide future findings; unexplained ones look like
    hiding problems from a reviewer.

    Fails:
    # txplan: ignore[S002]
    review_by: 2026-04-12

    Passes:
    # txplan: ignore[R002] payer granted a 120-day cycle by letter of 2026-01-05
    review_by: 2026-05-10
    """,
)


@rule("F002", "schema", "error")
def schema(ctx: PlanContext) -> Iterator[Hit]:
    """A value has the wrong type, an unknown key, a bad choice or a bad date.

    Unknown keys come with a "did you mean" (a typo must never make a field
    silently vanish); choices such as `role` or `status` list the allowed
    words; dates must be real calendar dates written YYYY-MM-DD; times are
    "HH:MM", quoted; an NPI is 10 digits; a number must be finite (`.inf`,
    `.nan` and numbers beyond 1e308 such as 1e400 are reported wherever they
    stand, and never reach JSON or FHIR output). Instrument names in `measures`
    and in objectives' `measure` must be instruments txplan knows (PHQ-9,
    GAD-7, PCL-5, AUDIT, AUDIT-C, DAST-10, EPDS, Y-BOCS, ISI) or ones
    declared in txplan.toml, and scores must lie in the instrument's range.

    Why:
    A misspelled `review_by` is a plan with no review date that looks fine
    to the eye. The format is a contract (the plan format: `txplan schema`).

    Fails:
    reveiw_by: 2026-13-01
    measures:
      - {instrument: PHQ9-A, date: 2026-01-12, score: 31}

    Passes:
    review_by: 2026-04-12
    measures:
      - {instrument: PHQ-9, date: 2026-01-12, score: 17}
    """
    # Types, keys and dates are checked while the plan loads (validate.py);
    # what needs the folder's settings, the instrument catalog, is here.
    for i, score in enumerate(ctx.plan.measures):
        yield from _instrument_value(ctx, ("measures", i), score.instrument, score.score, "score")
    for path, _goal, objective in ctx.objectives():
        measure = objective.measure
        if measure is not None:
            yield from _instrument_value(
                ctx, (*path, "measure"), measure.instrument, measure.baseline, "baseline"
            )


def _instrument_value(
    ctx: PlanContext, path: YamlPath, name: str | None, value: float | None, field: str
) -> Iterator[Hit]:
    if not name:
        return
    found = instruments.find(name, ctx.config)
    if found is None:
        close = instruments.suggest(name, ctx.config)
        hint = f"Did you mean `{close}`? " if close else ""
        yield (
            (*path, "instrument"),
            (
                f"`{name}` is not an instrument txplan knows. {hint}Known: "
                f"{', '.join(instruments.known_names(ctx.config))}; declare others in txplan.toml "
                f"under [instruments.NAME] with min and max."
            ),
        )
    elif value is not None and not found.low <= value <= found.high:
        yield (
            (*path, field),
            (
                f"{value:g} is outside {found.name}'s range ({found.shown_range()}). Check the "
                "score; a total above the maximum usually means a typo or a different instrument."
            ),
        )


_ID_KINDS = ("problems", "goals", "interventions")


@rule("F004", "duplicate-id", "error")
def duplicate_id(ctx: PlanContext) -> Iterator[Hit]:
    """An id (or diagnosis code) is used twice within its kind.

    Problems, goals, objectives (across all goals), interventions and
    diagnosis codes must each be unique, because links name them by id.

    Why:
    With two objectives called O1.1, an intervention that serves "O1.1"
    serves either or both: the golden thread breaks without anyone noticing.

    Fails:
    problems:
      - {id: P1, statement: ..., diagnoses: [F41.1]}
      - {id: P1, statement: ..., diagnoses: [F41.1]}

    Passes:
    problems:
      - {id: P1, statement: ..., diagnoses: [F41.1]}
      - {id: P2, statement: ..., diagnoses: [F41.1]}
    """
    plan = ctx.plan
    for kind in _ID_KINDS:
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(plan, kind)):
            if item.id is None:
                continue
            if item.id in seen:
                yield (
                    (kind, i, "id"),
                    (
                        f"The id {item.id} is already used by {kind}[{seen[item.id]}]. "
                        f"Give this one its own id (e.g. the next number) and update the links to it."
                    ),
                )
            else:
                seen[item.id] = i
    seen_objectives: dict[str, str] = {}
    for path, _goal, objective in ctx.objectives():
        if objective.id is None:
            continue
        if objective.id in seen_objectives:
            yield (
                (*path, "id"),
                (
                    f"The objective id {objective.id} is already used at "
                    f"{seen_objectives[objective.id]}. Objective ids must be unique across all "
                    "goals (`txplan new` writes O<goal>.<n>, e.g. O2.1)."
                ),
            )
        else:
            seen_objectives[objective.id] = f"goals[{path[1]}].objectives[{path[3]}]"
    seen_codes: dict[str, int] = {}
    for i, diagnosis in enumerate(plan.diagnoses):
        code = ctx.canonical(diagnosis.code)
        if not code:
            continue
        if code in seen_codes:
            yield (
                ("diagnoses", i, "code"),
                (
                    f"The diagnosis {code} is listed twice (also diagnoses[{seen_codes[code]}]). "
                    "Keep one entry and merge what the two say."
                ),
            )
        else:
            seen_codes[code] = i


declare(
    "F008",
    "unread-file",
    "warning",
    """A file in the folder looks like a plan but is not named `*.plan.yaml`, so it was not read.

    A folder lint reads only files ending in `.plan.yaml`. A `*.plan.yml`
    file, or a `*.yaml`/`*.yml` file whose first lines hold a `txplan:` key
    (or `client:` with `goals:`), is reported at its first line instead of
    being skipped in silence. Settings (txplan.toml), the pre-commit
    configuration, plan.schema.json and other YAML are never reported. Name
    the file on the command line to lint it as it is.

    Why:
    A plan no one checks looks exactly like a plan that passed: a review
    date long gone or a missing signature would go unnoticed until an
    audit.

    Fails:
    C-1042.plan.yml:   txplan: 1
                       client: {id: C-1042, ...}

    Passes:
    C-1042.plan.yaml:  txplan: 1
                       client: {id: C-1042, ...}
    """,
)


@rule("F007", "file-name-mismatch", "warning")
def file_name_mismatch(ctx: PlanContext) -> Iterator[Hit]:
    """The file's name is not the plan's client ID.

    A plan is `<client-id>.plan.yaml`, so the file can be found by the ID
    and its name never gives away who the client is. A `.plan.yml` file is
    reported too: folder scans skip it. Other files are not judged (txplan
    lints a file named on the command line whatever its name).

    Why:
    A file named after the client (`ana-beltran.plan.yaml`) shows the
    client's name in every listing, commit and backup; a file named after
    another ID is the wrong client's plan as far as anyone looking for it
    can tell.

    Fails:
    # in C-1043.plan.yaml
    client: {id: C-1042}

    Passes:
    # in C-1042.plan.yaml
    client: {id: C-1042}
    """
    base = os.path.basename(ctx.file)
    client = ctx.plan.client
    if base.endswith(".plan.yml"):
        # Linted when named, but a folder scan skips it (F008): say so on commit.
        found = f"The file is named `{base}`; plans are `.plan.yaml` files, and "
        found += "`txplan lint FOLDER`, `due` and `status` skip this one."
    elif not base.endswith(PLAN_SUFFIX) or base[: -len(PLAN_SUFFIX)] == client.id:
        return
    else:
        found = f"The file is named `{base}` but holds the plan of client `{client.id}`."
    if base == f"{client.id}.plan.yml":
        advice = f"Rename it `{client.id}{PLAN_SUFFIX}`."
    elif identity.identifying(client.id, client.name, client.dob):
        # Never advise naming the file by an ID that gives the client away (C014).
        advice = "The ID itself identifies the client (C014): give the client an opaque ID "
        advice += "such as C-1042 and name the file by it."
    else:
        advice = (
            f"Name the file by the client ID, never by a name: `{client.id}{PLAN_SUFFIX}` "
            "(or correct the ID if the file name is right)."
        )
    yield ("client", "id"), f"{found} {advice}"
