"""The keys of a gazetteer's names, :func:`~.text.normalize` and :func:`~.text.fold` of
each, kept in the cache folder between runs.

Folding transliterates: the bundled gazetteer's 2,000 names in Latin, Cyrillic, Hangul
and Chinese take 15 ms at every start, most of it reading the transliteration tables.
The keys are stored under a hash of everything they depend on (the names themselves, the
code of :mod:`.text`, the transliteration tables' version and Python's Unicode database),
so a changed name or rule gets new keys: the cache cannot go stale. An unreadable or
foreign cache file is ignored (and written again); an unwritable cache folder only costs
the time.
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from ..dirs import cache_dir, write_cache
from .text import fold, normalize

__all__ = ["name_keys"]


FEW = 200  # fewer names than this are keyed directly: a file would cost more than it saves
_TEXT = Path(__file__).with_name("text.py")


def _digest(names: Sequence[str]) -> str:
    h = hashlib.sha256()
    tables = getattr(sys.modules.get("anyascii"), "__version__", "")
    h.update(f"name keys 1\0anyascii {tables}\0unicode {unicodedata.unidata_version}\0".encode())
    h.update(_TEXT.read_bytes())
    h.update("\0".join(names).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _read(path: Path, n: int) -> list[tuple[str, str]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, list) or len(data) != n:
        return None
    keys = [(x[0], x[1]) for x in data if isinstance(x, list) and len(x) == 2 and all(isinstance(k, str) for k in x)]
    return keys if len(keys) == n else None


def name_keys(names: Sequence[str]) -> list[tuple[str, str]]:
    """``(normalize(name), fold(name))`` of each name, in order."""
    if len(names) < FEW:
        return [(normalize(n), fold(n)) for n in names]
    path = cache_dir() / "names" / f"{_digest(names)[:32]}.json"
    keys = _read(path, len(names))
    if keys is not None:
        return keys
    keys = [(normalize(n), fold(n)) for n in names]
    write_cache(path, json.dumps(keys))
    return keys
