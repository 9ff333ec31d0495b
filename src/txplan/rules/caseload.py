"""X: rules across the plans linted together. The engine gathers one record
per plan and calls these after every file is read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from txplan.findings import Span
from txplan.rules import declare

declare(
    "X002",
    "undocumented-change",
    "warning",
    """Goals, objectives or interventions changed since the last commit, and no new `changes` entry says why.

    Compared with the plan as last committed to git: goals, objectives and
    interventions added, removed or reworded, an objective's measure, or
    what an intervention serves. Status and date updates are progress, not
    changes. Outside a git repository, or for a plan never committed, the
    rule is silent.

    Why:
    Payers and supervisors expect a plan's revisions to be documented with
    their reason; an unexplained change looks like a plan rewritten to fit
    the notes (shared/seeds/000, when to update a plan).

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


@dataclass(frozen=True)
class PlanRecord:
    """What the caseload rules need to know about one linted plan."""

    file: str
    client_id: str
    id_span: Span


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
                    f"The client ID {client_id} is also used by {others}. Each client has one plan "
                    "file; merge the plans or correct the ID."
                ),
            )
