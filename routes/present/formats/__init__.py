"""Writers of a checked trip: one module per format."""

from __future__ import annotations

__all__ = ["FORMATS", "IMAGE_FORMATS"]

FORMATS = {
    "html": ".html",
    "geojson": ".geojson",
    "kml": ".kml",
    "md": ".md",
    "fragment": ".fragment.html",
    "png": ".png",
    "svg": ".svg",
    "pdf": ".pdf",
}
IMAGE_FORMATS = ("png", "svg", "pdf")  # the printed maps (the print extra)
