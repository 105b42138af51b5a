"""Print how each name of tests/outside_names.py resolves, without and with the world
gazetteer: the place chosen, how far it lies from the right one, and how it was found
(or "refused" and why). Run from the repository root in the development environment::

    python tools/outside_names.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from outside_names import COUNTRY_OF, ROWS  # noqa: E402

from routes.errors import PlaceNotFound  # noqa: E402
from routes.geo import haversine_km  # noqa: E402
from routes.places import default_gazetteer  # noqa: E402


def outcome(world: bool, query: str, lat: float, lon: float, near: tuple[float, float] | None) -> str:
    gz = default_gazetteer(world=world)
    try:
        countries = {COUNTRY_OF[near]} if near else set()
        m = gz.resolve(query, near=[near] if near else [], near_countries=countries, prefer="station")[0]
    except PlaceNotFound as err:
        return f"refused ({err.reason or 'no match'})"
    km = haversine_km(lat, lon, m.place.lat, m.place.lon)
    return f"{m.place.name} ({m.place.country}), {km:,.0f} km off, {m.method} {m.score:.2f}"


def main() -> None:
    print("area\tquery\tbundled only\twith the world gazetteer")
    for r in ROWS:
        print(
            f"{r.area}\t{r.query}\t{outcome(False, r.query, r.lat, r.lon, r.near)}\t{outcome(True, r.query, r.lat, r.lon, r.near)}"
        )


if __name__ == "__main__":
    main()
