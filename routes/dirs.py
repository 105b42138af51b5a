"""Where routes keeps files of its own: a cache it can rebuild, and the user's data.

``ROUTES_CACHE_DIR`` and ``ROUTES_DATA_DIR`` override the platform's folders (the tests
set both, so a test run never touches the user's own).
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

import platformdirs

__all__ = ["cache_dir", "data_dir", "write_cache"]

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Files routes can always rebuild (built networks, the world gazetteer's index)."""
    env = os.environ.get("ROUTES_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("routes", appauthor=False))


def data_dir() -> Path:
    """Files only the user can make again (imported networks)."""
    env = os.environ.get("ROUTES_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("routes", appauthor=False))


def write_cache(path: Path, text: str) -> bool:
    """Write a cache file whole or not at all (a temporary file beside it, then a rename).

    A cache only saves time: a folder that cannot be written is logged at debug level and
    the caller carries on without it (False).
    """
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as err:
        log.debug("%s not cached in %s: %s", path.name, path.parent, err)
        tmp.unlink(missing_ok=True)
        return False
    return True
