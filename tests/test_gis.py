"""GeoJSON and KML as GIS tools read them: GDAL's ogrinfo (Debian's gdal-bin), plus the contracts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from routes.cli import main
from routes.present.style import ALTERNATIVE_COLOUR, VERDICT_COLOURS, kml_colour

KML = "{http://www.opengis.net/kml/2.2}"


def ogrinfo(*args: str) -> str:
    exe = shutil.which("ogrinfo")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("ogrinfo is not installed; .ci/run installs Debian's gdal-bin")
        pytest.skip("ogrinfo is not installed (apt-get install gdal-bin)")
    proc = subprocess.run([exe, "-ro", "-al", *args], capture_output=True, text=True, timeout=60, check=True)
    return proc.stdout


def build(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    assert main(["-q", "build", *args, "-o", str(out)]) == 0
    return out


def features(text: str) -> list[str]:
    return re.split(r"\nOGRFeature\(", text)[1:]


def test_gdal_reads_the_geojson_with_its_claims_and_warnings_as_features(tmp_path, capsys):
    path = build(tmp_path, "trip.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "properties" not in data, "nothing hides in a top-level member that GIS tools ignore"
    kinds = [f["properties"]["feature"] for f in data["features"]]
    assert kinds.count("event") == 4 and kinds.count("leg") == 3 and kinds.count("claim") == 2
    out = ogrinfo(str(path))
    assert "using driver `GeoJSON' successful" in out or "Feature Count: " in out
    assert re.search(r"Feature Count: (\d+)", out).group(1) == str(len(data["features"]))
    claims = [f for f in features(out) if "feature (String) = claim" in f]
    assert len(claims) == 2
    assert all("verdict (String) = supported" in f for f in claims)
    # a distance claim is about its two places, a not_via claim about one
    assert re.search(r"MULTIPOINT \(\(128\.3\d+ 51\.8\d+\),\s*\(131\.8\d+ 43\.1\d+\)\)", claims[0])
    assert re.search(r"POINT \(131\.8\d+ 43\.1\d+\)", claims[1])


def test_geojson_times_are_iso_strings_gis_tools_read_as_times(tmp_path, capsys):
    path = build(tmp_path, "trip.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    events = [f["properties"] for f in data["features"] if f["properties"]["feature"] == "event"]
    khasan = next(e for e in events if e["query"] == "Khasan")
    assert khasan["time"] == khasan["time_earliest"] == khasan["time_latest"] == "2023-09-12T06:00:00+10:00"
    cosmodrome = next(e for e in events if e["query"] == "Vostochny Cosmodrome")
    assert cosmodrome["time"] == f"{cosmodrome['time_earliest']}/{cosmodrome['time_latest']}", "a window"
    assert cosmodrome["time_earliest"] == "2023-09-13T00:00:00+09:00"
    untimed = next(e for e in events if e["query"] == "Ussuriysk")
    assert untimed["time"] is None and untimed["inferred_earliest"] < untimed["inferred_latest"]
    legs = [f["properties"] for f in data["features"] if f["properties"]["feature"] == "leg"]
    assert legs[0]["start"] == "2023-09-12T06:00:00+10:00" and legs[0]["start_inferred"] is False
    assert legs[-1]["end"] == cosmodrome["time_latest"] and legs[-1]["end_inferred"] is False
    out = ogrinfo(str(path))
    assert "time_earliest: DateTime" in out and "start: DateTime" in out and "end: DateTime" in out
    assert "start (DateTime) = 2023/09/12 06:00:00+10" in out


def test_gdal_reads_the_kml_with_its_timestamps_populated(tmp_path, capsys):
    path = build(tmp_path, "trip.kml")
    out = ogrinfo(str(path))
    assert "using driver `LIBKML' successful" in out, "the driver that reads TimeStamp and TimeSpan"
    layers = re.findall(r"Layer name: (\w+)", out)
    assert layers == ["Events", "Legs", "Claims"]
    events, legs = out.split("Layer name: Legs")[0], out.split("Layer name: Legs")[1].split("Layer name: Claims")[0]
    assert "timestamp (DateTime) = 2023/09/12 06:00:00+10" in events, "Khasan: an instant"
    assert "begin (DateTime) = 2023/09/13 00:00:00+09" in events and "end (DateTime) = 2023/09/13 23:59:59+09" in events
    assert "kind (String) = arrived" in events and "source (String) = KCNA, via Yonhap" in events
    assert len(re.findall(r"begin \(DateTime\) = ", legs)) == 3 and len(re.findall(r"end \(DateTime\) = ", legs)) == 3
    assert "verdict (String) = feasible" in legs


def test_kml_colours_come_from_the_one_palette(tmp_path, capsys):
    root = ET.parse(build(tmp_path, "trip.kml")).getroot()
    styles = {s.get("id"): s.find(f"{KML}LineStyle/{KML}color") for s in root.iter(f"{KML}Style")}
    for verdict, colour in VERDICT_COLOURS.items():
        assert styles[verdict].text == kml_colour(colour)
    assert styles["alternative"].text == kml_colour(ALTERNATIVE_COLOUR, 0xAA)
    assert kml_colour("#1a9850") == "ff50981a"  # KML is aabbggrr
    source = Path(__file__).parents[1] / "routes" / "present" / "formats" / "kml.py"
    assert not re.search(r"['\"][0-9a-f]{8}['\"]", source.read_text(encoding="utf-8")), "no colour written twice"
