"""Text echoed to a terminal, made harmless.

Plans, file names and commit subjects are written by people and tools
txplan does not control. An escape sequence (ESC[2J clears the screen, ESC]8
makes a link) or a right-to-left override (U+202E shows `gpj.exe` as
`exe.jpg`) in any of them would act on the reader's terminal instead of
being read. `clean` shows each such character as its code (`\\u202e`), so the
text still says what the file holds.
"""

from __future__ import annotations

import unicodedata

# control characters, format characters (bidi controls, zero-width
# characters) and line or paragraph separators
_HIDDEN = frozenset(("Cc", "Cf", "Zl", "Zp"))


def _shown(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def clean(text: str) -> str:
    """`text` with every control, bidi and invisible character spelled out.
    One line stays one line: a line break is spelled out too."""
    if text.isprintable():
        return text  # the usual case, in one pass
    return "".join(_shown(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def clean_lines(text: str) -> str:
    """Each line of `text` cleaned; the line breaks between them kept."""
    return "\n".join(clean(line) for line in text.split("\n"))
