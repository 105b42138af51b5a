"""Where outputs go and how they are written: safe file names, atomic writes."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from anyascii import anyascii

from ..errors import RoutesError
from .formats import FORMATS

__all__ = ["slugify", "write_atomic", "output_path"]


def slugify(title: str, max_len: int = 80) -> str:
    """A safe file name stem from a trip title: ASCII letters, digits and hyphens only.

    >>> slugify("Kim Jong-un's train to the Vostochny summit, September 2023")
    'kim-jong-uns-train-to-the-vostochny-summit-september-2023'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    """
    s = anyascii(title).lower().replace("'", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:max_len].rstrip("-") or "trip"


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename,
    so a crash never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def output_path(out: str | None, title: str, fmt: str, cwd: Path | None = None) -> Path:
    """Where to write: ``-o`` as given (a file, or a folder to write into), else ``output/<slug>``."""
    suffix = FORMATS[fmt]
    base = cwd or Path.cwd()
    if out is None:
        return base / "output" / f"{slugify(title)}{suffix}"
    p = Path(out)
    if p.is_dir() or out.endswith(("/", os.sep)):
        return p / f"{slugify(title)}{suffix}"
    if p.suffix == "":
        raise RoutesError(f"output path {out!r} has no file extension; use e.g. {out}{suffix}")
    return p
