"""What the caseload rules keep for thousands of plans: an objective by its
fingerprint, and one message for the many copies that would read the same."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from txplan.findings import Span
from txplan.records import ObjectiveText, PlanRecord
from txplan.rules.caseload import copied_objectives, fingerprint, fold

STATEMENT = "Client will reduce panic attacks from 4 to 1 per week within 12 weeks."


def test_a_fingerprint_is_equal_where_the_folded_text_is() -> None:
    same = "Maria will reduce panic attacks from 6 to 2 per week within 12 weeks!"
    other = "Client will drive on the highway for 20 minutes twice a week within 10 weeks."
    assert fold(STATEMENT, []) == fold(same, ["Maria"])
    assert fingerprint(STATEMENT, []) == fingerprint(same, ["Maria"])
    assert fingerprint(STATEMENT, []) != fingerprint(other, [])
    assert len(fingerprint(STATEMENT, [])) < len(fold(STATEMENT, []))


def _records(count: int) -> list[PlanRecord]:
    print_ = fingerprint(STATEMENT, [])
    return [
        PlanRecord(
            f"C-{i}.plan.yaml", f"C-{i}", Span(), (ObjectiveText("O1.1", print_, Span(), 0, 0),)
        )
        for i in range(count)
    ]


def test_copies_that_read_the_same_share_one_message() -> None:
    found = list(copied_objectives(_records(200), {}))
    assert len(found) == 200
    messages = [message for _, _, message in found]
    # The first copies name other plans than the rest do; the rest, all alike,
    # are one string.
    assert len({id(m) for m in messages}) == len(set(messages)) <= 4
    assert "199 other clients' plans" in messages[-1]
    assert "C-0.plan.yaml O1.1" in messages[-1]


def _reference(
    records: list[PlanRecord], clients_for: dict[str, int]
) -> list[tuple[str, str, str]]:
    """X001's messages as first written: each copy's three others looked up
    afresh. The rule's shortcuts must give exactly these."""
    from collections import Counter
    from itertools import islice

    where: dict[str, list[tuple[PlanRecord, ObjectiveText]]] = {}
    for record in records:
        for objective in record.objectives:
            where.setdefault(objective.fingerprint, []).append((record, objective))
    out = []
    for places in where.values():
        per_client = Counter(record.client_id for record, _ in places)
        clients = per_client.keys()
        if len(clients) < 2:
            continue
        for record, objective in places:
            if len(clients) < clients_for.get(record.file, 2):
                continue
            others = [
                f"{r.file} {o.objective_id}"
                for r, o in islice((p for p in places if p[0].client_id != record.client_id), 3)
            ]
            more = len(places) - per_client[record.client_id] - len(others)
            shown = ", ".join(others) + (f" and {more} more" if more > 0 else "")
            elsewhere = (
                "another client's plan"
                if len(clients) == 2
                else f"{len(clients) - 1} other clients' plans"
            )
            out.append(
                (
                    record.file,
                    objective.objective_id,
                    f"Objective {objective.objective_id} reads the same as an objective in "
                    f"{elsewhere} ({shown}). Write it for this client: their behavior, their "
                    "baseline, their time frame.",
                )
            )
    return out


_PLANS = st.lists(
    st.tuples(
        st.sampled_from(["C-1", "C-2", "C-3", "C-4", "C-5", "C-6"]),  # the client
        st.lists(
            st.tuples(st.sampled_from(["O1.1", "O1.2", "O2.1"]), st.sampled_from("abc")),
            max_size=4,
        ),
    ),
    max_size=14,
)


@settings(max_examples=300, deadline=None)
@given(plans=_PLANS, threshold=st.integers(2, 4))
def test_copied_objectives_names_the_others_as_a_fresh_look_would(
    plans: list[tuple[str, list[tuple[str, str]]]], threshold: int
) -> None:
    records = [
        PlanRecord(
            f"{client}-{i}.plan.yaml",
            client,
            Span(),
            tuple(ObjectiveText(oid, text * 32, Span(), 0, 0) for oid, text in objectives),
        )
        for i, (client, objectives) in enumerate(plans)
    ]
    clients_for = {record.file: threshold for record in records[::2]}
    found = [
        (record.file, objective.objective_id, message)
        for record, objective, message in copied_objectives(records, clients_for)
    ]
    assert found == _reference(records, clients_for)


def test_x001_takes_its_severity_and_selection_from_the_settings(plans: Path) -> None:
    # X001 works out its severity once per txplan.toml, beside with_severity:
    # it must still follow `[severity]` and `ignore`.
    from conftest import example_text, lint_dir

    copies = {
        "C-1042.plan.yaml": example_text(),
        "C-2000.plan.yaml": example_text().replace("C-1042", "C-2000"),
    }
    found = lint_dir(plans, copies)
    assert {f.severity.value for f in found.findings if f.code == "X001"} == {"warning"}
    found = lint_dir(plans, copies, config='[severity]\nX001 = "error"\n')
    assert {f.severity.value for f in found.findings if f.code == "X001"} == {"error"}
    found = lint_dir(plans, copies, config='ignore = ["X001"]\n')
    assert not [f for f in found.findings if f.code == "X001"]
