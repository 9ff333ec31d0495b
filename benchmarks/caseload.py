"""Lint generated caseloads, cold and warm, beside yamllint on the same files.

Budgets:
- issue 2: 1,000 plans in at most 0.15x yamllint's time (issue 15: 0.1x);
  peak memory at most 2x that of one plan.
- issue 15: cold 10k <= 11x cold 1k (linear); warm 10k (the cache) <= 0.1x
  cold; one edited file in 10k <= 0.15x cold; one file <= 1.0x yamllint;
  `due` and `status` on 10k in under a second.

    python benchmarks/caseload.py [--plans 1000 --large 10000] [--runs 3] [--txplan PATH]

Plans are made from the fictional examples with new client IDs, names and
dates, and in one plan of five a typical flaw, so the rules have work to do.
They are written to benchmarks/out/caseload-N/ (git-ignored).
"""

from __future__ import annotations

import argparse
import os
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
    out = OUT.with_name(f"caseload-{count}")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(EXAMPLES / "txplan.toml", out / "txplan.toml")
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
        (out / f"{client_id}.plan.yaml").write_text(text, encoding="utf-8")
    return out


def timed(cmd: list[str]) -> tuple[float, int, int]:
    """Seconds, exit code, and peak RSS (KiB) of the command's processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, done.returncode, peak if peak > before else -1


def tool(name: str) -> str:
    """The command `name` beside this Python (the project's .venv, unactivated)
    before the PATH's."""
    beside = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return shutil.which(name, path=beside) or name


def peak_rss(cmd: list[str]) -> int:
    """Peak RSS of one command measured in a fresh process (ru_maxrss is a max)."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def median_time(cmd: list[str], runs: int, before: list[str] | None = None) -> float:
    """The median seconds of `cmd`, each run after `before` (uncounted)."""
    times = []
    for _ in range(runs):
        if before:
            timed(before)
        times.append(timed(cmd)[0])
    return statistics.median(times)


def _line(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:<34}{seconds:8.3f} s  {note}")


def _verdict(ratio: float, budget: float) -> str:
    return f"ratio {ratio:.3f} (budget {budget}){' ok' if ratio <= budget else ' OVER'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--txplan", default=tool("txplan"))
    parser.add_argument("--yamllint", default=tool("yamllint"))
    args = parser.parse_args()
    runs = args.runs

    small, large = generate(args.plans), generate(args.large)

    def lint(folder: Path | str, *more: str) -> list[str]:
        return [args.txplan, "lint", str(folder), "--format", "json", "--today", TODAY, *more]

    def yamllint(folder: Path | str) -> list[str]:
        return [args.yamllint, "-f", "parsable", str(folder)]

    print(f"median of {runs} runs; {args.plans} and {args.large} generated plans")
    yl_small = median_time(yamllint(small), runs)
    cold_small = median_time(lint(small, "--no-cache"), runs)
    _line(f"yamllint, {args.plans}", yl_small)
    _line(f"txplan lint, {args.plans}, cold", cold_small, _verdict(cold_small / yl_small, 0.1))
    serial = median_time(lint(small, "--no-cache", "--jobs", "1"), runs)
    _line(f"txplan lint, {args.plans}, --jobs 1", serial, f"ratio {serial / yl_small:.3f}")

    yl_large = median_time(yamllint(large), max(1, runs // 3))
    cold_large = median_time(lint(large, "--no-cache"), runs)
    _line(f"yamllint, {args.large}", yl_large)
    growth = cold_large / cold_small
    scale = args.large / args.plans
    _line(
        f"txplan lint, {args.large}, cold",
        cold_large,
        f"{growth:.1f}x the {args.plans} (budget {scale * 1.1:.0f}x)"
        f"{' ok' if growth <= scale * 1.1 else ' OVER'}; "
        f"ratio to yamllint {cold_large / yl_large:.3f}",
    )
    timed(lint(large))  # fill the cache
    warm = median_time(lint(large), runs)
    _line(f"txplan lint, {args.large}, warm", warm, _verdict(warm / cold_large, 0.1))
    edited = next(large.glob("*.plan.yaml"))
    original = edited.read_text(encoding="utf-8")
    touch = [sys.executable, "-c", _TOUCH, str(edited)]
    one_edit = median_time(lint(large), runs, before=touch)
    edited.write_text(original, encoding="utf-8")
    _line(f"txplan lint, {args.large}, one edited", one_edit, _verdict(one_edit / cold_large, 0.15))

    one = str(next(small.glob("*.plan.yaml")))
    yl_one = median_time(yamllint(one), runs * 5)
    tx_one = median_time(lint(one, "--no-cache"), runs * 5)
    tx_one_warm = median_time(lint(one), runs * 5)
    _line("yamllint, one file", yl_one)
    _line("txplan lint, one file, no cache", tx_one, _verdict(tx_one / yl_one, 1.0))
    _line("txplan lint, one file, warm", tx_one_warm, _verdict(tx_one_warm / yl_one, 1.0))

    for command in ("due", "status"):
        cmd = [args.txplan, command, str(large), "--format", "json", "--today", TODAY]
        timed(cmd)  # fill its cache: the budget is for a caseload at rest
        seconds = median_time(cmd, runs)
        _line(
            f"txplan {command}, {args.large}, warm",
            seconds,
            "(budget 1 s)" + (" ok" if seconds <= 1 else " OVER"),
        )

    mem_one = peak_rss(lint(one, "--no-cache"))
    mem_small = peak_rss(lint(small, "--no-cache"))
    mem_large = peak_rss(lint(large, "--no-cache"))
    print("peak memory (largest process)")
    print(f"  one plan                      {mem_one / 1024:7.1f} MiB")
    for label, mem in ((args.plans, mem_small), (args.large, mem_large)):
        print(
            f"  {label} plans, cold            {mem / 1024:7.1f} MiB  "
            f"ratio {mem / mem_one:.2f} (budget 2){' ok' if mem <= 2 * mem_one else ' OVER'}"
        )


# Appends a comment: a real edit, so the plan's findings stay the same.
_TOUCH = (
    "import sys, time; p = sys.argv[1]; "
    "open(p, 'a', encoding='utf-8').write(f'# edited {time.time_ns()}\\n')"
)


if __name__ == "__main__":
    main()
