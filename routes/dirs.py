"""Where routes keeps files of its own: a cache it can rebuild, and the user's data.

``ROUTES_CACHE_DIR`` and ``ROUTES_DATA_DIR`` override the platform's folders (the tests
set both, so a test run never touches the user's own).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["cache_dir", "data_dir"]


def cache_dir() -> Path:
    """Files routes can always rebuild (built networks, the world gazetteer's index)."""
    env = os.environ.get("ROUTES_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("routes", appauthor=False))


def data_dir() -> Path:
    """Files only the user can make again (imported networks)."""
    env = os.environ.get("ROUTES_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("routes", appauthor=False))
