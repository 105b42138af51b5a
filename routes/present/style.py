"""One palette for every writer: verdict colours and event styles."""

from __future__ import annotations

from typing import Any

__all__ = ["VERDICT_COLOURS", "CLAIM_COLOURS", "KIND_STYLES", "NETWORK_STYLE"]

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
