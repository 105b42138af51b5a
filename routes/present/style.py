"""One palette for every writer: verdict colours, event styles, the network and the basemap,
and the line style and icon of each mode of travel (a leg's colour is its verdict; its
dashes and icon its mode).

The HTML map, the printed maps (PNG, SVG, PDF) and the KML all take their colours from
here; KML's ``aabbggrr`` form is derived by :func:`kml_colour`, never written twice.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "VERDICT_COLOURS",
    "CLAIM_COLOURS",
    "KIND_STYLES",
    "NETWORK_STYLE",
    "ALTERNATIVE_COLOUR",
    "PRISM_COLOUR",
    "BASEMAP_STYLE",
    "BASEMAP_BACKGROUND",
    "kml_colour",
    "MODE_STYLES",
]

VERDICT_COLOURS = {
    "feasible": "#1a9850",
    "tight": "#f28e2b",
    "infeasible": "#d73027",
    "unknown": "#7f7f7f",
}
KIND_STYLES: dict[str, dict[str, Any]] = {
    "arrived": {"color": "#08306b", "fill": True, "radius": 8},
    "departed": {"color": "#4a1486", "fill": True, "radius": 8},
    "at": {"color": "#08519c", "fill": True, "radius": 7},
    "passed": {"color": "#08519c", "fill": False, "radius": 6},
    "expected": {"color": "#6a51a3", "fill": False, "radius": 7, "dash_array": "3 3"},
}

CLAIM_COLOURS = {"supported": "#1a9850", "contradicted": "#d73027", "unverifiable": "#7f7f7f"}
NETWORK_STYLE = {"color": "#9e9e9e", "weight": 2, "opacity": 0.8}
ALTERNATIVE_COLOUR = "#555555"
PRISM_COLOUR = "#6a3d9a"
# the basemap drawn without tiles (Natural Earth outlines): quiet, so the route stands out
BASEMAP_STYLE: dict[str, dict[str, Any]] = {
    "coast": {"color": "#5b7fa6", "weight": 1.2, "fill": ""},
    "border": {"color": "#a0728f", "weight": 1.0, "fill": "", "dash": "6 3"},
    "river": {"color": "#8db7dc", "weight": 1.0, "fill": ""},
    "lake": {"color": "#8db7dc", "weight": 0.8, "fill": "#d6e6f4"},
}
BASEMAP_BACKGROUND = "#fbfaf6"
# per mode: the SVG/Leaflet dash pattern ("" = solid), the line's weight, a one-character
# icon (plain text: the map puts it in with textContent; letters and symbols that common
# fonts, DejaVu included, hold: T train, C car, ✈, ⚓, W walking) and its name in words
MODE_STYLES: dict[str, dict[str, Any]] = {
    "rail": {"dash": "", "weight": 5, "icon": "T", "label": "rail"},
    "road": {"dash": "10 6", "weight": 4, "icon": "C", "label": "road (length estimated)"},
    "air": {"dash": "2 8", "weight": 4, "icon": "\u2708", "label": "air (great-circle arc)"},
    "sea": {"dash": "14 6 2 6", "weight": 4, "icon": "\u2693", "label": "sea (length estimated)"},
    "foot": {"dash": "1 5", "weight": 3, "icon": "W", "label": "on foot (length estimated)"},
    "unknown": {"dash": "8 8", "weight": 3, "icon": "?", "label": "mode unknown (straight line)"},
}


def kml_colour(hex_colour: str, alpha: int = 255) -> str:
    """A ``#rrggbb`` colour in KML's ``aabbggrr`` form.

    >>> kml_colour(VERDICT_COLOURS["feasible"])
    'ff50981a'
    >>> kml_colour("#555555", 0xAA)
    'aa555555'
    """
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"not a #rrggbb colour: {hex_colour!r}")
    return f"{alpha:02x}{h[4:6]}{h[2:4]}{h[0:2]}".lower()
