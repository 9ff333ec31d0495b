"""Build txplan's compact ICD-10-CM index from the simple-icd-10-cm package.

Importing simple_icd_10_cm parses a 9.7 MB XML file and costs about two
seconds, far too slow for every `txplan lint`. This script reads the package's
April 2026 data once and writes one small gzipped TSV per first letter to
src/txplan/data/icd10cm/, which txplan loads lazily (a plan with F codes reads
only F.tsv.gz).

Each line: undotted code, TAB, kind, TAB, official title, where kind is
`b` for a billable code (a category, subcategory or extension with no
children) and `c` for a category or subcategory that has children.
Chapters and blocks (`5`, `F40-F48`) are left out: they are never codes.

Run: python scripts/build_icd_index.py [OUT_DIR]
tests/test_icd.py runs it into a temporary folder and compares, so the
shipped index is always exactly what the package's data says.
"""

from __future__ import annotations

import gzip
import sys
from collections import defaultdict
from pathlib import Path

RELEASE = "April 1, 2026"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "txplan" / "data" / "icd10cm"


def build(out_dir: Path) -> dict[str, int]:
    import simple_icd_10_cm as cm

    by_letter: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for code in cm.get_all_codes(with_dots=False):
        if code in seen:
            continue
        seen.add(code)
        # Not is_chapter_or_block: it is also True for a category that shares
        # its name with a one-category block (F99, B99), which are real codes.
        if not (cm.is_category(code) or cm.is_subcategory(code)):
            continue
        kind = "b" if cm.is_leaf(code) else "c"
        title = " ".join(cm.get_description(code).split())
        by_letter[code[0]].append(f"{code}\t{kind}\t{title}\n")
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for letter, lines in sorted(by_letter.items()):
        # mtime=0 keeps the output byte-identical from run to run.
        with (
            open(out_dir / f"{letter}.tsv.gz", "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz,
        ):
            gz.write("".join(lines).encode("utf-8"))
        counts[letter] = len(lines)
    (out_dir / "RELEASE").write_text(f"ICD-10-CM {RELEASE} (simple-icd-10-cm)\n", encoding="utf-8")
    return counts


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    counts = build(target)
    billable = 0
    for letter in counts:
        with gzip.open(target / f"{letter}.tsv.gz", "rt", encoding="utf-8") as fh:
            billable += sum(1 for line in fh if line.split("\t")[1] == "b")
    print(f"{sum(counts.values())} codes, {billable} billable, in {len(counts)} files -> {target}")
