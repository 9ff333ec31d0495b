"""`txplan note`: scaffold a session note from the plan in force on its date."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from txplan.commands import ConfigOption, TodayOption, fail, parse_date, parse_today

# The last line of `txplan note --help`, and docs/cli.md's example.
EXAMPLE = "txplan note C-1042 --date 2026-02-10 --start 14:00 --end 14:53 --cpt 90837 --dir plans"


def note(
    client_id: Annotated[
        str,
        typer.Argument(metavar="CLIENT_ID", help="The client's ID, as the plan's file is named."),
    ],
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="The session's date (default: today)."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", metavar="HH:MM", help="When the session started.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", metavar="HH:MM", help="When the session ended.")
    ] = None,
    cpt: Annotated[
        str | None,
        typer.Option("--cpt", metavar="CODE", help="CPT code; add-ons after a comma: 90837,90785."),
    ] = None,
    folder: Annotated[
        str, typer.Option("--dir", metavar="DIR", help="Plans folder (default: here).")
    ] = ".",
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """Scaffold a session note from the plan in force on its date.

    Writes notes/<CLIENT_ID>/<DATE>.note.md in the plans folder, never over
    an existing file: the plan's active objectives and their interventions,
    its instruments with the last scores, a risk prompt and the previous
    note's plan carried forward.
    """
    from txplan.workflow import note_scaffold

    now = parse_today(today)
    when = parse_date("--date", on) if on else now
    interactive = not no_input and sys.stdin.isatty()
    ask = None
    if interactive:
        from txplan.workflow.new_plan import terminal_prompts

        ask = terminal_prompts()
    try:
        result = note_scaffold.create_note(
            note_scaffold.Options(
                client_id=client_id,
                date=when,
                today=now,
                start=start,
                end=end,
                cpt=cpt,
                folder=folder,
                config=config,
            ),
            ask=ask,
        )
    except note_scaffold.Exists as exc:
        from txplan.outputs.terminal import clean

        sys.stderr.write(f"txplan: {clean(str(exc))}\n")
        raise typer.Exit(1) from None
    except note_scaffold.Refused as exc:
        fail(str(exc))
    from txplan.outputs.terminal import clean_lines

    sys.stdout.write(clean_lines(result) + "\n")
