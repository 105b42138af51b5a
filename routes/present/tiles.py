"""Where a map's basemap comes from: a tile server (named, or the user's own), or nothing.

The default page loads tiles from OpenStreetMap's tile server and nothing else;
``none`` loads nothing at all (the bundled Natural Earth outlines are drawn instead); a
URL template uses the user's own tile server, credited with the attribution they give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import OptionError

__all__ = ["TileSource", "OSM", "tile_source"]


@dataclass(frozen=True)
class TileSource:
    """A slippy-map tile server: a ``{z}/{x}/{y}`` URL template and its attribution (plain text)."""

    url: str
    attribution: str
    max_zoom: int = 19

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OptionError(
                f"tile URL {self.url!r} is not an http(s) URL; give e.g. https://tiles.example.org/{{z}}/{{x}}/{{y}}.png"
            )
        if not all(f"{{{k}}}" in self.url for k in "zxy"):
            raise OptionError(
                f"tile URL {self.url!r} lacks {{z}}, {{x}} or {{y}}; e.g. https://HOST/{{z}}/{{x}}/{{y}}.png"
            )
        if re.search(r"[\s\"'<>\\`]", self.url):
            raise OptionError(f"tile URL {self.url!r} has spaces, quotes or angle brackets; percent-encode them")
        if not self.attribution.strip():
            raise OptionError("a tile server needs an attribution; give --tiles-attribution TEXT")

    @property
    def host(self) -> str:
        """The server the page asks for tiles (``{s}`` subdomains shown as written).

        >>> OSM.host
        'tile.openstreetmap.org'
        """
        return urlsplit(self.url).netloc


OSM = TileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors")


def tile_source(spec: str, attribution: str | None = None) -> TileSource | None:
    """``none`` → no tiles; ``osm`` → OpenStreetMap's server; else the user's URL template.

    >>> tile_source("none") is None
    True
    >>> tile_source("https://tiles.example.org/{z}/{x}/{y}.png", "© Example").host
    'tiles.example.org'
    """
    if spec == "none":
        return None
    if spec == "osm":
        return OSM if attribution is None else TileSource(OSM.url, attribution)
    if "://" not in spec:
        raise OptionError(
            f"--tiles {spec!r}: use none, osm, or a URL template such as https://HOST/{{z}}/{{x}}/{{y}}.png"
        )
    return TileSource(spec, attribution if attribution is not None else f"tiles: {urlsplit(spec).netloc}")
