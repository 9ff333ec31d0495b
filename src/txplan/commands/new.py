"""`txplan new`: scaffold <CLIENT_ID>.plan.yaml from a template chosen by diagnosis."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from txplan.commands import ConfigOption, TodayOption, fail, parse_today

# The last line of `txplan new --help`, and docs/cli.md's example.
EXAMPLE = "txplan new C-1042 --diagnosis F41.1 --dir plans"


ClientIdArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="CLIENT_ID", help="The client's ID (never their name): it names the file."
    ),
]
TemplateOption = Annotated[
    str | None,
    typer.Option("--template", "-t", metavar="NAME", help="Template (default: from --diagnosis)."),
]
DiagnosisOption = Annotated[
    str | None,
    typer.Option("--diagnosis", "-d", metavar="CODE", help="ICD-10-CM code, e.g. F41.1."),
]


def new(
    client_id: ClientIdArgument = None,
    template: TemplateOption = None,
    diagnosis: DiagnosisOption = None,
    name: Annotated[
        str | None, typer.Option("--name", metavar="NAME", help="The client's name.")
    ] = None,
    dob: Annotated[
        str | None, typer.Option("--dob", metavar="YYYY-MM-DD", help="Date of birth.")
    ] = None,
    payer: Annotated[
        str | None, typer.Option("--payer", metavar="KEY", help="Payer key in txplan.toml.")
    ] = None,
    clinician: Annotated[
        str | None, typer.Option("--clinician", metavar="NAME", help="Your name.")
    ] = None,
    credentials: Annotated[
        str | None,
        typer.Option("--credentials", metavar="TEXT", help="Your credentials, e.g. LCSW."),
    ] = None,
    folder: Annotated[
        str, typer.Option("--dir", metavar="DIR", help="Plans folder (default: here).")
    ] = ".",
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    list_templates: Annotated[
        bool, typer.Option("--list-templates", help="List the templates and exit.")
    ] = False,
    today: TodayOption = None,
    config: ConfigOption = None,
) -> None:
    """Scaffold a plan from the template for its diagnosis.

    Writes <CLIENT_ID>.plan.yaml, never over an existing file.
    """
    from txplan.workflow import new_plan

    if list_templates:
        sys.stdout.write(new_plan.template_listing())
        return
    if client_id is None:
        fail("give the client's ID, e.g. `txplan new C-1042` (`--list-templates` lists templates).")
    interactive = not no_input and sys.stdin.isatty()
    try:
        result = new_plan.create_plan(
            new_plan.Options(
                client_id=client_id,
                template=template,
                diagnosis=diagnosis,
                name=name,
                dob=dob,
                payer=payer,
                clinician=clinician,
                credentials=credentials,
                folder=folder,
                config=config,
                today=parse_today(today),
            ),
            ask=new_plan.terminal_prompts() if interactive else None,
        )
    except new_plan.Exists as exc:
        from txplan.outputs.terminal import clean

        sys.stderr.write(f"txplan: {clean(str(exc))}\n")
        raise typer.Exit(1) from None
    except new_plan.Refused as exc:
        fail(str(exc))
    from txplan.outputs.terminal import clean_lines

    sys.stdout.write(clean_lines(result) + "\n")
