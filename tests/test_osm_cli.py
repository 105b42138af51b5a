"""routes network import | list | info | remove, and checking trips on an imported network,
from the command line (main([...]) in process), with the user data folder in tmp."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from osm_synth import Extract, lons  # noqa: E402

from routes.cli import main  # noqa: E402

DATA = Path(__file__).parent / "data" / "osm"
VDE = DATA / "vde8.2-rail.osm.pbf"
COLOGNE = DATA / "cologne-railway.osm.pbf"
ODBL = "© OpenStreetMap contributors, ODbL"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "data"
    monkeypatch.setenv("ROUTES_DATA_DIR", str(d))
    monkeypatch.chdir(tmp_path)
    return d


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _files(d: Path) -> list[str]:
    return sorted(str(p.relative_to(d)) for p in d.rglob("*")) if d.exists() else []


def _one_error_line(err: str) -> None:
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("routes: error:") and "Traceback" not in err, err


def test_import_list_info_remove(data_dir, capsys):
    code, out, err = run(capsys, "network", "import", str(VDE), "--name", "vde")
    assert code == 0, err
    assert "imported vde8.2-rail.osm.pbf as network 'vde'" in out and ODBL in out
    code, out, _ = run(capsys, "network", "list")
    assert code == 0 and "vde" in out and "vde8.2-rail.osm.pbf" in out and "bundled" in out
    code, out, _ = run(capsys, "network", "info", "vde")
    assert code == 0 and ODBL in out and "connected components" in out and "imported from vde8.2-rail.osm.pbf" in out
    code, out, _ = run(capsys, "network", "info", "vde", "--json")
    info = json.loads(out)
    assert info["attribution"] == [ODBL] and info["source"]["counts"]["track_ways"] == 1823
    assert info["source"]["filter"]["ways"][:2] == ["railway=rail", "railway=narrow_gauge"]
    code, out, _ = run(capsys, "network", "remove", "vde")
    assert code == 0
    assert run(capsys, "network", "list", "--json")[1].strip() == "[]"
    assert _files(data_dir / "networks") == []


def test_the_default_name_is_the_files(data_dir, capsys):
    assert run(capsys, "network", "import", str(VDE))[0] == 0
    assert (data_dir / "networks" / "vde8" / "network.json").is_file()


def test_replace(data_dir, capsys):
    assert run(capsys, "network", "import", str(VDE), "--name", "n")[0] == 0
    code, _, err = run(capsys, "network", "import", str(COLOGNE), "--name", "n")
    assert code == 2 and "--replace" in err
    _one_error_line(err)
    assert "vde8.2" in (data_dir / "networks" / "n" / "network.json").read_text(encoding="utf-8")
    assert run(capsys, "network", "import", str(COLOGNE), "--name", "n", "--replace")[0] == 0
    assert "cologne" in (data_dir / "networks" / "n" / "network.json").read_text(encoding="utf-8")
    left = {p.name for p in (data_dir / "networks").iterdir()}
    assert left == {"n"}  # no temporary or old folder left beside it


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    not_osm = tmp / "notes.osm.pbf"
    not_osm.write_bytes(b"this is not OpenStreetMap data\n" * 50)
    truncated = tmp / "cut.osm.pbf"
    truncated.write_bytes(VDE.read_bytes()[: VDE.stat().st_size // 2])
    empty = tmp / "empty.osm.pbf"
    empty.write_bytes(b"")
    ex = Extract()
    ex.way(ex.line(lons(50.0, 10.0, 10.1)), highway="residential")
    ex.node(50.01, 10.05, railway="station", name="Nowhere")
    roads = ex.write(tmp / "roads.osm.pbf")
    return {
        "not OSM": not_osm,
        "truncated": truncated,
        "empty": empty,
        "no railway": roads,
        "missing": tmp / "nope.osm.pbf",
    }


@pytest.mark.parametrize("what", ["not OSM", "truncated", "empty", "no railway", "missing"])
def test_bad_extracts_are_one_line_and_leave_nothing(data_dir, tmp_path, capsys, what):
    path = _bad_inputs(tmp_path)[what]
    code, out, err = run(capsys, "network", "import", str(path), "--name", "bad")
    assert code == 2
    _one_error_line(err)
    assert path.name in err or "no extract" in err
    if what == "no railway":
        assert "no railway track" in err
    if what == "truncated":
        assert "ends early" in err
    assert not (data_dir / "networks" / "bad").exists()
    assert [p for p in _files(data_dir) if "bad" in p or p.endswith(".tmp")] == []


@pytest.mark.parametrize(
    "args",
    [
        ("network", "info", "nosuch"),
        ("network", "remove", "nosuch"),
        ("route", "Erfurt Hbf", "Weimar", "--network", "nosuch"),
        ("resolve", "Weimar", "--network", "nosuch"),
        ("check", "--network", "nosuch"),
        ("network", "import", str(VDE), "--name", "../evil"),
        ("network", "import", str(VDE), "--name", "bundled"),
    ],
)
def test_unknown_or_bad_network_names(data_dir, capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 2
    _one_error_line(err)
    assert not (data_dir.parent / "evil").exists()


TRIP = """title: Erfurt to Halle on the high-speed line
network: vde
speed_kmh: {min: 60, max: 300}
events:
  - place: Erfurt Hbf
    time: 2024-05-02T10:00
    kind: departed
  - place: Halle (Saale) Hauptbahnhof
    time: 2024-05-02T11:00
    kind: arrived
claims:
  - distance: {from: Erfurt Hbf, to: Halle (Saale) Hauptbahnhof, km: 92, measure: rail}
"""


def test_check_a_trip_of_osm_stations(data_dir, tmp_path, capsys):
    assert run(capsys, "network", "import", str(VDE), "--name", "vde")[0] == 0
    trip = tmp_path / "trip.yaml"
    trip.write_text(TRIP, encoding="utf-8")
    code, out, err = run(capsys, "check", str(trip), "--json")  # the trip names its network
    assert code == 0, err
    d = json.loads(out)
    assert d["network"] == "vde" and d["attribution"] == [ODBL]
    for ev in d["events"]:
        assert ev["place"]["id"].startswith("osm:node/") and ev["place"]["tz"] == "Europe/Berlin"
        assert ev["place"]["country"] == "DE" and "network vde" in ev["resolved_by"]["detail"]
    leg = d["legs"][0]
    assert 85 < leg["rail_km"] < 100 and leg["verdict"] == "feasible"
    assert d["claims"][0]["verdict"] == "supported"
    code, out, _ = run(capsys, "check", str(trip))
    assert code == 0 and ODBL in out and "network vde" in out
    # every export built on it carries the attribution
    for fmt, suffix in (("html", ".html"), ("geojson", ".geojson"), ("kml", ".kml"), ("md", ".md"), ("svg", ".svg")):
        target = tmp_path / f"out{suffix}"
        assert run(capsys, "build", str(trip), "--format", fmt, "-o", str(target))[0] == 0
        text = html.unescape(target.read_text(encoding="utf-8"))
        if fmt == "svg":  # a printed map wraps its credits line: its words, in order
            text = " ".join(re.findall(r">([^<>]+)<", text))
        assert ODBL in " ".join(text.split()) and "vde" in text, fmt


def test_a_trip_naming_a_network_that_does_not_exist(data_dir, tmp_path, capsys):
    trip = tmp_path / "trip.yaml"
    trip.write_text(TRIP.replace("network: vde", "network: siberia"), encoding="utf-8")
    code, _, err = run(capsys, "check", str(trip))
    assert code == 2 and "siberia" in err
    _one_error_line(err)


def test_route_and_resolve_on_an_imported_network(data_dir, capsys):
    assert run(capsys, "network", "import", str(VDE), "--name", "vde")[0] == 0
    code, out, err = run(capsys, "route", "Erfurt Hbf", "Halle (Saale) Hauptbahnhof", "--network", "vde", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["network"] == "vde" and d["attribution"] == [ODBL] and 85 < d["km"] < 100
    assert d["via"][0] == "Erfurt Hbf" and d["via"][-1] == "Halle (Saale) Hauptbahnhof"
    assert all(not v.startswith("n") or not v[1:].isdigit() for v in d["via"])  # switches are not named
    code, out, _ = run(capsys, "resolve", "Weimar", "--network", "vde", "--json")
    m = json.loads(out)[0]["matches"][0]
    assert m["id"].startswith("osm:node/") and m["resolved_by"]["method"] == "exact"


def test_extract_spots_the_networks_stations(data_dir, tmp_path, capsys):
    assert run(capsys, "network", "import", str(VDE), "--name", "vde")[0] == 0
    article = tmp_path / "report.txt"
    article.write_text(
        "BERLIN, May 2 (Reuters) - The special train left Großkorbetha at 10 a.m. on Thursday "
        "and arrived at Oßmannstedt at 11 a.m., officials said.\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "extract", str(article), "--network", "vde", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["trip"]["network"] == "vde"
    places = [e["fields"]["place"]["text"] for e in d["events"]]
    assert places == ["Großkorbetha", "Oßmannstedt"]  # two villages only the network knows
    code, _, err = run(capsys, "extract", str(article))
    assert code == 2 and "a trip needs two" in err
