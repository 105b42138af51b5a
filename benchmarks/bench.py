"""The bundled example against the import floor. Prints figures, asserts nothing.

Run: python benchmarks/bench.py [--runs N]

Paired runs in fresh processes, each command right after the floor
(``python -c "import folium, networkx, shapely, geopy"``), wall time; printed as the
median of each and the median of the per-pair ratios. The network store is built once
before timing (it is cached in the user cache folder, as for a user's second run).
Targets from issue 12: ``routes build`` at most 1.15 x the floor, ``routes check`` at
most 0.8 x. For country-sized networks see ``benchmarks/scale.py``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = [sys.executable, "-c", "import folium, networkx, shapely, geopy"]


def wall(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=11)
    args = p.parse_args(argv)
    routes_exe = str(Path(sys.executable).with_name("routes"))
    commands = {
        "routes build": [routes_exe, "-q", "build", "-o", "map.html"],
        "routes check": [routes_exe, "-q", "check"],
        "routes route Khasan Vostochny": [routes_exe, "-q", "route", "Khasan", "Vostochny Cosmodrome"],
    }
    with tempfile.TemporaryDirectory() as d:
        cwd = Path(d)
        for cmd in commands.values():  # warm the store cache and the file system
            subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
        subprocess.run(FLOOR, cwd=cwd, check=True)
        floor: list[float] = []
        times: dict[str, list[float]] = {k: [] for k in commands}
        ratios: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                f = wall(FLOOR, cwd)
                t = wall(cmd, cwd)
                floor.append(f)
                times[name].append(t)
                ratios[name].append(t / f)
        html = (cwd / "map.html").stat().st_size
    print(f"import floor (folium, networkx, shapely, geopy): median {statistics.median(floor):.3f} s")
    targets = {"routes build": 1.15, "routes check": 0.8}
    for name in commands:
        target = f" (target <= {targets[name]}x)" if name in targets else ""
        print(
            f"{name}: median {statistics.median(times[name]):.3f} s; "
            f"median of paired ratios {statistics.median(ratios[name]):.2f}x the floor{target}"
        )
    print(f"HTML written by routes build: {html / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
