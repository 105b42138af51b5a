"""Rebuild a line file of gazetteer/lines/ from a GPS track with railway chainage.

Input: one or more CSV files with columns ``chainage_m,lat,lon`` (any further columns are
ignored), each row one point of the track centreline, ``chainage_m`` the railway kilometre
mark of that point in metres. Output: the line file, in the format of gazetteer/FORMAT.md:

* the stations of the existing line file (its ``ref`` rows, in their order) are placed on
  the track by projecting each station's position onto it;
* every track point between the first and the last station becomes a shape vertex whose
  ``km`` is its chainage; the first one carries ``--source``, the others inherit it;
* a station row carries no ``km``: the network interpolates it from the track points.

The tool refuses a station farther than ``--max-off-km`` from the track (``--max-beyond-km``
past either end of it), or stations whose order along the track differs from the line
file's. Run it from the repository root, in
the development environment (``pip install -e .``, so that ``routes`` reads this tree)::

    python tools/import_track.py gazetteer/lines/transsib-vladivostok-khabarovsk.csv \\
        --track s13.csv --track s12.csv --source "…" [--from-km 8520 --to-km 9290]
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import numpy as np

from routes.routing.rail import line_chainage
from routes.sources.bundled import LineFeature, LineVertex, load_places

R_EARTH_KM = 6371.0088


def load_track(paths: list[Path], lo_km: float, hi_km: float) -> np.ndarray:
    """Track points as rows (chainage km, lat, lon), sorted, one per chainage."""
    pts: dict[float, tuple[float, float]] = {}
    for p in paths:
        with p.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                km = float(row["chainage_m"]) / 1000.0
                if lo_km <= km <= hi_km:
                    pts.setdefault(round(km, 3), (float(row["lat"]), float(row["lon"])))
    if len(pts) < 2:
        raise SystemExit("fewer than two track points in range")
    return np.array([(k, lat, lon) for k, (lat, lon) in sorted(pts.items())])


def project(track: np.ndarray, lat: float, lon: float) -> tuple[float, float, bool]:
    """(chainage km, distance km, beyond an end) of the track point nearest to (lat, lon)."""
    k, la, lo = track[:, 0], track[:, 1], track[:, 2]
    # local equirectangular plane around the point: good to metres over a few km
    cx = math.cos(math.radians(lat)) * math.pi / 180 * R_EARTH_KM
    cy = math.pi / 180 * R_EARTH_KM
    x, y = (lo - lon) * cx, (la - lat) * cy
    dx, dy = np.diff(x), np.diff(y)
    seg2 = dx * dx + dy * dy
    raw = -(x[:-1] * dx + y[:-1] * dy) / np.where(seg2 > 0, seg2, 1)
    t = np.clip(raw, 0, 1)
    px, py = x[:-1] + t * dx, y[:-1] + t * dy
    d = np.hypot(px, py)
    i = int(np.argmin(d))
    beyond = (i == 0 and raw[i] < 0) or (i == len(d) - 1 and raw[i] > 1)
    return float(k[i] + t[i] * (k[i + 1] - k[i])), float(d[i]), bool(beyond and d[i] > 0.2)


def drop_inconsistent(rows: list[dict[str, str]], places: dict[str, tuple[float, float]]) -> list[dict[str, str]]:
    """Leave out the track points the network would refuse as kilometre posts.

    routes.routing.rail.line_chainage itself judges the rows (a mark must not imply track much
    shorter than the line drawn since the last mark); the source has a few points off its
    1 km grid, which are reported and left out until it finds none.
    """
    while True:
        verts = tuple(
            LineVertex(
                row.get("ref") or None,
                *(places[row["ref"]] if row.get("ref") else (float(row["lat"]), float(row["lon"]))),
                float(row["km"]) if row.get("km") else None,
                "",
                "",
            )
            for row in rows
        )
        ignored = line_chainage(LineFeature("import", "import", "", "1520", "", verts)).ignored
        if not ignored:
            return rows
        for i, km in ignored:
            if rows[i].get("source"):
                raise SystemExit(f"track point km {km} is inconsistent but carries the source; move it on")
            print(f"track point km {km} left out: inconsistent with the marks before it")
        drop = {i for i, _ in ignored}
        rows = [row for n, row in enumerate(rows) if n not in drop]


def fmt(v: float, nd: int) -> str:
    s = f"{v:.{nd}f}".rstrip("0").rstrip(".")
    return s or "0"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("line", type=Path, help="the line file to rebuild (its ref rows are kept)")
    ap.add_argument("--track", type=Path, action="append", required=True)
    ap.add_argument("--source", required=True, help="citation for the track points")
    ap.add_argument("--from-km", type=float, default=-math.inf)
    ap.add_argument("--to-km", type=float, default=math.inf)
    ap.add_argument("--max-off-km", type=float, default=1.5)
    ap.add_argument("--max-beyond-km", type=float, default=10.0, help="for a station past an end of the track")
    ap.add_argument("--refs", help="comma-separated station ids, in order, instead of the file's")
    ap.add_argument("--dry-run", action="store_true", help="report, do not write")
    a = ap.parse_args(argv)

    places = {p.id: (p.lat, p.lon) for p in load_places()}
    with a.line.open(encoding="utf-8", newline="") as fh:
        refs = [row["ref"] for row in csv.DictReader(fh) if row["ref"]]
    if a.refs:
        refs = [r.strip() for r in a.refs.split(",") if r.strip()]
    track = load_track(a.track, a.from_km, a.to_km)
    proj = [project(track, *places[ref]) for ref in refs]
    inside = [km for km, _, beyond in proj if not beyond]
    step = 1.0 if inside[-1] >= inside[0] else -1.0
    ends = (track[0, 0], track[-1, 0]) if step > 0 else (track[-1, 0], track[0, 0])
    at: list[tuple[str, float]] = []
    bad = False
    for n, (ref, (km, off, beyond)) in enumerate(zip(refs, proj)):
        if beyond:  # off the end of the track: before the first point, or after the last
            first_half = n < len(refs) / 2
            key = ends[0] - step * (len(refs) - n) * 1e-3 if first_half else ends[1] + step * n * 1e-3
            note = "  (beyond the track's " + ("start)" if first_half else "end)")
            if off > a.max_beyond_km:
                note, bad = note + "  <-- too far from the track", True
        else:
            key, note = km, ""
            if off > a.max_off_km:
                note, bad = "  <-- too far from the track", True
        print(f"{ref:28s} km {km:9.3f}  {off * 1000:6.0f} m off the track{note}")
        at.append((ref, key))
    keys = [k for _, k in at]
    if any((b - a_) * step <= 0 for a_, b in zip(keys, keys[1:])):
        print("stations are not in track order", file=sys.stderr)
        bad = True
    if bad:
        return 1
    # A station off the centreline would zig-zag the line between two close kilometre
    # marks; the marks within 3x its offset (at least 0.5 km) either side are left out.
    gaps = [(key, max(0.5, 3 * off)) for (_, key), (_, off, beyond) in zip(at, proj) if not beyond and off > 0.15]
    rows: list[dict[str, str]] = []
    pts = track if step > 0 else track[::-1]
    queue = list(at)
    first = True
    for km, lat, lon in pts:
        while queue and (queue[0][1] - km) * step <= 0:
            rows.append({"ref": queue.pop(0)[0]})
        if not rows or not queue or any(abs(km - c) < w for c, w in gaps):
            continue  # before the first station, after the last, or too close to an offset station
        rows.append(
            {
                "lat": fmt(lat, 6),
                "lon": fmt(lon, 6),
                "km": fmt(km, 3),
                "source": a.source if first else "",
            }
        )
        first = False
    rows.extend({"ref": ref} for ref, _ in queue)
    rows = drop_inconsistent(rows, places)
    print(f"{len(rows)} rows: {len(refs)} stations, {len(rows) - len(refs)} track points")
    if not a.dry_run:
        with a.line.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, ["ref", "lat", "lon", "km", "label", "source"], lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
