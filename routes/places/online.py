"""Optional online lookups through geopy's Nominatim, only when asked (``--online``).

A descriptive user agent, at most one request a second, an on-disk cache, timeouts, and
a clear :class:`~routes.errors.OnlineError` when the network is not there.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from ..errors import OnlineError

__all__ = ["NominatimGeocoder", "cache_dir"]

log = logging.getLogger(__name__)
USER_AGENT = "routes-rail (open-source verifier of reported rail journeys; python-geopy)"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "routes"


class NominatimGeocoder:
    """An adapter: ``geocode(query) -> (lat, lon, label) | None``, cached and rate-limited.

    ``client`` may be any object with geopy's ``geocode(query, exactly_one=True,
    timeout=...)``; tests pass a fake one so nothing touches the network.
    """

    def __init__(
        self, client: object | None = None, cache: Path | None = None, min_interval: float = 1.0, timeout: float = 10.0
    ) -> None:
        self.client: Any = client or Nominatim(user_agent=USER_AGENT, timeout=timeout)
        self.cache_path = cache or cache_dir() / "nominatim.json"
        self.min_interval = min_interval
        self.timeout = timeout
        self._last = 0.0
        try:
            self._cache: dict[str, list | None] = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._cache = {}

    def geocode(self, query: str) -> tuple[float, float, str] | None:
        key = query.strip().casefold()
        if key in self._cache:
            hit = self._cache[key]
            return None if hit is None else (float(hit[0]), float(hit[1]), str(hit[2]))
        wait = self.min_interval - (time.monotonic() - self._last)
        if wait > 0:
            time.sleep(wait)
        try:
            loc = self.client.geocode(query, exactly_one=True, timeout=self.timeout)
        except (GeopyError, OSError) as err:
            raise OnlineError(
                f"online lookup of '{query}' failed ({type(err).__name__}); are you offline? drop --online to stay offline"
            ) from err
        finally:
            self._last = time.monotonic()
        hit = None if loc is None else [loc.latitude, loc.longitude, loc.address]
        self._cache[key] = hit
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._cache, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.cache_path)
        except OSError as err:
            log.warning("could not write the geocoder cache %s: %s", self.cache_path, err)
        return None if hit is None else (float(hit[0]), float(hit[1]), str(hit[2]))
