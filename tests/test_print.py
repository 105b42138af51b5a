"""The printed maps (PNG, SVG, PDF), opened with standard readers: size, colours, text, bytes."""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from routes import check_trip
from routes.api import load_network
from routes.cli import main
from routes.model import TimeSpec
from routes.present import static
from routes.present.formats import image as image_format
from routes.present.paper import Box, paper_size, place_labels
from routes.present.scene import build_scene
from routes.present.style import VERDICT_COLOURS
from routes.trips.read import example_trip_path, load_trip

SVG = "{http://www.w3.org/2000/svg}"


def build(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    assert main(["-q", "build", *args, "-o", str(out)]) == 0
    return out


def infeasible_trip():
    """The bundled journey with the cosmodrome reached four hours after Khasan: impossible."""
    trip = load_trip(example_trip_path())
    events = list(trip.events)
    events[-1] = dataclasses.replace(
        events[-1],
        time=TimeSpec(instant=datetime.fromisoformat("2023-09-12T10:00+10:00"), text="2023-09-12T10:00+10:00"),
    )
    return dataclasses.replace(trip, events=tuple(events))


def test_png_opens_with_the_size_asked_for(tmp_path, capsys):
    png = build(tmp_path, "map.png")
    with Image.open(png) as im:
        assert im.format == "PNG" and im.size == (1240, 1754), "A4 at 150 dpi, the default"
    png = build(tmp_path, "a5.png", "--size", "A5", "--dpi", "100")
    with Image.open(png) as im:
        assert im.size == paper_size("A5").pixels(100) == (583, 827)
    png = build(tmp_path, "px.png", "--size", "1600x1000px", "--dpi", "200")
    with Image.open(png) as im:
        assert im.size == (1600, 1000)


def _near(rgb: tuple[int, int, int], hex_colour: str, tol: int = 40) -> bool:
    want = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return sum(abs(a - b) for a, b in zip(rgb, want)) <= tol


@pytest.mark.parametrize("which", ["example", "infeasible"])
def test_the_route_is_drawn_in_its_verdict_colour_along_its_length(which, tmp_path):
    report = check_trip(infeasible_trip() if which == "infeasible" else None)
    verdicts = {lv.verdict for lv in report.legs}
    assert verdicts == ({"infeasible"} if which == "infeasible" else {"feasible"})
    colour = VERDICT_COLOURS[verdicts.pop()]
    net = load_network()
    paper = paper_size("A4")
    data = image_format.to_image(report, net, "png", "A4", 150)
    scene = build_scene(report, net, basemap=True)
    _, ax = static.layout(scene, paper, 150)
    with Image.open(io.BytesIO(data)) as im:
        rgb = im.convert("RGB")
        w, h = rgb.size
        points = [c for leg in scene.legs for c in leg.coords[::5]]
        hits = 0
        for lat, lon in points:
            x, y = ax.transData.transform((lon, lat))
            px, py = round(x), round(h - y)
            hits += any(
                _near(rgb.getpixel((px + dx, py + dy)), colour)
                for dx, dy in itertools.product(range(-2, 3), repeat=2)
                if 0 <= px + dx < w and 0 <= py + dy < h
            )
    assert hits >= 0.9 * len(points), f"verdict colour found at {hits} of {len(points)} points along the route"


def test_svg_opens_as_xml_with_its_text_as_text(tmp_path, capsys):
    svg = build(tmp_path, "map.svg", "--size", "A5")
    root = ET.parse(svg).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == f"{148 / 25.4 * 72:.6g}pt".replace(".0pt", "pt") or root.get("width", "").startswith(
        "419"
    )
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    joined = " ".join(texts)
    assert "Kim Jong-un's train to the Vostochny summit, September 2023" in texts
    for s in ("Khasan", "Ussuriysk", "Vostochny Cosmodrome", "Claims", "supported:", "km", "N", "Natural Earth"):
        assert s in joined, s


def test_pdf_opens_with_a_reader_one_page_of_the_paper_size(tmp_path, capsys):
    pdf = build(tmp_path, "map.pdf", "--size", "A4-landscape")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 297 / 25.4 * 72) < 1 and abs(float(box.height) - 210 / 25.4 * 72) < 1
    text = reader.pages[0].extract_text()
    for s in ("Kim Jong-un", "Khasan", "Claims", "supported", "Natural Earth"):
        assert s in text, s


SCRIPT = """
import sys
from routes.cli import main
for ext in ("png", "svg", "pdf"):
    assert main(["-q", "build", "-o", sys.argv[1] + "." + ext]) == 0
"""


def test_the_same_input_gives_the_same_bytes(tmp_path):
    """Two processes with different hash seeds (set order, ids) write identical files."""
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / seed)], check=True, env=env, capture_output=True)
    for ext in ("png", "svg", "pdf"):
        first, second = (tmp_path / f"1.{ext}").read_bytes(), (tmp_path / f"2.{ext}").read_bytes()
        assert first == second, f"{ext}: two runs differ"
    assert b"CreationDate" not in (tmp_path / "1.pdf").read_bytes()
    assert b"<dc:date>" not in (tmp_path / "1.svg").read_bytes()


def test_event_labels_overlap_nothing_on_the_printed_map():
    report = check_trip()
    net = load_network()
    for size in ("A4", "A5", "A4-landscape"):
        fig, ax = static.layout(build_scene(report, net, basemap=True), paper_size(size), 150)
        renderer = fig.canvas.get_renderer()
        labels = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "routes-label"]
        assert len(labels) == 4
        frame = ax.get_window_extent(renderer)
        marks = [ax.transData.transform((m.lon, m.lat)) for m in report.places]
        for a, b in itertools.combinations(labels, 2):
            assert not a.overlaps(b), f"{size}: two labels overlap"
        for box in labels:
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            assert not any(box.contains(x, y) for x, y in marks), f"{size}: a label covers an event"


def test_label_placement_keeps_crowded_labels_apart():
    """Twelve events within a few pixels of each other: every label finds its own room."""
    points = [(200 + 6 * (i % 4), 200 + 5 * (i // 4)) for i in range(12)]
    sizes = [(60 + 3 * i, 12) for i in range(12)]
    boxes = place_labels(points, sizes, 6, Box(0, 0, 400, 400))
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    for box, (w, _) in zip(boxes, sizes):
        assert abs((box.x1 - box.x0) - w) < 1e-9 and box.inside(Box(0, 0, 400, 400))


def test_without_matplotlib_the_error_names_the_extra(tmp_path, capsys, monkeypatch):
    real = image_format.importlib.import_module

    def missing(name, *a, **k):
        if name == "routes.present.static":  # as when matplotlib is not installed
            raise ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")
        return real(name, *a, **k)

    monkeypatch.setattr(image_format.importlib, "import_module", missing)
    out = tmp_path / "map.png"
    assert main(["build", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "routes-rail[print]" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    "args, words",
    [
        (["--size", "B7"], "--size"),
        (["--size", "10x10"], "50 to 2000 mm"),
        (["--dpi", "5"], "--dpi"),
        (["--dpi", "1200", "--size", "2000x2000"], "pixels"),
    ],
)
def test_bad_size_or_dpi_is_one_line_and_nothing_written(args, words, tmp_path, capsys):
    out = tmp_path / "map.png"
    assert main(["build", *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and words in err
    assert not out.exists()


def test_the_extension_of_o_selects_the_image_format(tmp_path, capsys):
    assert build(tmp_path, "map.pdf").read_bytes().startswith(b"%PDF")
    assert build(tmp_path, "map.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert main(["build", "--format", "png", "-o", str(tmp_path / "x.pdf")]) == 2


def test_characters_no_font_has_are_one_warning_not_a_flood(tmp_path, capsys, monkeypatch):
    trip = dataclasses.replace(load_trip(example_trip_path()), title="김정은 열차 — 두만강 and 图们江")
    monkeypatch.setattr(static, "_rc", lambda: {**static._RC, "font.family": ["DejaVu Sans"]})
    monkeypatch.setattr("routes.api.load_trip", lambda *a, **k: trip)
    assert main(["build", "t.yaml", "-o", str(tmp_path / "k.png")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "draws 11 characters as boxes" in err[0] and "fonts-noto-cjk" in err[0]


def test_a_low_confidence_event_is_marked_so_on_the_printed_map(tmp_path, capsys, monkeypatch):
    trip = load_trip(example_trip_path())
    events = list(trip.events)
    events[1] = dataclasses.replace(events[1], confidence="low")
    monkeypatch.setattr("routes.api.load_trip", lambda *a, **k: dataclasses.replace(trip, events=tuple(events)))
    out = tmp_path / "map.svg"
    assert main(["-q", "build", "t.yaml", "-o", str(out)]) == 0
    texts = [t.text or "" for t in ET.parse(out).getroot().iter(f"{SVG}text")]
    assert f"{events[1].label} (confidence: low)" in texts
    assert "event marked confidence: low (check it against the report)" in texts
