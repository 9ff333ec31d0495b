"""`txplan rule`: list the rules, or explain one: what it checks, why, and examples."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from txplan.commands import NoColorOption, complete_rule_codes, fail

# The last line of `txplan rule --help`, and docs/cli.md's example.
EXAMPLE = "txplan rule S005"


def rule(
    code: Annotated[
        str | None,
        typer.Argument(
            autocompletion=complete_rule_codes, metavar="CODE", help="A rule code (S002) or name."
        ),
    ] = None,
    no_color: NoColorOption = False,
) -> None:
    """List the rules, or explain one.

    A rule's page says what it checks, why it matters, and an example that
    fails with what to write instead.
    """
    from txplan.outputs.rule_docs import explain, listing
    from txplan.rules import REGISTRY, by_code_or_name

    if code is None:
        sys.stdout.write(listing(REGISTRY.values()))
        return
    found = by_code_or_name(code)
    if found is None:
        import difflib

        names = [*REGISTRY, *(r.name for r in REGISTRY.values())]
        close = difflib.get_close_matches(code, names, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]}?" if close else ""
        fail(f"no rule '{code}'.{hint} `txplan rule` lists them all.")
    sys.stdout.write(explain(found))
