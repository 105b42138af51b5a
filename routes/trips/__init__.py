"""Trip files: read (YAML or JSON) into the model."""

from __future__ import annotations

from .read import example_trip_path, load_trip, parse_time, parse_trip

__all__ = ["example_trip_path", "load_trip", "parse_time", "parse_trip"]
