"""The printed map: PNG, SVG or PDF of a :class:`~.scene.Scene`, drawn with matplotlib.

Needs the ``print`` extra (``pip install "routes-rail[print]"``). The same scene the HTML
map draws, on the bundled Natural Earth outlines: the route coloured by verdict with
direction marks, numbered events labelled where they overlap nothing, a scale bar, a
north arrow, a legend with the claim verdicts, the title and the attribution line.

Every text is drawn as plain text (matplotlib's mathtext is off: a ``$`` in a trip stays a
``$``); in SVG, text stays text (``<text>`` elements), in PDF it is embedded TrueType, so
both can be searched and copied. The same scene gives the same bytes: no dates, no
random ids in the files.
"""

from __future__ import annotations

import io
import logging
import math
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Polygon, Rectangle

from ..geo import geodesic_km
from .paper import Box, Paper, place_labels
from .scene import Scene
from .style import BASEMAP_BACKGROUND, BASEMAP_STYLE, MODE_STYLES, NETWORK_STYLE

__all__ = ["draw_image", "layout", "IMAGE_FORMATS"]

log = logging.getLogger(__name__)
# fonts with the Korean, Chinese and Japanese glyphs DejaVu Sans lacks, used when installed
_FALLBACK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "UnDotum")

IMAGE_FORMATS = ("png", "svg", "pdf")
_RC: dict[str, Any] = {
    "svg.fonttype": "none",  # text as <text>, not paths
    "svg.hashsalt": "routes",  # ids from a fixed salt, not a random one
    "pdf.fonttype": 42,  # TrueType: text a reader can extract
    "text.parse_math": False,
    "path.simplify": True,
}
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}
_PT = 1 / 72  # inch per point


def draw_image(scene: Scene, fmt: str, paper: Paper, dpi: float) -> bytes:
    """The scene as ``fmt`` (png, svg or pdf) on a page of ``paper`` at ``dpi``."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"not an image format: {fmt}")
    with matplotlib.rc_context(_rc()), warnings.catch_warnings(record=True) as caught:  # type: ignore[arg-type]
        warnings.simplefilter("always")
        fig, _ = layout(scene, paper, dpi)
        out = io.BytesIO()
        fig.savefig(out, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    missing = sorted({str(w.message).split(" (", 1)[0] for w in caught if "missing from font" in str(w.message)})
    if missing:
        log.warning(
            "the %s draws %d characters as boxes: no installed font has them (an SVG keeps them as text); "
            "install one that does, e.g. Debian's fonts-noto-cjk",
            fmt.upper(),
            len(missing),
        )
    for w in caught:
        if "missing from font" not in str(w.message):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return out.getvalue()


@lru_cache(maxsize=1)
def _rc() -> dict[str, Any]:
    installed = {f.name for f in fontManager.ttflist}
    return {**_RC, "font.family": ["DejaVu Sans", *(f for f in _FALLBACK_FONTS if f in installed)]}


def layout(scene: Scene, paper: Paper, dpi: float) -> tuple[Figure, Any]:
    """The page drawn as a matplotlib figure, and the axes of its map (whose ``transData``
    takes (lon, lat) to the page's pixels, origin at the bottom left)."""
    pw, ph = paper.pixels(dpi)
    with matplotlib.rc_context(_rc()):  # type: ignore[arg-type]
        # whole pixels (a hundredth over, so the renderer's truncation keeps them whole)
        fig = Figure(figsize=((pw + 0.01) / dpi, (ph + 0.01) / dpi), dpi=dpi)
        FigureCanvasAgg(fig)  # measures text while laying out
        ax = _layout(fig, scene, paper)
    return fig, ax


# ---------------------------------------------------------------------------- layout


def _layout(fig: Figure, scene: Scene, paper: Paper) -> Any:
    W, H = paper.width_mm, paper.height_mm
    m = 8.0  # margin, mm
    fs = max(6.0, min(W, H) / 210 * 8)  # body text: 8 pt on A4, smaller on A5
    landscape = W > H * 1.15
    title_lines = _wrap(scene.title, _chars(W - 2 * m, fs * 1.6))
    title_h = len(title_lines) * fs * 1.6 * 1.25 / 72 * 25.4 + 2
    _text(fig, m / W, 1 - m / H, "\n".join(title_lines), fs * 1.6, weight="bold", va="top")
    credit_h = 4.0
    top = H - m - title_h
    if landscape:
        map_box = (m, m + credit_h, W * 0.64 - m, top - m - credit_h)
        legend_box = (W * 0.64 + 2, m + credit_h, W - m - (W * 0.64 + 2), top - m - credit_h)
    else:
        need = (_legend_lines(scene, _chars(W - 2 * m, fs)) + 2) * fs * 1.3 / 72 * 25.4
        avail = top - m - credit_h
        map_h = max(avail * 0.5, min(avail * 0.8, avail - need - 4))
        map_box = (m, top - map_h, W - 2 * m, map_h)
        legend_box = (m, m + credit_h, W - 2 * m, top - map_h - 4 - m - credit_h)
    x, y, w, h = map_box
    ax = fig.add_axes((x / W, y / H, w / W, h / H))
    _draw_map(fig, ax, scene, fs)
    _draw_legend(fig, scene, legend_box, (W, H), fs)
    lines = _wrap(" · ".join(scene.credits), _chars(W - 2 * m, fs * 0.75))
    for i, line in enumerate(lines[:3]):
        _text(
            fig, m / W, (m / 2 + (min(len(lines), 3) - 1 - i) * fs * 0.95 / 72 * 25.4) / H, line, fs * 0.75, va="bottom"
        )
    return ax


def _chars(width_mm: float, size_pt: float) -> int:
    """About how many characters of ``size_pt`` fit in ``width_mm`` (bold DejaVu Sans averages 0.62 em)."""
    return max(10, int(width_mm / 25.4 * 72 / (size_pt * 0.62)))


def _legend_lines(scene: Scene, chars: int) -> int:
    n = 1 + len(_legend_rows(scene))
    if scene.claims:
        n += 1 + sum(len(_wrap(f"{c.verdict}: {c.text}", chars)) for c in scene.claims)
    if scene.warnings:
        n += 1 + sum(len(_wrap(w, chars)) for w in scene.warnings)
    return n


def _wrap(text: str, width: int) -> list[str]:
    # whole words only, spaces kept as they were between words
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _text(fig: Figure, x: float, y: float, s: str, size: float, **kw: Any) -> Any:
    return fig.text(x, y, s, fontsize=size, parse_math=False, ha=kw.pop("ha", "left"), **kw)


# ---------------------------------------------------------------------------- the map


def _extent(scene: Scene, ax: Any) -> tuple[float, float, float, float, float]:
    """(west, east, south, north, cos of the mid latitude) filling the axes, journey centred."""
    (s, w), (n, e) = scene.bounds
    lat0 = (s + n) / 2
    k = math.cos(math.radians(lat0))
    pad_lat, pad_lon = max(0.3, (n - s) * 0.08), max(0.3, (e - w) * 0.08)
    s, n, w, e = s - pad_lat, n + pad_lat, w - pad_lon, e + pad_lon
    bw, bh = ax.get_position().width * ax.figure.get_figwidth(), ax.get_position().height * ax.figure.get_figheight()
    # x in degrees of longitude scaled by k, so a degree of arc has one length both ways
    span_x, span_y = (e - w) * k, n - s
    if span_x / span_y > bw / bh:
        grow = span_x * bh / bw - span_y
        s, n = s - grow / 2, n + grow / 2
    else:
        grow = (span_y * bw / bh - span_x) / k
        w, e = w - grow / 2, e + grow / 2
    return w, e, s, n, k


def _lines(fc: dict[str, Any] | None, kinds: Sequence[str] | None = None) -> Iterator[tuple[str, list]]:
    for f in (fc or {}).get("features", []):
        kind = f["properties"].get("kind", "")
        if kinds is not None and kind not in kinds:
            continue
        g = f["geometry"]
        if g["type"] == "LineString":
            yield kind, g["coordinates"]
        elif g["type"] in ("MultiLineString", "Polygon"):
            for part in g["coordinates"]:
                yield kind, part
        elif g["type"] == "MultiPolygon":
            for poly in g["coordinates"]:
                for part in poly:
                    yield kind, part


def _draw_map(fig: Figure, ax: Any, scene: Scene, fs: float) -> None:
    w, e, s, n, k = _extent(scene, ax)
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_aspect(1 / k, adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(BASEMAP_BACKGROUND)
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
    # basemap: lakes filled, then the lines
    lakes = [
        Polygon(part, closed=True)
        for f in (scene.basemap or {}).get("features", [])
        if f["properties"]["kind"] == "lake"
        for part in (
            [f["geometry"]["coordinates"][0]]
            if f["geometry"]["type"] == "Polygon"
            else [p[0] for p in f["geometry"]["coordinates"]]
        )
    ]
    lake = BASEMAP_STYLE["lake"]
    ax.add_collection(PatchCollection(lakes, facecolor=lake["fill"], edgecolor=lake["color"], linewidth=0.4, zorder=1))
    for kind in ("river", "border", "coast"):
        st = BASEMAP_STYLE[kind]
        segs = [part for _, part in _lines(scene.basemap, (kind,))]
        ls = (0, tuple(float(x) for x in st["dash"].split())) if st.get("dash") else "solid"
        ax.add_collection(
            LineCollection(segs, colors=st["color"], linewidths=st["weight"] * 0.6, linestyles=ls, zorder=2)
        )
    net = [part for _, part in _lines(scene.network)]
    ax.add_collection(
        LineCollection(net, colors=NETWORK_STYLE["color"], linewidths=0.9, alpha=NETWORK_STYLE["opacity"], zorder=3)
    )
    for p in scene.alternatives:
        ax.plot(p.coords[:, 1], p.coords[:, 0], color=p.colour, lw=1.2, ls=(0, (4, 3)), zorder=4)
    for p in scene.joints:
        ax.plot(p.coords[:, 1], p.coords[:, 0], color=p.colour, lw=1.0, ls=(0, (2, 3)), zorder=4)
    for p in scene.legs:
        xs, ys = p.coords[:, 1], p.coords[:, 0]
        ax.plot(xs, ys, color="white", lw=4.6, solid_capstyle="round", zorder=5)
        ax.plot(xs, ys, color=p.colour, lw=2.8, ls=_dashes(p.dash), solid_capstyle="round", zorder=6)
        for lat, lon, brg in p.arrows:
            ax.plot(lon, lat, marker=(3, 0, -brg), ms=fs * 1.3, color=p.colour, mec="white", mew=0.8, zorder=7)
        glyph = MODE_STYLES.get(p.mode, {}).get("icon", "")
        if p.icon and glyph:  # the leg's mode, as on the HTML map
            ax.text(
                p.icon[1],
                p.icon[0],
                glyph,
                fontsize=fs * 0.9,
                ha="center",
                va="center",
                weight="bold",
                parse_math=False,
                zorder=8,
                bbox={"boxstyle": "circle,pad=0.25", "fc": "white", "ec": p.colour, "lw": 1.2},
            )
    if scene.prism is not None:
        ax.plot(
            scene.prism.coords[:, 1],
            scene.prism.coords[:, 0],
            color=scene.prism.colour,
            lw=6,
            alpha=0.5,
            solid_capstyle="round",
            zorder=5,
        )
    _draw_marks(fig, ax, scene, fs)
    _scale_bar(ax, w, e, s, n, k, fs)
    _north_arrow(ax, fs)


def _dashes(dash: str | bool) -> Any:
    """A map dash pattern ("10 6", in pixels at the HTML map's weights) as matplotlib's, which
    scales dashes by the line width; True is the generic dash, "" and False solid."""
    if dash is True:
        return (0, (3, 2))
    if not dash:
        return "solid"
    return (0, tuple(max(0.5, float(x) / 2.5) for x in str(dash).split()))


def _draw_marks(fig: Figure, ax: Any, scene: Scene, fs: float) -> None:
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    to_px = ax.transData.transform
    r_pt = fs * 0.95
    radius_px = r_pt * fig.dpi / 72
    pts = [tuple(to_px((m.lon, m.lat))) for m in scene.marks]
    texts, sizes = [], []
    for m in scene.marks:
        t = ax.text(
            0,
            0,
            (m.label.partition(". ")[2] or m.label) + (" (confidence: low)" if m.confidence == "low" else ""),
            fontsize=fs,
            parse_math=False,
            zorder=9,
            ha="center",
            va="center",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
        )
        t.set_gid("routes-label")
        bb = t.get_window_extent(renderer)
        pad = 0.2 * fs * fig.dpi / 72 + 1  # the label's white box around its text
        texts.append(t)
        sizes.append((bb.width + 2 * pad, bb.height + 2 * pad))
    ab = ax.get_window_extent(renderer)
    boxes = place_labels(pts, sizes, radius_px, Box(ab.x0, ab.y0, ab.x1, ab.y1))
    inv = ax.transData.inverted().transform
    for m, (px, py), t, b in zip(scene.marks, pts, texts, boxes):
        cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
        t.set_position(tuple(inv((cx, cy))))
        if math.hypot(cx - px, cy - py) > radius_px * 1.5 + max(b.x1 - b.x0, b.y1 - b.y0) / 2:
            ax.plot(*zip(inv((px, py)), inv((cx, cy))), color="#444444", lw=0.5, zorder=8)
        low = m.confidence == "low"  # the trip file is unsure of this event: a dotted, paler mark
        ax.scatter(
            [m.lon],
            [m.lat],
            s=(r_pt * 2) ** 2,
            facecolors=m.colour if m.fill else "white",
            edgecolors=m.colour,
            linewidths=1.4,
            linestyles=":" if low else "-",
            alpha=0.6 if low else 1.0,
            zorder=10,
        )
        ax.text(
            m.lon,
            m.lat,
            str(m.number),
            fontsize=fs * 0.85,
            weight="bold",
            ha="center",
            va="center",
            color="white" if m.fill else m.colour,
            parse_math=False,
            zorder=11,
        )


def _nice(x: float) -> float:
    p = 10 ** math.floor(math.log10(x))
    return next(v * p for v in (5, 2, 1) if v * p <= x)


def _scale_bar(ax: Any, w: float, e: float, s: float, n: float, k: float, fs: float) -> None:
    lat = s + (n - s) * 0.05
    km_per_deg = geodesic_km(lat, w, lat, w + 1.0)
    width_km = (e - w) * km_per_deg
    bar = _nice(width_km / 4)
    x0 = w + (e - w) * 0.04
    x1 = x0 + bar / km_per_deg
    y = s + (n - s) * 0.04
    tick = (n - s) * 0.008
    ax.add_patch(Rectangle((x0, y - tick / 2), (x1 - x0) / 2, tick, fc="#222222", ec="#222222", lw=0.5, zorder=12))
    ax.add_patch(
        Rectangle((x0 + (x1 - x0) / 2, y - tick / 2), (x1 - x0) / 2, tick, fc="white", ec="#222222", lw=0.5, zorder=12)
    )
    ax.text(x0, y + tick, "0", fontsize=fs * 0.8, ha="center", va="bottom", parse_math=False, zorder=12)
    ax.text(x1, y + tick, f"{bar:,.0f} km", fontsize=fs * 0.8, ha="center", va="bottom", parse_math=False, zorder=12)


def _north_arrow(ax: Any, fs: float) -> None:
    # the projection keeps meridians vertical: north is straight up everywhere on the map
    ax.add_patch(
        FancyArrow(
            0.95,
            0.86,
            0,
            0.08,
            width=0.012,
            head_width=0.04,
            head_length=0.035,
            length_includes_head=True,
            transform=ax.transAxes,
            fc="#222222",
            ec="#222222",
            zorder=12,
        )
    )
    ax.text(
        0.95,
        0.84,
        "N",
        transform=ax.transAxes,
        fontsize=fs * 1.1,
        weight="bold",
        ha="center",
        va="top",
        parse_math=False,
        zorder=12,
    )


# ---------------------------------------------------------------------------- legend


def _draw_legend(
    fig: Figure, scene: Scene, box: tuple[float, float, float, float], page: tuple[float, float], fs: float
) -> None:
    x, y, w, h = box
    W, H = page
    line_mm = fs * 1.3 / 72 * 25.4
    cur = y + h - line_mm
    chars = _chars(w - 8, fs)

    def row(text: str, colour: str = "#222222", bold: bool = False, indent: float = 0.0) -> bool:
        nonlocal cur
        if cur < y:
            return False
        _text(fig, (x + indent) / W, cur / H, text, fs, color=colour, weight="bold" if bold else "normal", va="bottom")
        cur -= line_mm
        return True

    def sample(kind: str, colour: str, filled: bool = True, dash: bool | str = False) -> None:
        yy = (cur + line_mm * 0.35) / H
        if kind == "line":
            fig.add_artist(Line2D([x / W, (x + 6) / W], [yy, yy], color=colour, lw=2.4, ls=_dashes(dash)))
        else:
            fig.add_artist(
                Line2D(
                    [(x + 3) / W],
                    [yy],
                    marker="o",
                    ms=fs * 0.8,
                    mfc=colour if filled else "white",
                    mec=colour,
                    mew=1.2,
                    alpha=0.6 if dash else 1.0,  # a dashed dot: a low-confidence event
                )
            )

    legend = _legend_rows(scene)
    row("Legend", bold=True)
    for kind, colour, filled, dash, label in legend:
        if cur < y:
            break
        sample(kind, colour, filled, dash)
        row(label, indent=8)
    if scene.claims:
        cur -= line_mm * 0.4
        row("Claims", bold=True)
        for c in scene.claims:
            lines = _wrap(f"{c.verdict}: {c.text}", chars)
            for i, text in enumerate(lines):
                if not row(text, colour=c.colour if i == 0 else "#222222", bold=i == 0, indent=0 if i == 0 else 3):
                    break
    if scene.warnings and cur >= y + line_mm:
        cur -= line_mm * 0.4
        row("Warnings", bold=True)
        for wtext in scene.warnings:
            for text in _wrap(wtext, chars):
                if cur < y + line_mm:
                    row(f"… {len(scene.warnings)} warnings in all: see routes check")
                    return
                row(text, indent=3)


def _legend_rows(scene: Scene) -> list[tuple[str, str, bool, bool | str, str]]:
    seen: dict[str, str] = {}
    for p in scene.legs:
        seen.setdefault(p.verdict or "unknown", p.colour)
    rows: list[tuple[str, str, bool, bool | str, str]] = [
        ("line", colour, True, False, f"route, {verdict}") for verdict, colour in seen.items()
    ]
    modes = list(dict.fromkeys(p.mode for p in scene.legs if p.mode in MODE_STYLES))
    if modes != ["rail"]:  # a rail-only trip's legend stays as it was
        for mode in modes:
            style = MODE_STYLES[mode]
            rows.append(("line", "#333333", True, style["dash"], f"{style['icon']} {style['label']}"))
    if scene.alternatives:
        rows.append(("line", scene.alternatives[0].colour, True, True, "alternative route"))
    rows.append(("line", str(NETWORK_STYLE["color"]), True, False, "rail network"))
    kinds: dict[str, tuple[str, bool]] = {}
    for m in scene.marks:
        kinds.setdefault(m.kind, (m.colour, m.fill))
    rows += [("dot", c, f, False, f"event: {k} (numbered in route order)") for k, (c, f) in kinds.items()]
    if any(m.confidence == "low" for m in scene.marks):
        rows.append(("dot", "#555555", False, True, "event marked confidence: low (check it against the report)"))
    return rows
