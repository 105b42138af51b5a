"""Page sizes and label placement for the printed maps: plain arithmetic, no drawing library.

:func:`paper_size` reads ``--size``; :func:`place_labels` puts each event's label beside
its mark where it overlaps no other label, no mark and no edge of the map.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import OptionError

__all__ = ["Paper", "paper_size", "check_dpi", "Box", "place_labels"]

MM_PER_INCH = 25.4
_NAMED = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0), "LETTER": (215.9, 279.4)}


@dataclass(frozen=True)
class Paper:
    """A page in millimetres."""

    width_mm: float
    height_mm: float

    @property
    def inches(self) -> tuple[float, float]:
        return self.width_mm / MM_PER_INCH, self.height_mm / MM_PER_INCH

    def pixels(self, dpi: float) -> tuple[int, int]:
        """The size of the PNG at ``dpi`` (rounded to whole pixels, as the image is).

        >>> paper_size("A4").pixels(150)
        (1240, 1754)
        """
        w, h = self.inches
        return round(w * dpi), round(h * dpi)


def paper_size(spec: str, dpi: float = 150) -> Paper:
    """``A4``, ``A5``, ``A3``, ``letter`` (portrait; add ``-landscape`` to turn), ``WIDTHxHEIGHT``
    in millimetres, or ``WIDTHxHEIGHTpx`` in pixels at ``dpi``.

    >>> paper_size("A5")
    Paper(width_mm=148.0, height_mm=210.0)
    >>> paper_size("A4-landscape")
    Paper(width_mm=297.0, height_mm=210.0)
    >>> paper_size("1600x1000px", dpi=200).pixels(200)
    (1600, 1000)
    """
    text = spec.strip()
    name, _, turn = text.upper().partition("-")
    if name in _NAMED and turn in ("", "LANDSCAPE", "PORTRAIT"):
        w, h = _NAMED[name]
        return Paper(h, w) if turn == "LANDSCAPE" else Paper(w, h)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)\s*(mm|px)?", text)
    if not m:
        raise OptionError(
            f"--size {spec!r}: use A4, A5, A4-landscape, WIDTHxHEIGHT in mm (180x120) or pixels (1600x1000px)"
        )
    w, h = float(m.group(1)), float(m.group(2))
    if m.group(3) == "px":
        w, h = w / dpi * MM_PER_INCH, h / dpi * MM_PER_INCH
    if not (50 <= w <= 2000 and 50 <= h <= 2000):
        raise OptionError(f"--size {spec!r}: each side must be 50 to 2000 mm (at {dpi:g} dpi for pixels)")
    return Paper(w, h)


def check_dpi(dpi: float, paper: Paper) -> float:
    """A resolution from 50 to 1200 dpi, and at most 100 million pixels on the page."""
    if not (50 <= dpi <= 1200):
        raise OptionError(f"--dpi {dpi:g}: use 50 to 1200 (150 suits print, 300 a press)")
    w, h = paper.pixels(dpi)
    if w * h > 100_000_000:
        raise OptionError(f"--dpi {dpi:g} at this size makes {w}x{h} pixels; lower --dpi or --size")
    return dpi


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in page units (x to the right, y up)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, o: Box) -> bool:
        return self.x0 < o.x1 and o.x0 < self.x1 and self.y0 < o.y1 and o.y0 < self.y1

    def inside(self, o: Box) -> bool:
        return o.x0 <= self.x0 and self.x1 <= o.x1 and o.y0 <= self.y0 and self.y1 <= o.y1


# where a label may go around its mark, in order of preference: right, left, above, below,
# the four diagonals, then the same further out
_DIRS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))


def place_labels(
    points: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    radius: float,
    frame: Box,
    obstacles: Sequence[Box] = (),
) -> list[Box]:
    """A box for each label (``sizes``: width, height) beside its point, overlapping no other
    label, no mark (a square of ``radius`` around each point), no obstacle, and inside ``frame``.

    Positions are tried close first, then further out (up to 12 radii); a label that fits
    nowhere takes the candidate overlapping least, so every event keeps its label (the
    drawing then joins it to its mark with a leader line). Deterministic: the same input
    gives the same boxes.

    >>> boxes = place_labels([(0, 0), (1, 0)], [(10, 4), (10, 4)], 1, Box(-50, -50, 50, 50))
    >>> boxes[0].overlaps(boxes[1])
    False
    """
    marks = [Box(x - radius, y - radius, x + radius, y + radius) for x, y in points]
    placed: list[Box] = []
    for n, ((x, y), (w, h)) in enumerate(zip(points, sizes)):
        best: tuple[float, Box] | None = None
        for reach in (1.4, 3, 5, 8, 12):
            gap = radius * reach
            for dx, dy in _DIRS:
                cx = x + dx * (gap + w / 2) if dx else x
                cy = y + dy * (gap + h / 2) if dy else y
                box = Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                clash = sum(_area(box, o) for o in (*placed, *obstacles))
                clash += sum(_area(box, m) for k, m in enumerate(marks) if k != n)
                if not box.inside(frame):
                    clash += w * h
                if best is None or clash < best[0]:
                    best = (clash, box)
                if clash == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        placed.append(best[1])
    return placed


def _area(a: Box, b: Box) -> float:
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))
