"""The printed map of a checked trip: PNG, SVG or PDF (needs the ``print`` extra)."""

from __future__ import annotations

import importlib

from ...errors import MissingExtra
from ...model import Report
from ...pipeline.where import WhereAt
from ...routing.rail import RailNetwork
from ..paper import check_dpi, paper_size
from ..scene import build_scene
from . import IMAGE_FORMATS

__all__ = ["to_image", "IMAGE_FORMATS", "PRINT_EXTRA"]

PRINT_EXTRA = 'pip install "routes-rail[print]" (or ".[print]" from a clone)'


def to_image(
    report: Report,
    net: RailNetwork,
    fmt: str,
    size: str = "A4",
    dpi: float = 150,
    prism: WhereAt | None = None,
) -> bytes:
    """The map as ``fmt`` bytes on a page of ``size`` (see :func:`~..paper.paper_size`) at ``dpi``.

    Raises
    ------
    MissingExtra
        matplotlib is not installed; the message names the extra that installs it.
    OptionError
        ``size`` or ``dpi`` is malformed or out of range.
    """
    paper = paper_size(size, dpi)
    check_dpi(dpi, paper)
    try:
        # matplotlib is optional (the print extra) and slow to import: load it only for an image
        static = importlib.import_module("routes.present.static")
    except ModuleNotFoundError as err:
        if (err.name or "").partition(".")[0] != "matplotlib":
            raise
        raise MissingExtra(f"--format {fmt} needs matplotlib, which is not installed: {PRINT_EXTRA}") from err
    scene = build_scene(report, net, prism=prism, basemap=True)
    data: bytes = static.draw_image(scene, fmt, paper, dpi)
    return data
