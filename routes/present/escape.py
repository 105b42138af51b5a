"""Text made safe for exactly the format it lands in (XML 1.0, Markdown).

HTML needs no helper here: the map puts text in with the browser's ``textContent`` and
the static page escapes with :func:`html.escape`; JSON is escaped by the encoder.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

__all__ = ["xml_text", "xml_attr", "md_cell"]


@lru_cache(maxsize=1)
def _not_xml() -> re.Pattern[str]:
    """What XML 1.0 forbids (it allows TAB, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000
    and up); compiled when first needed, as this class takes 4 ms to compile."""
    return re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: object) -> str:
    """Character data for XML 1.0: markup escaped, characters XML forbids (control
    characters, lone surrogates, U+FFFE/FFFF) replaced by U+FFFD, which any parser reads.

    >>> xml_text("a<b & \\x01c\\x1b")
    'a&lt;b &amp; \\ufffdc\\ufffd'
    """
    # &, < and > as xml.sax.saxutils.escape does (which would import urllib and ssl: 15 ms)
    return html.escape(_not_xml().sub("\ufffd", str(text)), quote=False)


def xml_attr(text: object) -> str:
    """An XML attribute value (double-quoted), as :func:`xml_text` plus quotes."""
    return xml_text(text).replace('"', "&quot;")


def md_cell(text: object) -> str:
    r"""Text for a Markdown table cell: no HTML, no emphasis or links, no table breaks.

    >>> md_cell("<b>a|b</b> *c*")
    '&lt;b&gt;a\\|b&lt;/b&gt; \\*c\\*'
    """
    s = html.escape(str(text), quote=False).replace("\r", " ").replace("\n", " ")
    return re.sub(r"([\\`*_\[\]|{}<>#!~])", r"\\\1", s)
