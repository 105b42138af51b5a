"""Places: resolve names in any spelling or script to gazetteer places with provenance."""

from __future__ import annotations

from .index import Gazetteer, Match, fold, normalize
from .resolvers import default_gazetteer, with_geocoder

__all__ = ["Gazetteer", "Match", "default_gazetteer", "fold", "normalize", "with_geocoder"]
