"""Reading one client's notes out of a plans folder: every file read, only
that client's notes parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from txplan.plan.notes import reader
from txplan.workflow import notes


def _note(folder: Path, client: str, day: str, *, plain: bool = True) -> None:
    where = folder / "notes" / client
    where.mkdir(parents=True, exist_ok=True)
    line = f"client: {client}" if plain else f"client: !!str {client}"
    (where / f"{day}.note.md").write_text(
        f"---\ntxplan_note: 1\n{line}\ndate: {day}\n---\nSession text.\n"
    )


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    seen: list[bytes] = []
    real = reader.read_note
    monkeypatch.setattr(reader, "read_note", lambda raw: seen.append(raw) or real(raw))
    return seen


def test_one_clients_notes_are_the_only_ones_parsed(tmp_path: Path, parsed: list[bytes]) -> None:
    for day in ("2026-01-05", "2026-01-12", "2026-01-19"):
        _note(tmp_path, "C-1042", day)
        _note(tmp_path, "C-1043", day)
    found = notes.NoteFiles(tmp_path).of("C-1042")
    assert [e.note.date.isoformat() for e in found if e.note.date] == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
    ]
    assert len(parsed) == 3 and all(b"C-1042" in raw for raw in parsed)


def test_a_note_whose_client_line_is_not_plain_is_parsed_to_tell(
    tmp_path: Path, parsed: list[bytes]
) -> None:
    _note(tmp_path, "C-1042", "2026-01-05")
    _note(tmp_path, "C-1042", "2026-01-12", plain=False)
    _note(tmp_path, "C-1043", "2026-01-12")
    files = notes.NoteFiles(tmp_path)
    assert len(files.of("C-1042")) == 2 and len(parsed) == 2
    assert files.clients() == {"C-1042", "C-1043"}


def test_notes_by_client_reads_every_client(tmp_path: Path) -> None:
    _note(tmp_path, "C-1042", "2026-01-12")
    _note(tmp_path, "C-1042", "2026-01-05")
    _note(tmp_path, "C-1043", "2026-01-12")
    by_client = notes.notes_by_client(tmp_path)
    assert sorted(by_client) == ["C-1042", "C-1043"]
    assert [e.name.rsplit("/", 1)[-1] for e in by_client["C-1042"]] == [
        "2026-01-05.note.md",
        "2026-01-12.note.md",
    ]
