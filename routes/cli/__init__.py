"""The ``routes`` command line: a thin layer over :mod:`routes.api`."""

from __future__ import annotations

from .app import main

__all__ = ["main"]
