"""Keys for comparing names: :func:`normalize` (case, Latin diacritics, apostrophes and
hyphens), :func:`fold` (transliterated, romanisation variants folded) and :func:`plain`
(transliterated, nothing folded: the key typo distances are measured on)."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

__all__ = ["normalize", "fold", "plain"]

_APOSTROPHES = "'’ʼ‘`´ʹʻ\""
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,/()]+")


class _CharMap(dict[int, str]):
    """``str.translate`` table computed per character on first use (a memo of a pure
    function): a Latin letter loses its diacritics, an apostrophe goes, the rest stays."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _APOSTROPHES:
            out = ""
        else:
            d = unicodedata.normalize("NFKD", ch)
            out = d[0] if d and d[0].isascii() and d[0].isalpha() else ch
        self[code] = out
        return out


_CHARS = _CharMap()


def normalize(text: str) -> str:
    """Case, diacritics on Latin letters, apostrophes and hyphens folded; scripts kept.

    >>> normalize("Razdol'noye")
    'razdolnoye'
    >>> normalize("Artëm")
    'artem'
    >>> normalize("Раздольное")
    'раздольное'
    """
    s = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return _SEPARATORS.sub(" ", s.translate(_CHARS)).strip()


_FOLDS = (
    ("yo", "e"),
    ("ye", "e"),
    ("iy", "i"),
    ("ij", "i"),
    ("yi", "i"),
    ("ii", "i"),
    ("eo", "o"),
    ("eu", "u"),
    ("kh", "h"),
    ("sch", "sh"),
    ("yy", "y"),
)


def plain(text: str) -> str:
    """Transliterated to lower-case ASCII letters and digits, nothing else folded.

    >>> plain("Ch'ŏngjin"), plain("Хасан")
    ('chongjin', 'khasan')
    """
    return re.sub(r"[^a-z0-9]", "", anyascii(normalize(text)).lower())


def fold(text: str) -> str:
    """A romanisation-insensitive key: transliterated to ASCII, variants folded, no spaces.

    >>> fold("Ussuriysk") == fold("Ussuriisk") == fold("Ussurijsk") == fold("Уссурийск")
    True
    >>> fold("Tuman-gang") == fold("Tumangang")
    True
    """
    s = plain(text)
    for a, b in _FOLDS:
        s = s.replace(a, b)
    return s
