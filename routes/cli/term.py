"""Text for a terminal: what a trip file says is shown, never obeyed.

A title holding ``ESC]0;…BEL`` would rename the analyst's terminal window and ``ESC[31m``
recolour it; a right-to-left override would reorder what the reader sees. Every text the
command line prints passes through :func:`visible`, which shows such characters as
escapes (``\\x1b``, ``\\u202e``) instead.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TextIO

__all__ = ["visible", "say", "table", "error_line", "json_text", "MAX_ERROR_CHARS"]

MAX_ERROR_CHARS = 300  # an error is one line a reader takes in at a glance

# C0 and C1 controls, DEL, bidirectional embeddings, overrides and isolates, lone surrogates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: object) -> str:
    r"""``text`` with every control character shown as an escape: one line, inert.

    >>> visible("title\x1b]0;owned\x07 \x1b[31mred\u202e")
    'title\\x1b]0;owned\\x07 \\x1b[31mred\\u202e'
    >>> visible("Хасан → Уссурийск")
    'Хасан → Уссурийск'
    """
    return _UNSAFE.sub(_escape, str(text))


def say(line: object = "", file: TextIO | None = None) -> None:
    """Print one line, made :func:`visible` (a newline inside it is shown, not obeyed)."""
    print(visible(line), file=file or sys.stdout)


def table(rows: Sequence[Sequence[object]], file: TextIO | None = None) -> None:
    """A plain text table: a header row, a rule, then the rows; every cell made visible."""
    cells = [[visible(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    out = file or sys.stdout
    for n, r in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)


def error_line(message: object) -> str:
    """The one line an error prints: visible, and at most :data:`MAX_ERROR_CHARS` long."""
    line = visible(f"routes: error: {message}")
    return line if len(line) <= MAX_ERROR_CHARS else line[: MAX_ERROR_CHARS - 1] + "…"


def json_text(text: str) -> str:
    """JSON output made safe for a terminal: C1 controls and bidi overrides as ``\\u`` escapes
    (``json.dumps`` already escapes C0 controls; the rest is valid JSON either way)."""
    return re.sub("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}", text)
