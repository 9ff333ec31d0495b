"""The `txplan` console script.

`txplan --version` answers before the command-line framework is imported:
typer alone costs several times a bare interpreter start, and version checks
run in scripts and pre-commit hooks where that adds up.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from txplan import __version__

        sys.stdout.write(f"txplan {__version__}\n")
        return
    from txplan.cli import run

    run()


if __name__ == "__main__":
    main()
