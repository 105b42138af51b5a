"""tools/import_track.py: a line file rebuilt from a GPS track keeps its stations, puts the
track's kilometre marks on the shape vertices, and cites the source once."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from routes.sources.bundled import load_places

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("import_track", ROOT / "tools" / "import_track.py")
assert spec and spec.loader
import_track = importlib.util.module_from_spec(spec)
spec.loader.exec_module(import_track)


@pytest.fixture
def track_and_line(tmp_path):
    """A straight track from Ussuriysk to Baranovsky with a mark every km, running on 1 km
    past each station, and a line file naming the two stations."""
    places = {p.id: p for p in load_places()}
    a, b = places["ussuriysk"], places["baranovsky"]
    n = 24
    track = tmp_path / "track.csv"
    with track.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["chainage_m", "lat", "lon"])
        for i in range(-1, n + 2):
            f = i / n
            w.writerow([9177000 + i * 1000, a.lat + f * (b.lat - a.lat), a.lon + f * (b.lon - a.lon)])
    line = tmp_path / "line.csv"
    line.write_text("ref,lat,lon,km,label,source\nbaranovsky,,,,,\nussuriysk,,,,,\n", encoding="utf-8")
    return track, line


def test_rebuilt_line_keeps_its_stations_and_carries_the_marks(track_and_line, capsys):
    track, line = track_and_line
    assert import_track.main([str(line), "--track", str(track), "--source", "the track"]) == 0
    rows = list(csv.DictReader(line.open(encoding="utf-8")))
    assert [r["ref"] for r in (rows[0], rows[-1])] == ["baranovsky", "ussuriysk"]
    inner = rows[1:-1]
    assert inner and all(not r["ref"] and r["km"] for r in inner)
    kms = [float(r["km"]) for r in inner]
    assert kms == sorted(kms, reverse=True), "marks run from Baranovsky down to Ussuriysk"
    assert 9177 <= min(kms) and max(kms) <= 9201, "no mark beyond the stations"
    assert len(kms) >= 23, "every mark between them"
    assert inner[0]["source"] == "the track" and not any(r["source"] for r in inner[1:])
    assert not rows[0]["km"] and not rows[-1]["km"], "stations take their km from the marks"


def test_a_station_far_from_the_track_is_refused(track_and_line, capsys):
    track, line = track_and_line
    line.write_text("ref,lat,lon,km,label,source\nbaranovsky,,,,,\nkhasan,,,,,\n", encoding="utf-8")
    before = line.read_text(encoding="utf-8")
    assert import_track.main([str(line), "--track", str(track), "--source", "s"]) == 1
    assert "too far from the track" in capsys.readouterr().out
    assert line.read_text(encoding="utf-8") == before
