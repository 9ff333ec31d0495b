"""The `txplan` console script.

Two start-up costs are avoided here, in the program and not in the library:

- `txplan --version` answers before the command-line framework is imported:
  typer alone costs several times a bare interpreter start, and version
  checks run in scripts and pre-commit hooks where that adds up.
- pydantic looks for plug-ins (through importlib.metadata, about 15 ms) the
  first time it builds a model. A txplan run never has any, so the program
  says so through pydantic's documented switch, the environment variable
  PYDANTIC_DISABLE_PLUGINS (unless the user set it). Code that imports
  txplan as a library keeps pydantic's normal behaviour.

One run-time cost is avoided the same way: a lint of a caseload builds
millions of small objects that live until the report (values, their
positions, findings, a cache read back), and CPython's cyclic collector
scans each of them at least once, then again as they age: a tenth to a
sixth of a lint's time, for no memory saved. txplan's data holds no
reference cycles (the loader refuses the one way a plan could make one, an
alias inside its own anchor), and what it frees goes by reference counting:
with the collector off, the peak memory of linting 10,000 plans, and of
1,000 plans with 20,000 notes, is the same to the megabyte
(benchmarks/caseload.py, benchmarks/notes.py). So the program runs without it; code that imports
txplan as a library keeps its collector as it was.
"""

from __future__ import annotations

import os
import sys


def _no_pydantic_plugins() -> None:
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _no_cyclic_collection() -> None:
    import gc

    gc.disable()


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from txplan import __version__

        try:
            sys.stdout.write(f"txplan {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:
            sys.exit(1)  # `| head` closed early: nothing more to say
        except OSError as exc:  # a full disk behind `>`
            sys.stderr.write(f"txplan: cannot write the output ({exc.strerror or exc}).\n")
            sys.exit(2)
        return
    _no_pydantic_plugins()
    _no_cyclic_collection()
    from txplan.cli import run

    run()


if __name__ == "__main__":
    main()
