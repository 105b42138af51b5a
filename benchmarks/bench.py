"""Benchmarks: prints figures, asserts nothing. Run: python benchmarks/bench.py [--side N] [--synthetic-only]

1. `routes build` wall time (median of 5, fresh processes) beside the import time of
   folium, networkx, shapely and geopy, and the size of the HTML written.
2. Loading the bundled network and answering one query, in process.
3. Routing on a synthetic country-size rail-like graph: contracted routing vs plain
   networkx Dijkstra on the station graph, and alternatives by the penalty method.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from routes.model import Place
from routes.routing.rail import build_network
from routes.sources.bundled import LineFeature, LineVertex


def wall(cmd: list[str], cwd: Path, n: int = 5) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
        out.append(time.perf_counter() - t)
    return out


def bench_build() -> None:
    with tempfile.TemporaryDirectory() as d:
        cwd = Path(d)
        routes_exe = str(Path(sys.executable).with_name("routes"))
        build = wall([routes_exe, "-q", "build"], cwd)
        imports = wall([sys.executable, "-c", "import folium, networkx, shapely, geopy"], cwd)
        html = next((cwd / "output").glob("*.html"))
        sc = wall([routes_exe, "-q", "build", "--self-contained", "-o", "sc.html"], cwd, n=1)
        print(f"routes build: median {statistics.median(build):.2f} s (runs: {', '.join(f'{x:.2f}' for x in build)})")
        print(f"import folium, networkx, shapely, geopy: median {statistics.median(imports):.2f} s")
        print(
            f"HTML written: {html.stat().st_size / 1024:.0f} KiB; self-contained: {(cwd / 'sc.html').stat().st_size / 1024:.0f} KiB ({sc[0]:.2f} s)"
        )


def bench_network() -> None:
    code = (
        "import time; t=time.perf_counter(); "
        "from routes.api import load_network; from routes.places import default_gazetteer; "
        "t1=time.perf_counter(); net=load_network(); gz=default_gazetteer(); t2=time.perf_counter(); "
        "a,b=gz.get('khasan'),gz.get('vostochny-cosmodrome'); r=net.route(net.snap(a),net.snap(b)); "
        "alts=net.alternatives(net.snap(a),net.snap(b),k=2); t3=time.perf_counter(); "
        "print(f'import routes: {t1-t:.2f} s; load network + gazetteer: {t2-t1:.3f} s; "
        "route + 2 alternatives Khasan-Vostochny: {(t3-t2)*1000:.0f} ms ({r.km:.0f} km)')"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def synthetic(n_side: int, seed: int = 7) -> tuple[list[LineFeature], list[Place]]:
    """A grid of n_side x n_side junctions joined by lines with ~12 intermediate stations each."""
    rng = random.Random(seed)
    places: dict[str, Place] = {}
    step = min(0.5, 40 / n_side)  # keep the grid on the globe

    def junction(i: int, j: int) -> str:
        pid = f"j{i}_{j}"
        if pid not in places:
            places[pid] = Place(
                pid,
                pid,
                "junction",
                40 + i * step + rng.uniform(-0.05, 0.05) * step / 0.5,
                100 + j * 0.5 + rng.uniform(-0.05, 0.05),
            )
        return pid

    lines = []
    for i in range(n_side):
        for j in range(n_side):
            for di, dj in ((0, 1), (1, 0)):
                if i + di >= n_side or j + dj >= n_side or rng.random() < 0.15:
                    continue
                a, b = places[junction(i, j)], places[junction(i + di, j + dj)]
                verts = [LineVertex(a.id, a.lat, a.lon, None, "", "")]
                for k in range(1, 13):
                    f = k / 13
                    lat = a.lat + f * (b.lat - a.lat) + rng.uniform(-0.01, 0.01)
                    lon = a.lon + f * (b.lon - a.lon) + rng.uniform(-0.01, 0.01)
                    sid = f"s{i}_{j}_{di}{dj}_{k}"
                    places[sid] = Place(sid, sid, "station", lat, lon)
                    verts.append(LineVertex(sid, lat, lon, None, "", ""))
                verts.append(LineVertex(b.id, b.lat, b.lon, None, "", ""))
                lines.append(LineFeature(f"L{i}_{j}_{di}{dj}", "", "", "1520", "", tuple(verts)))
    return lines, list(places.values())


def bench_synthetic(n_side: int = 60, queries: int = 20) -> None:
    t = time.perf_counter()
    lines, places = synthetic(n_side)
    net = build_network(lines, places)
    built = time.perf_counter() - t
    G = net.graph
    print(
        f"synthetic: {G.number_of_nodes():,} stations, {G.number_of_edges():,} edges -> "
        f"{net.routing.number_of_nodes():,} routing nodes ({G.number_of_nodes() / net.routing.number_of_nodes():.1f}x fewer); built in {built:.1f} s"
    )
    rng = random.Random(1)
    stations = [p.id for p in places if p.kind == "station"]
    pairs = [(rng.choice(stations), rng.choice(stations)) for _ in range(queries)]
    t = time.perf_counter()
    for a, b in pairs:
        nx.bidirectional_dijkstra(G, a, b, weight="length_km")
    full = (time.perf_counter() - t) / queries
    t = time.perf_counter()
    for a, b in pairs:
        net.route(net.position_of_node(a), net.position_of_node(b))
    contracted = (time.perf_counter() - t) / queries
    t = time.perf_counter()
    for a, b in pairs[:5]:
        net.alternatives(net.position_of_node(a), net.position_of_node(b), k=2)
    alts = (time.perf_counter() - t) / 5
    print(
        f"one query: networkx on the station graph {full * 1000:.0f} ms; contracted routing (with geometry) {contracted * 1000:.0f} ms"
    )
    print(f"2 alternatives (penalty method on the contracted graph): {alts * 1000:.0f} ms per query")


if __name__ == "__main__":
    side = int(sys.argv[sys.argv.index("--side") + 1]) if "--side" in sys.argv else 60
    if "--synthetic-only" not in sys.argv:
        bench_build()
        bench_network()
    bench_synthetic(side)
