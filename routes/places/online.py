"""Optional online lookups through geopy's Nominatim, only when asked (``--online``).

A descriptive user agent, at most one request a second, an on-disk cache, timeouts, and
a clear :class:`~routes.errors.OnlineError` when the network is not there.
"""

from __future__ import annotations

import json
import logging
import math
import time
from pathlib import Path
from typing import Any

from geopy.adapters import URLLibAdapter
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from ..dirs import cache_dir
from ..errors import OnlineError

__all__ = ["NominatimGeocoder"]

log = logging.getLogger(__name__)
USER_AGENT = "routes-rail (open-source verifier of reported rail journeys; python-geopy)"


class NominatimGeocoder:
    """An adapter: ``geocode(query) -> (lat, lon, label) | None``, cached and rate-limited.

    One overall deadline (``deadline`` seconds, from the first request) bounds every
    lookup of a run together: a silent server costs at most that, once, with no retries.
    A cache file that cannot be read as a cache is set aside (renamed ``*.bad``) with a
    warning, and the run carries on without it. ``client`` may be any object with geopy's
    ``geocode(query, exactly_one=True, timeout=...)``; tests pass a fake one so nothing
    touches the network.
    """

    def __init__(
        self,
        client: object | None = None,
        cache: Path | None = None,
        min_interval: float = 1.0,
        timeout: float = 10.0,
        deadline: float = 10.0,
    ) -> None:
        # the standard library's adapter: no retries behind our back, no urllib3 warnings
        self.client: Any = client or Nominatim(user_agent=USER_AGENT, timeout=timeout, adapter_factory=URLLibAdapter)
        self.cache_path = cache or cache_dir() / "nominatim.json"
        self.min_interval = min_interval
        self.timeout = timeout
        self.deadline = deadline
        self._started: float | None = None
        self._last = 0.0
        self._cache = _read_cache(self.cache_path)

    def geocode(self, query: str) -> tuple[float, float, str] | None:
        key = query.strip().casefold()
        if key in self._cache:
            hit = self._cache[key]
            return None if hit is None else (float(hit[0]), float(hit[1]), str(hit[2]))
        now = time.monotonic()
        if self._started is None:
            self._started = now
        left = self.deadline - (now - self._started)
        wait = max(0.0, self.min_interval - (now - self._last))
        if left - wait <= 0.5:
            raise OnlineError(
                f"online lookups ran out of time ({self.deadline:g} s) before '{query[:40]}'; "
                "drop --online to stay offline, or try again later"
            )
        if wait > 0:
            time.sleep(wait)
        try:
            loc = self.client.geocode(query, exactly_one=True, timeout=min(self.timeout, left - wait))
        except (GeopyError, OSError) as err:
            raise OnlineError(
                f"online lookup of '{query[:40]}' failed ({type(err).__name__}); are you offline? "
                "drop --online to stay offline"
            ) from err
        finally:
            self._last = time.monotonic()
        hit = None if loc is None else [float(loc.latitude), float(loc.longitude), str(loc.address)]
        self._cache[key] = hit
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._cache, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.cache_path)
        except OSError as err:
            log.warning("could not write the geocoder cache %s: %s", self.cache_path, err)
        return None if hit is None else (hit[0], hit[1], hit[2])


def _valid_entry(v: Any) -> bool:
    if v is None:
        return True
    return (
        isinstance(v, list)
        and len(v) == 3
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in v[:2])
        and isinstance(v[2], str)
    )


def _read_cache(path: Path) -> dict[str, list | None]:
    """The cache, or an empty one: a missing file is normal; a malformed one is set aside."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        return _set_aside(path, str(err))
    if not isinstance(data, dict) or not all(isinstance(k, str) and _valid_entry(v) for k, v in data.items()):
        return _set_aside(path, "not a cache of lookups")
    return data


def _set_aside(path: Path, why: str) -> dict[str, list | None]:
    bad = path.with_name(path.name + ".bad")
    try:
        path.replace(bad)
        log.warning("the geocoder cache %s was unreadable (%s); set aside as %s", path, why[:80], bad.name)
    except OSError:
        log.warning("the geocoder cache %s was unreadable (%s); not using it", path, why[:80])
    return {}
