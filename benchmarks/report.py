"""`txplan report` beside a cold `txplan lint` of the same generated caseload.

The budget (issue: the clinical director's view): 10,000 plans in no more
than the time of a cold lint of the same folder; with a warm cache, a few
seconds at most. Each figure is the median of --runs runs, in fresh
processes, on the caseloads benchmarks/caseload.py generates.

    python benchmarks/report.py [--plans 1000] [--large 10000] [--runs 3] [--git 1000]

--git N also times a caseload of N plans kept in git with two months of
history (all committed in September, a fifth edited in October), where the
trend checks each committed version.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from caseload import TODAY, generate, median_time, timed, tool

WARM_BUDGET = 3.0  # seconds: "a few seconds at most"


def in_git(count: int) -> Path:
    """A generated caseload in a git repository of its own, two months deep."""
    folder = generate(count)
    repo = folder.with_name(f"caseload-git-{count}")
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(folder, repo)

    def git(*args: str, day: str | None = None) -> None:
        env = {**os.environ}
        if day:
            env |= {"GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00"}
        subprocess.run(
            ["git", "-C", str(repo), "-c", "user.name=Bench", "-c", "user.email=b@example.invalid",
             *args], check=True, capture_output=True, env=env,
        )  # fmt: skip

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "the caseload", day="2026-09-15")
    for plan in sorted(repo.glob("*.plan.yaml"))[::5]:
        plan.write_text(plan.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    git("commit", "-q", "-am", "a fifth edited", day="2026-10-15")
    return repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--git", type=int, default=0)
    parser.add_argument("--txplan", default=tool("txplan"))
    args = parser.parse_args()
    print(f"median of {args.runs} runs")
    caseloads = [(count, generate(count)) for count in (args.plans, args.large)]
    if args.git:
        caseloads.append((args.git, in_git(args.git)))
    for count, folder in caseloads:
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
        print(f"  {count} plans{' in git' if (folder / '.git').exists() else ''}")
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
