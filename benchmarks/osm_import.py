"""Importing OpenStreetMap extracts: time, memory and throughput, beside osmium tags-filter.

Run: python benchmarks/osm_import.py [--nodes 5000000] [--ways 600000] [--rail-ways 30000]
                                     [--repeat 3] [--strategies] [--keep PATH]

Needs pyosmium (``pip install -e ".[osm]"``) and, for the comparison, Debian's
osmium-tool (``apt-get install osmium-tool``; .ci/run installs it).

1. Writes (once; kept in the cache folder) a synthetic extract of about 5 million nodes
   and 600,000 ways, 30,000 of them railways, with pyosmium (benchmarks/synthetic_osm.py).
2. Per run, in a fresh process each: ``routes network import`` of it (all of it: read,
   records, gazetteer zones, store) and ``osmium tags-filter`` of the same tags (railway
   track and ferries, stations, stops, kilometre posts, stop areas, named waterways)
   into a PBF. Prints the medians: wall time, peak RSS, objects per second, the ratio
   (target: routes at most 3 × tags-filter), and where routes' time goes.
3. The same for the real Cologne extract (tests/data/osm), with what it holds.
4. With ``--strategies``: the reading strategies measured before choosing one (one pass
   with a sparse location index; two passes with an IdFilter; a Python callback per node).

Prints figures, asserts nothing. Times are wall-clock seconds (the machine has 2 cores,
shared: medians of ``--repeat`` runs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic_osm import write_synthetic  # noqa: E402

from routes.dirs import cache_dir  # noqa: E402

COLOGNE = ROOT / "tests" / "data" / "osm" / "cologne-railway.osm.pbf"
TAGS_FILTER = [
    "w/railway=rail,narrow_gauge,ferry",
    "w/route=ferry",
    "w/waterway=river,canal,stream,tidal_channel",
    "n/railway=station,halt,junction,milestone,stop,railway_crossing",
    "n/public_transport=station,stop_position",
    "r/public_transport=stop_area",
]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from routes.pipeline.osm_import import import_network
from routes.routing.rail import network_info
t1 = time.perf_counter()
done = import_network(Path(sys.argv[1]), "bench", dest=Path(sys.argv[2]))
t2 = time.perf_counter()
info = network_info(done.net)
print(json.dumps({
    "seconds": t2 - t1, "import_modules": t1 - t0, "steps": done.seconds,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    "km": info["total_km"], "stations": done.manifest["counts"]["stations"],
    "components": len(info["components"]), "largest": info["components"][:3],
    "objects": done.manifest["counts"]["objects_matched"], "track_ways": done.manifest["counts"]["track_ways"],
}))
"""


def _timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the child, and its stdout."""
    t = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    rss_kb = float(proc.stderr.strip().splitlines()[-1])
    return wall, rss_kb / 1024.0, proc.stdout


def _objects(path: Path) -> int:
    """Nodes, ways and relations in the file (osmium fileinfo), or 0 without osmium-tool."""
    if not shutil.which("osmium"):
        return 0
    out = subprocess.run(["osmium", "fileinfo", "-e", "-j", str(path)], capture_output=True, text=True, check=True)
    d = json.loads(out.stdout)["data"]["count"]
    return int(d["nodes"]) + int(d["ways"]) + int(d["relations"])


def _routes_import(path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            wall, rss, out = _timed([sys.executable, "-c", CHILD, str(path), str(Path(tmp) / "store")])
            runs.append({"wall": wall, "rss": rss, **json.loads(out)})
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "rss", "seconds")}
    steps = {k: statistics.median(r["steps"][k] for r in runs) for k in runs[0]["steps"]}
    return {**runs[0], **med, "steps": steps, "walls": [round(r["wall"], 2) for r in runs]}


def _tags_filter(path: Path, repeat: int) -> dict | None:
    if not shutil.which("osmium"):
        return None
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "rail.osm.pbf"
            wall, rss, _ = _timed(["osmium", "tags-filter", "-O", "-o", str(out), str(path), *TAGS_FILTER])
            runs.append((wall, rss))
    return {
        "wall": statistics.median(w for w, _ in runs),
        "rss": statistics.median(r for _, r in runs),
        "walls": [round(w, 2) for w, _ in runs],
    }


def _report(label: str, path: Path, repeat: int) -> dict:
    objects = _objects(path)
    mine = _routes_import(path, repeat)
    ref = _tags_filter(path, repeat)
    size = path.stat().st_size / 1e6
    print(f"\n== {label}: {path.name}, {size:,.1f} MB, {objects:,} objects")
    print(f"routes network import : {mine['wall']:6.2f} s wall (runs {mine['walls']}), peak RSS {mine['rss']:,.0f} MB")
    print(
        f"   of which            : read {mine['steps']['read']:.2f} s, records {mine['steps']['records']:.2f} s, "
        f"zones {mine['steps']['zones']:.2f} s, store {mine['steps']['store']:.2f} s; "
        f"Python and module start-up {mine['wall'] - mine['seconds']:.2f} s"
    )
    if objects:
        print(
            f"   objects per second  : {objects / mine['wall']:,.0f} (whole command), {objects / mine['steps']['read']:,.0f} (reading)"
        )
    if ref is None:
        print("osmium tags-filter    : not installed (apt-get install osmium-tool)")
    else:
        print(f"osmium tags-filter    : {ref['wall']:6.2f} s wall (runs {ref['walls']}), peak RSS {ref['rss']:,.0f} MB")
        if objects:
            print(f"   objects per second  : {objects / ref['wall']:,.0f}")
        ratio = mine["wall"] / ref["wall"]
        print(f"ratio routes / osmium : {ratio:.2f} (target <= 3): {'met' if ratio <= 3 else 'NOT met'}")
    print(
        f"network               : {mine['km']:,.0f} km, {mine['stations']:,} stations, {mine['components']:,} components "
        f"(largest {mine['largest']}), {mine['track_ways']:,} track ways"
    )
    return {"objects": objects, "mb": size, "routes": mine, "osmium": ref}


def _strategies(path: Path) -> None:
    """The reading strategies, each in a fresh process: time and peak RSS."""
    code = r"""
import sys, time, resource, numpy as np, osmium
from osmium.filter import KeyFilter, TagFilter, IdFilter
from osmium.osm import NODE, WAY
p, mode = sys.argv[1], sys.argv[2]
t = time.perf_counter()
rail = TagFilter(("railway", "rail"))
rail.enable_for(WAY)
tagged = KeyFilter("railway")  # as routes reads: only railway-tagged nodes reach Python
tagged.enable_for(NODE)
if mode == "one pass, sparse location index":
    n = 0
    fp = osmium.FileProcessor(p, NODE | WAY).with_locations("sparse_mem_array").with_filter(rail).with_filter(tagged)
    for o in fp:
        if o.is_way():
            n += sum(1 for x in o.nodes if x.location.valid())
else:
    refs = []
    for o in osmium.FileProcessor(p, WAY).with_filter(rail):
        refs.extend(x.ref for x in o.nodes)
    ids = np.unique(np.array(refs, dtype=np.int64))
    if mode == "two passes, IdFilter":
        n = sum(1 for o in osmium.FileProcessor(p, NODE).with_filter(IdFilter(ids.tolist())))
    else:
        class H(osmium.SimpleHandler):
            def __init__(s):
                super().__init__(); s.n = 0
            def node(s, o):
                i = np.searchsorted(ids, o.id)
                if i < len(ids) and ids[i] == o.id:
                    s.n += 1
        h = H(); h.apply_file(p); n = h.n
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
"""
    print(f"\n== reading strategies on {path.name} (railway=rail ways and their node locations)")
    for mode in ("one pass, sparse location index", "two passes, IdFilter", "two passes, Python callback per node"):
        out = subprocess.run([sys.executable, "-c", code, str(path), mode], capture_output=True, text=True, check=True)
        secs, rss = (float(x) for x in out.stdout.split())
        print(f"  {mode:40s} {secs:6.2f} s   peak RSS {rss:,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5_000_000)
    ap.add_argument("--ways", type=int, default=600_000)
    ap.add_argument("--rail-ways", type=int, default=30_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--strategies", action="store_true", help="also measure the reading strategies")
    ap.add_argument("--keep", type=Path, help="where the synthetic extract is kept (default: the cache folder)")
    a = ap.parse_args()
    path = a.keep or cache_dir() / "benchmarks" / f"synthetic-{a.nodes}-{a.ways}-{a.rail_ways}.osm.pbf"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        counts = write_synthetic(path, a.nodes, a.ways, a.rail_ways)
        print(f"wrote {path} in {time.perf_counter() - t:.0f} s: {counts}")
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    synth = _report("synthetic extract", path, a.repeat)
    real = _report("real extract (Cologne, © OpenStreetMap contributors, ODbL)", COLOGNE, a.repeat)
    if a.strategies:
        _strategies(path)
        _strategies(COLOGNE)
    r = synth["routes"]
    if synth["objects"]:
        per_m = r["wall"] / (synth["objects"] / 1e6)
        per_100mb = r["wall"] / synth["mb"] * 100
        rss_per_m = (r["rss"] - real["routes"]["rss"]) / (a.nodes / 1e6)
        print(
            f"\nscaling: {per_m:.2f} s per million objects ({per_100mb:.0f} s per 100 MB of this PBF); "
            f"about {rss_per_m:.0f} MB of memory per million nodes above a {real['routes']['rss']:.0f} MB base"
        )


if __name__ == "__main__":
    main()
