"""How well the SMART rules agree with a supervisor's labels.

Runs S001, S002, S003 and S005 over every statement in
tests/data/smart_corpus.yaml (or in the corpus files given) and prints
precision and recall per code, exact agreement (the share of statements
whose predicted set of these codes equals the expected set), the statements
they disagree on (--verbose), and the time per objective of all eight S
rules. tests/test_smart.py holds S001, S002 and S005, and exact agreement,
at floors just under what the rules reach today.

    python benchmarks/smart_eval.py [--verbose] [--repeat 20] [CORPUS.yaml ...]
    python benchmarks/smart_eval.py --readers

--readers compares the program with the corpus label and two blind second
readers on the statements of tests/data/smart_readers.yaml, and the readers
with each other: how often careful people agree is the ceiling for any
program judged against one of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
CORPUS = DATA / "smart_corpus.yaml"
READERS = DATA / "smart_readers.yaml"
TEXT_CODES = ("S001", "S002", "S003", "S005")
WRITTEN, REVIEW_BY, DUE = dt.date(2026, 1, 12), dt.date(2026, 4, 12), dt.date(2026, 4, 6)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    from ruamel.yaml import YAML

    return list(YAML(typ="safe").load(path.read_text(encoding="utf-8")) or [])


def corpus_context(items: list[dict[str, Any]]) -> Any:
    """One plan holding every corpus statement as an objective of one goal."""
    from txplan.config import Config
    from txplan.plan.model import Plan
    from txplan.rules.context import PlanContext

    objectives = []
    for i, item in enumerate(items):
        objective: dict[str, Any] = {"id": f"O{i}", "statement": item["text"]}
        if item.get("target_date"):
            objective["target_date"] = DUE
        if item.get("measure"):
            objective["measure"] = item["measure"]
        objectives.append(objective)
    plan = Plan.model_validate(
        {
            "txplan": 1,
            "client": {"id": "C-EVAL-1"},
            "written": WRITTEN,
            "review_by": REVIEW_BY,
            "diagnoses": [
                {"code": "F41.1", "role": "primary"},
                {"code": "F33.1", "role": "secondary"},
            ],
            "problems": [{"id": "P1", "statement": "Worry and low mood.", "diagnoses": ["F41.1"]}],
            "goals": [
                {"id": "G1", "problems": ["P1"], "target_date": DUE, "objectives": objectives}
            ],
        }
    )
    return PlanContext(plan, Config(), WRITTEN)


def predictions(ctx: Any) -> dict[int, set[str]]:
    from txplan.rules import REGISTRY

    found: dict[int, set[str]] = {}
    for code in TEXT_CODES:
        check = REGISTRY[code].check
        assert check is not None
        for path, _message in check(ctx):
            found.setdefault(int(path[3]), set()).add(code)
    return found


def exact_agreement(items: list[dict[str, Any]]) -> tuple[float, list[str]]:
    """The share of statements whose predicted codes are exactly the expected
    ones, and the statements where they are not."""
    got = predictions(corpus_context(items))
    wrong = []
    for i, item in enumerate(items):
        expected = set(item.get("expect") or [])
        said = got.get(i, set())
        if said != expected:
            wrong.append(f"expected {sorted(expected)} got {sorted(said)}: {item['text']}")
    return (1 - len(wrong) / len(items) if items else 1.0), wrong


def evaluate(items: list[dict[str, Any]]) -> dict[str, Score]:
    got = predictions(corpus_context(items))
    scores = {code: Score() for code in TEXT_CODES}
    for i, item in enumerate(items):
        expected = set(item.get("expect") or [])
        for code in TEXT_CODES:
            said, truth = code in got.get(i, set()), code in expected
            score = scores[code]
            if said and truth:
                score.tp += 1
            elif said:
                score.fp += 1
                score.misses.append(f"false {code}: {item['text']}")
            elif truth:
                score.fn += 1
                score.misses.append(f"missed {code}: {item['text']}")
    return scores


def time_per_objective(items: list[dict[str, Any]], repeat: int) -> float:
    """Seconds per objective for all eight S rules, over `repeat` rounds."""
    from txplan.rules import REGISTRY

    ctx = corpus_context(items)
    checks = [r.check for c, r in REGISTRY.items() if c.startswith("S") and r.check]
    for check in checks:  # compile the patterns once, as a real run does
        list(check(ctx))
    elapsed = 0.0
    for _ in range(repeat):
        ctx.memo.clear()  # every round reads every statement afresh
        start = time.perf_counter()
        for check in checks:
            list(check(ctx))
        elapsed += time.perf_counter() - start
    return elapsed / (repeat * len(items))


def report(title: str, items: list[dict[str, Any]], verbose: bool) -> None:
    scores = evaluate(items)
    agreement, wrong = exact_agreement(items)
    print(f"{title}: {len(items)} labeled objective statements")
    print(f"{'code':<6}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}")
    for code, s in scores.items():
        print(f"{code:<6}{s.precision:>10.3f}{s.recall:>8.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}")
    print(f"exact agreement: {agreement:.3f} ({len(items) - len(wrong)}/{len(items)})")
    if verbose:
        for line in wrong:
            print("  " + line)


def readers_report(path: Path = READERS) -> None:
    """Exact and per-code agreement between every two of: the corpus label,
    reader a, reader b, and the program."""
    items = load_corpus(path)
    ctx = corpus_context(items)
    program = predictions(ctx)
    labels = {
        "corpus": [set(item["corpus"]) for item in items],
        "a": [set(item["a"]) for item in items],
        "b": [set(item["b"]) for item in items],
        "txplan": [program.get(i, set()) for i in range(len(items))],
    }
    names = list(labels)
    print(f"{path}: {len(items)} statements, each labeled by three readers")
    print(f"{'pair':<18}{'exact':>7}" + "".join(f"{code:>7}" for code in TEXT_CODES))
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            pairs = list(zip(labels[first], labels[second], strict=True))
            exact = sum(x == y for x, y in pairs) / len(pairs)
            per_code = [
                sum((c in x) == (c in y) for x, y in pairs) / len(pairs) for c in TEXT_CODES
            ]
            print(
                f"{first + ' / ' + second:<18}{exact:>7.3f}"
                + "".join(f"{value:>7.3f}" for value in per_code)
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--readers", action="store_true", help="agreement among readers")
    parser.add_argument("corpora", nargs="*", type=Path, help="corpus files (default: ours)")
    args = parser.parse_args()
    if args.readers:
        readers_report()
        return
    paths = args.corpora or [CORPUS]
    everything: list[dict[str, Any]] = []
    for path in paths:
        items = load_corpus(path)
        everything += items
        report(str(path), items, args.verbose)
        print()
    if len(paths) > 1:
        report("all together", everything, False)
    per = time_per_objective(everything, args.repeat)
    print(f"all S rules: {per * 1000:.3f} ms per objective (budget 0.2 ms)")


if __name__ == "__main__":
    main()
