"""Where outputs go and how they are written: safe file names, atomic writes."""

from __future__ import annotations

import glob
import os
import re
import secrets
import stat
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


TMP_SUFFIX = ".routes-tmp"


def _stale(folder: Path, name: str) -> None:
    """Remove temporary files a killed run left beside ``name`` (their writer is gone)."""
    for leftover in folder.glob(f".{glob.escape(name)}.*{TMP_SUFFIX}"):
        pid = leftover.name[len(name) + 2 : -len(TMP_SUFFIX)].partition("-")[0]
        try:
            os.kill(int(pid), 0)
            continue  # its writer is still running
        except (ValueError, ProcessLookupError):
            pass
        except PermissionError:
            continue  # a live process of another user
        leftover.unlink(missing_ok=True)


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A crash never leaves a half-written file, and a temporary file a killed run left
    behind is removed by the next write to that name. Only the folder the file goes into
    is created (``a/../b/x.html`` creates ``b``, not ``a``). A file replaced keeps its
    mode and group; a new one gets the usual mode (0666 less the umask). An error names
    the path.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    _stale(folder, target.name)
    tmp = folder / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}{TMP_SUFFIX}"
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        old = target.stat()
    except FileNotFoundError:
        old = None
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            if old is not None:
                os.chmod(tmp, stat.S_IMODE(old.st_mode))
                try:
                    os.chown(tmp, -1, old.st_gid)
                except PermissionError:
                    pass  # not a member of that group: the folder's default stands
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as err:
        if err.filename is None:  # e.g. the disk is full: say which file could not be written
            raise OSError(err.errno, err.strerror, str(path)) from err
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
