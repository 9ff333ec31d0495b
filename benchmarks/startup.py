"""Start-up cost of txplan against a bare interpreter, as ratios.

Budget (issue 2): `txplan --version` at most 6x `python -c pass`; linting one
plan at most 20x. Runs each command N times interleaved (so machine noise
hits all alike) and reports medians.

    python benchmarks/startup.py [--runs 30] [--txplan PATH]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLAN = HERE.parent / "tests" / "data" / "plan-format-example.plan.yaml"


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--txplan", default=shutil.which("txplan") or "txplan")
    args = parser.parse_args()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "txplan --version": [args.txplan, "--version"],
        "txplan lint (1 plan)": [args.txplan, "lint", str(PLAN), "--today", "2026-02-01"],
    }
    for cmd in commands.values():  # warm the page cache and .pyc files
        _time(cmd)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            samples[name].append(_time(cmd))
    base = statistics.median(samples["python -c pass"])
    budgets = {"txplan --version": 6, "txplan lint (1 plan)": 20}
    print(f"{'command':<24}{'median ms':>10}{'ratio':>8}{'budget':>8}")
    for name, values in samples.items():
        median = statistics.median(values)
        budget = budgets.get(name)
        mark = (
            ""
            if budget is None
            else f"{budget:>7}x" + (" ok" if median / base <= budget else " OVER")
        )
        print(f"{name:<24}{median * 1000:>10.1f}{median / base:>8.1f}{mark}")


if __name__ == "__main__":
    main()
