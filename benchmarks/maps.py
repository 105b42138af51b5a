"""The maps of the bundled example: sizes and build times. Prints figures, asserts nothing.

Run: python benchmarks/maps.py [--runs N]

The HTML page's size with Leaflet inlined (the default; issue 15's target: at most
260 KB), with ``--tiles none`` and with Leaflet external (``--leaflet URL``; target: at
most 150 KB); then the wall time (median of N fresh processes) and size of the printed
maps, A4 at 150 dpi.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    routes_exe = str(Path(sys.executable).with_name("routes"))
    with tempfile.TemporaryDirectory() as d:
        cwd = Path(d)
        variants = {
            "default (Leaflet inlined, OpenStreetMap tiles)": [],
            "--tiles none (loads nothing; Natural Earth outlines)": ["--tiles", "none"],
            "--leaflet URL (Leaflet external)": ["--leaflet", "https://example.org/leaflet/"],
        }
        for label, extra in variants.items():
            out = cwd / "map.html"
            subprocess.run(
                [routes_exe, "-q", "build", *extra, "-o", str(out)], cwd=cwd, check=True, capture_output=True
            )
            print(f"HTML {label}: {out.stat().st_size:,} bytes")
        for fmt in ("html", "png", "svg", "pdf"):
            out = cwd / f"map.{fmt}"
            runs = []
            for _ in range(args.runs):
                t = time.perf_counter()
                subprocess.run([routes_exe, "-q", "build", "-o", str(out)], cwd=cwd, check=True, capture_output=True)
                runs.append(time.perf_counter() - t)
            print(
                f"routes build -o map.{fmt}: median {statistics.median(runs):.2f} s of {args.runs} "
                f"({', '.join(f'{x:.2f}' for x in runs)}); {out.stat().st_size:,} bytes"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
