"""X: rules across the plans linted together. The engine gathers one record
per plan and calls these after every file is read."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from itertools import islice

from txplan.records import ObjectiveText, PlanRecord
from txplan.rules import declare

__all__ = [
    "ObjectiveText",
    "PlanRecord",
    "copied_objectives",
    "duplicate_clients",
    "fingerprint",
    "fold",
]

declare(
    "X001",
    "copied-objective",
    "warning",
    """An objective reads the same as objectives in other clients' plans.

    Texts are compared after folding case, punctuation, numbers and the
    client's name, so "reduce GAD-7 from 15 to 9" and "reduce GAD-7 from 17
    to 8" are the same objective. `copied_objective_clients` in txplan.toml
    (2 by default) sets in how many clients' plans it must appear. Short
    objectives (under six words) are not compared, nor are objectives that
    still hold a placeholder: until the clinician writes it, the text is the
    template's, and C009 reports it.

    Why:
    Copy-paste plans are the first mistake the domain reading names
    (TheraFocus, *How to write treatment plans*) and a red flag for auditors: an objective should be
    written for this client's behavior, baseline and time frame.

    Fails:
    C-1.plan.yaml:  statement: Client will reduce panic attacks from 4 to 1 per week within 12 weeks.
    C-2.plan.yaml:  statement: Client will reduce panic attacks from 6 to 2 per week within 12 weeks.

    Passes:
    C-2.plan.yaml:  statement: Client will drive on the highway for 20 minutes twice a week within 10 weeks.
    """,
)

declare(
    "X002",
    "undocumented-change",
    "warning",
    """Goals, objectives or interventions changed since the last commit, and no new `changes` entry says why.

    Compared with the plan as last committed to git: goals, objectives and
    interventions added, removed or reworded, an objective's measure, or
    what an intervention serves. Status and date updates are progress, not
    changes. Outside a git repository, or for a plan never committed, the
    rule is silent. When git is not installed or fails, lint says in one
    line on stderr that X002 was not checked (the findings set the exit code).

    Why:
    Payers and supervisors expect a plan's revisions to be documented with
    their reason; an unexplained change looks like a plan rewritten to fit
    the notes (TheraFocus, *How to write treatment plans*, when to update a plan).

    Fails:
    goals:
      - id: G3          # added since the last commit
    changes: []

    Passes:
    changes:
      - {date: 2026-03-01, what: Added G3 (return to work), why: Client started job search}
    """,
)

declare(
    "X003",
    "duplicate-client",
    "error",
    """Two plan files carry the same `client.id`.

    Why:
    The client ID names the file and identifies the client across the
    folder; two plans with one ID mean one client has two conflicting
    plans, or a copied plan kept another client's ID.

    Fails:
    C-1042.plan.yaml:  client: {id: C-1042, ...}
    C-1043.plan.yaml:  client: {id: C-1042, ...}

    Passes:
    C-1042.plan.yaml:  client: {id: C-1042, ...}
    C-1043.plan.yaml:  client: {id: C-1043, ...}
    """,
)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?")  # "4-5" is one number
_PUNCT = re.compile(r"[^\w\s#]")
MIN_WORDS = 6


def fold(text: str, names: list[str]) -> str:
    """Case, punctuation, numbers and the client's name folded away."""
    from txplan.clinical import smart

    folded = smart.normalize(text)
    for name in names:
        folded = re.sub(rf"\b{re.escape(name.lower())}\b", "client", folded)
    folded = _NUMBER.sub("#", folded)
    return " ".join(_PUNCT.sub(" ", folded).split())


def fingerprint(text: str, names: list[str]) -> str:
    """What X001 compares: a digest of the folded text, a fifth of its size."""
    return hashlib.blake2b(fold(text, names).encode("utf-8"), digest_size=16).hexdigest()


def copied_objectives(
    records: list[PlanRecord], clients_for: dict[str, int]
) -> Iterator[tuple[PlanRecord, ObjectiveText, str]]:
    """Objectives whose folded text appears in enough clients' plans: one pass
    over all objectives into a table keyed by text, so linear in their number."""
    where: dict[str, list[tuple[PlanRecord, ObjectiveText]]] = {}
    for record in records:
        for objective in record.objectives:
            where.setdefault(objective.fingerprint, []).append((record, objective))
    # Copies of one objective mostly get the same message (the same three
    # others named): kept once, not once for each of thousands of copies.
    messages: dict[str, str] = {}
    for places in where.values():
        per_client = Counter(record.client_id for record, _ in places)
        clients = per_client.keys()
        if len(clients) < 2:
            continue
        elsewhere = (
            "another client's plan"
            if len(clients) == 2
            else f"{len(clients) - 1} other clients' plans"
        )
        # Name at most three other copies: listing all of them for every copy
        # would be quadratic when one template is shared widely. For a copy
        # whose client has none of the first three, they are the first three.
        head = places[:3]
        head_clients = {record.client_id for record, _ in head}
        head_named = [f"{r.file} {o.objective_id}" for r, o in head]
        # The message of a copy whose client is not in the head, by its
        # objective's ID and how many copies its client has.
        for_head: dict[tuple[str, int], str] = {}
        for record, objective in places:
            if len(clients) < clients_for.get(record.file, 2):
                continue
            copies = per_client[record.client_id]
            if record.client_id in head_clients:
                others = [
                    f"{r.file} {o.objective_id}"
                    for r, o in islice((p for p in places if p[0].client_id != record.client_id), 3)
                ]
            else:
                known = for_head.get((objective.objective_id, copies))
                if known is not None:
                    yield record, objective, known
                    continue
                others = head_named
            more = len(places) - copies - len(others)
            shown = ", ".join(others) + (f" and {more} more" if more > 0 else "")
            message = (
                f"Objective {objective.objective_id} reads the same as an objective in {elsewhere} "
                f"({shown}). Write it for this client: their behavior, their baseline, their time frame."
            )
            message = messages.setdefault(message, message)
            if others is head_named:
                for_head[objective.objective_id, copies] = message
            yield record, objective, message


def duplicate_clients(records: list[PlanRecord]) -> Iterator[tuple[PlanRecord, str]]:
    by_id: dict[str, list[PlanRecord]] = {}
    for record in records:
        by_id.setdefault(record.client_id, []).append(record)
    for client_id, same in by_id.items():
        if len(same) < 2:
            continue
        for record in same:
            others = ", ".join(r.file for r in same if r is not record)
            yield (
                record,
                (
                    f"The client ID `{client_id}` is also used by {others}. Each client has one plan "
                    "file; merge the plans or correct the ID."
                ),
            )
