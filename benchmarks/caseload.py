"""Lint a generated caseload of plans and compare with yamllint.

Budget (issue 2): `txplan lint` over 1,000 plans in at most 0.15x the time
yamllint takes on the same folder in the same run; peak memory linting
1,000 plans at most 2x that of linting one. Issue 5: `txplan due` over the
same 1,000 plans in a couple of seconds.

    python benchmarks/caseload.py [--plans 1000] [--runs 3] [--txplan PATH]

Plans are made from the fictional examples with new client IDs, names and
dates, and in one plan of five a typical flaw, so the rules have work to do.
They are written to benchmarks/out/caseload/ (git-ignored).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
OUT = HERE / "out" / "caseload"
TODAY = "2026-11-22"

FIRST = ["Alex", "Sam", "Jo", "Riley", "Casey", "Robin", "Taylor", "Jamie", "Quinn", "Avery"]
LAST = ["Example", "Sample", "Placeholder", "Fictional", "Testcase", "Demo", "Mock", "Specimen"]
FLAWS = [
    ("review_by: 2027-02-1", "review_by: 2027-05-1"),  # beyond the cycle
    ("role: primary", "role: primry"),  # a typo the schema catches
    ("    client_words:", "    client_wrds:"),  # unknown key
    ("objectives: [O1.1]", "objectives: [O1.9]"),  # a broken link
    ("credentials: LPC", "credentials: LMSW"),  # pre-licensed, no supervisor
]


def generate(count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.plan.yaml"))]
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    shutil.copy(EXAMPLES / "txplan.toml", OUT / "txplan.toml")
    for i in range(count):
        text = rng.choice(sources)
        client_id = f"C-{10000 + i}"
        text = re.sub(r"C-20\d\d", client_id, text)
        text = re.sub(
            r"(\n  name: )[^\n]+", rf"\1{rng.choice(FIRST)} {rng.choice(LAST)}", text, count=1
        )
        if i % 5 == 0:
            old, new = rng.choice(FLAWS)
            text = text.replace(old, new, 1)
        (OUT / f"{client_id}.plan.yaml").write_text(text, encoding="utf-8")
    return OUT


def timed(cmd: list[str]) -> tuple[float, int, int]:
    """Seconds, exit code, and peak RSS (KiB) of the command's processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, done.returncode, peak if peak > before else -1


def peak_rss(cmd: list[str]) -> int:
    """Peak RSS of one command measured in a fresh process (ru_maxrss is a max)."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--txplan", default=shutil.which("txplan") or "txplan")
    parser.add_argument("--yamllint", default=shutil.which("yamllint") or "yamllint")
    args = parser.parse_args()

    folder = generate(args.plans)
    one = str(next(folder.glob("*.plan.yaml")))
    lint = [args.txplan, "lint", str(folder), "--format", "json", "--today", TODAY]
    serial = [*lint, "--jobs", "1"]
    yamllint = [args.yamllint, "-f", "parsable", str(folder)]

    due = [args.txplan, "due", str(folder), "--format", "json", "--today", TODAY]
    txplan_times, serial_times, yamllint_times, due_times = [], [], [], []
    for _ in range(args.runs):
        txplan_times.append(timed(lint)[0])
        serial_times.append(timed(serial)[0])
        yamllint_times.append(timed(yamllint)[0])
        due_times.append(timed(due)[0])
    tx, se, yl = (statistics.median(t) for t in (txplan_times, serial_times, yamllint_times))

    mem_one = peak_rss([args.txplan, "lint", one, "--today", TODAY])
    mem_many = peak_rss(lint)
    mem_many_serial = peak_rss(serial)

    print(f"{args.plans} plans, median of {args.runs} runs")
    print(f"  yamllint (syntax only)        {yl:7.2f} s  {yl / args.plans * 1000:6.1f} ms/plan")
    print(
        f"  txplan lint, all cores        {tx:7.2f} s  {tx / args.plans * 1000:6.1f} ms/plan"
        f"  ratio {tx / yl:.3f} (budget 0.15){' ok' if tx / yl <= 0.15 else ' OVER'}"
    )
    print(
        f"  txplan lint --jobs 1          {se:7.2f} s  {se / args.plans * 1000:6.1f} ms/plan"
        f"  ratio {se / yl:.3f}"
    )
    print(f"  txplan due (reads only dates)  {statistics.median(due_times):7.2f} s")
    print("peak memory (largest process)")
    print(f"  one plan                      {mem_one / 1024:7.1f} MiB")
    print(
        f"  {args.plans} plans, all cores       {mem_many / 1024:7.1f} MiB  "
        f"ratio {mem_many / mem_one:.2f} (budget 2){' ok' if mem_many <= 2 * mem_one else ' OVER'}"
    )
    print(
        f"  {args.plans} plans, --jobs 1        {mem_many_serial / 1024:7.1f} MiB  "
        f"ratio {mem_many_serial / mem_one:.2f}"
    )


if __name__ == "__main__":
    main()
