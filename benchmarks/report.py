"""`txplan report` beside a cold `txplan lint` of the same generated caseload.

The budget (issue: the clinical director's view): 10,000 plans in no more
than the time of a cold lint of the same folder; with a warm cache, a few
seconds at most. Each figure is the median of --runs runs, in fresh
processes, on the caseloads benchmarks/caseload.py generates.

    python benchmarks/report.py [--plans 1000] [--large 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from caseload import TODAY, generate, median_time, timed, tool

WARM_BUDGET = 3.0  # seconds: "a few seconds at most"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--txplan", default=tool("txplan"))
    args = parser.parse_args()
    print(f"median of {args.runs} runs")
    for count in (args.plans, args.large):
        folder = generate(count)
        out = folder.parent / f"report-{count}.html"
        lint = [args.txplan, "lint", str(folder), "--today", TODAY, "--format", "json"]
        report = [args.txplan, "report", str(folder), "--today", TODAY, "-o", str(out)]
        clean = [args.txplan, "clean-cache", str(folder)]
        cold_lint = median_time([*lint, "--no-cache"], args.runs)
        cold_report = median_time([*report, "--no-cache"], args.runs)
        first_report = median_time(report, args.runs, before=clean)
        timed(report)  # the cache filled
        warm_report = median_time(report, args.runs)
        ratio = cold_report / cold_lint
        print(f"  {count} plans")
        print(f"    txplan lint, cold (--no-cache)       {cold_lint:7.3f} s")
        print(
            f"    txplan report, cold (--no-cache)     {cold_report:7.3f} s  "
            f"ratio {ratio:.3f} (budget 1.0){' ok' if ratio <= 1.0 else ' OVER'}"
        )
        print(f"    txplan report, first (cache filled)  {first_report:7.3f} s")
        print(
            f"    txplan report, warm                  {warm_report:7.3f} s  "
            f"(budget {WARM_BUDGET:g} s){' ok' if warm_report <= WARM_BUDGET else ' OVER'}"
        )


if __name__ == "__main__":
    main()
