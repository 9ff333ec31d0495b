"""What the caseload rules keep for thousands of plans: an objective by its
fingerprint, and one message for the many copies that would read the same."""

from __future__ import annotations

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
    path = ("goals", 0, "objectives", 0, "statement")
    return [
        PlanRecord(
            f"C-{i}.plan.yaml", f"C-{i}", Span(), (ObjectiveText("O1.1", print_, Span(), path),)
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
