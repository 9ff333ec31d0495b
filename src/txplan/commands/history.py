"""`txplan history`: the plan's committed versions, each summarized in clinical terms."""

from __future__ import annotations

import sys

from txplan.commands import PlanArgument, fail

# The last line of `txplan history --help`, and docs/cli.md's example.
EXAMPLE = "txplan history plans/C-1042.plan.yaml"


def history(
    plan: PlanArgument,
) -> None:
    """The plan's committed versions, each summarized in clinical terms."""
    from pathlib import Path

    from txplan.plan.history import NoHistory, versions

    try:
        found = versions(Path(plan))
    except NoHistory as exc:
        fail(str(exc))
    from txplan.outputs.terminal import clean

    # Commit subjects and authors come from anyone who can commit.
    for version in found:
        line = f"{version.date}  {version.commit}  {version.author}: {version.subject}"
        sys.stdout.write(clean(line) + "\n")
        for change in version.changes:
            sys.stdout.write(f"    {clean(change)}\n")
