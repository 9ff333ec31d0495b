"""A progress bar on standard error, for work a clinician waits on.

Shown only on a terminal and only when there is enough work to wait for
(`at_least` items: a caseload, a folder render), and gone when the work is
done, so nothing of it stays in the scrollback or reaches a pipe, a file or
a CI log.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

Item = TypeVar("Item")


def _on_terminal() -> bool:
    try:
        return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # stderr closed or replaced
        return False


@contextlib.contextmanager
def bar(
    total: int, what: str, *, at_least: int, console: Console | None = None
) -> Iterator[Callable[[int], None]]:
    """A function to call with how many items were just done; a bar for
    `total` items while the block runs, when it is worth one."""
    if total < at_least or (console is None and not _on_terminal()):
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        f"txplan: {what}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(what, total=total)
        yield lambda done: progress.advance(task, done)


def tracked(
    items: Sequence[Item], what: str, *, at_least: int, console: Console | None = None
) -> Iterable[Item]:
    """`items`, one by one, with a bar while they are worked through."""
    with bar(len(items), what, at_least=at_least, console=console) as advance:
        for item in items:
            yield item
            advance(1)
