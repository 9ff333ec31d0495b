"""Write docs/report.png: `txplan report` of examples/, as Chromium shows it.

Run by hand after the page or the examples change (`make report-screenshot`);
tests/test_report.py checks the picture is there and the page it shows still
renders with every section. Uses the headless Chromium the browser tests use.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
# The day the picture is of: the examples' reviews and notes read as of then.
TODAY = "2026-12-04"
SINCE = "2026-11-01"
WIDTH = 1000


def main() -> None:
    from chromium import CHROMIUM, Browser

    if CHROMIUM is None:
        raise SystemExit("chromium is not installed (make browser installs it)")
    with tempfile.TemporaryDirectory() as scratch:
        page = Path(scratch) / "report.html"
        made = subprocess.run(
            [sys.executable, "-m", "txplan", "report", "examples", "--today", TODAY,
             "--since", SINCE, "--no-cache", "-o", str(page)],
            cwd=ROOT, check=False, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if made.returncode not in (0, 2):  # 2: examples/flawed holds plans it names
            raise SystemExit(f"txplan report failed (exit {made.returncode})")
        with Browser(Path(scratch) / "profile") as browser:
            shot = browser.screenshot(page.as_uri(), WIDTH)
    (ROOT / "docs" / "report.png").write_bytes(shot)
    print(f"wrote docs/report.png ({len(shot) // 1024} KiB)")


if __name__ == "__main__":
    main()
