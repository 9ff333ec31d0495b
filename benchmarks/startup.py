"""Start-up cost of txplan against a bare interpreter and yamllint, as ratios.

Budgets: `txplan --version` at most 6x `python -c pass` and linting one plan
at most 20x (issue 2); linting one plan with no cache no slower than
yamllint on the same file (issue 15). Runs each command N times interleaved
(so machine noise hits all alike) and reports medians.

The last rows are what every lint of a plan must import before it reads a
byte: pydantic with the plan model, the YAML parser, and the rules. They show
the floor a one-file lint stands on.

    python benchmarks/startup.py [--runs 30] [--txplan PATH] [--yamllint PATH]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from caseload import tool

HERE = Path(__file__).resolve().parent
PLAN = HERE.parent / "tests" / "data" / "plan-format-example.plan.yaml"


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _imports(*modules: str, then: str = "pass") -> list[str]:
    # As the console script runs: pydantic told there are no plug-ins.
    code = "import os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'; " + "; ".join(
        f"import {m}" for m in modules
    )
    return [sys.executable, "-c", f"{code}; {then}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--txplan", default=tool("txplan"))
    parser.add_argument("--yamllint", default=tool("yamllint"))
    args = parser.parse_args()
    plan, today = str(PLAN), ["--today", "2026-02-01"]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "txplan --version": [args.txplan, "--version"],
        "txplan lint (1 plan)": [args.txplan, "lint", plan, *today],
        "txplan lint --no-cache": [args.txplan, "lint", plan, "--no-cache", *today],
        "yamllint (same plan)": [args.yamllint, plan],
        "import pydantic": _imports("pydantic.main"),
        "+ the plan model": _imports("txplan.plan.model"),
        # The rule families load on first use, as a plan's lint asks for them.
        "+ parser and rules": _imports(
            "txplan.plan.model",
            "txplan.plan.loader",
            "txplan.rules",
            then="txplan.rules.registry()",
        ),
    }
    if shutil.which(args.yamllint) is None:
        del commands["yamllint (same plan)"]
    for cmd in commands.values():  # warm the page cache and .pyc files
        _time(cmd)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            samples[name].append(_time(cmd))
    base = statistics.median(samples["python -c pass"])
    yamllint = statistics.median(samples.get("yamllint (same plan)", [0.0]))
    budgets = {"txplan --version": 6.0, "txplan lint (1 plan)": 20.0}
    print(f"{'command':<26}{'median ms':>10}{'x python':>10}{'x yamllint':>12}{'budget':>16}")
    for name, values in samples.items():
        median = statistics.median(values)
        to_yamllint = f"{median / yamllint:>12.2f}" if yamllint else f"{'':>12}"
        mark = ""
        if name in budgets:
            ok = median / base <= budgets[name]
            mark = f"{budgets[name]:>9.0f}x py" + (" ok" if ok else " OVER")
        elif name == "txplan lint --no-cache" and yamllint:
            mark = "   1.0x yl" + (" ok" if median <= yamllint else " OVER")
        print(f"{name:<26}{median * 1000:>10.1f}{median / base:>10.1f}{to_yamllint}{mark}")


if __name__ == "__main__":
    main()
