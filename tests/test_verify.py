"""Verdicts with numbers, checked against expectations computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from routes import check_trip, parse_trip
from routes.api import where
from routes.pipeline.claims import DEFAULT_TOLERANCE_PCT
from routes.pipeline.timing import TIGHT_RATIO


def trip(events, claims=(), **kw):
    return parse_trip({"title": "test trip", "events": list(events), "claims": list(claims), **kw})


@pytest.fixture(scope="module")
def seed():
    return check_trip()


def test_bundled_trip_is_feasible_at_the_reported_speeds(seed):
    (span,) = seed.spans
    assert span.verdict == "feasible"
    # Khasan 06:00+10 plus 2 h dwell = 22:00 UTC on 11 Sep; Vostochny: 13 Sep 00:00–23:59:59 +09
    assert span.hours_available[0] == pytest.approx(17.0, abs=0.01)
    assert span.hours_available[1] == pytest.approx(41.0, abs=0.01)
    km = span.rail_km
    assert span.hours_needed[0] == pytest.approx(km / 60)
    assert km / 60 <= TIGHT_RATIO * 41.0
    assert all(lv.verdict == "feasible" for lv in seed.legs)


def test_bundled_claims(seed):
    by_kind = {c.claim.kind: c for c in seed.claims}
    dist = by_kind["distance"]
    assert dist.verdict == "supported"
    assert "straight-line" in dist.why.split("(")[0]
    nums = dict(dist.numbers)
    assert abs(nums["straight_km"] - 1000) <= 1000 * DEFAULT_TOLERANCE_PCT / 100
    assert abs(nums["rail_km"] - 1000) > 100  # the rail reading does not match
    assert by_kind["not_via"].verdict == "supported"


def test_bundled_route_passes_baranovsky_and_ussuriysk_not_vladivostok(seed):
    nodes = [n for lv in seed.legs for n in lv.leg.route.nodes]
    assert "baranovsky" in nodes and "ussuriysk" in nodes
    assert "vladivostok" not in nodes
    bridge = seed.places[2]
    assert bridge.kind == "bridge" and "Razdolnaya" in bridge.name


def test_impossible_timing_is_infeasible():
    r = check_trip(
        trip(
            [
                {"place": "Khasan", "time": "2023-09-12T06:00+10:00", "kind": "departed"},
                {"place": "Vostochny Cosmodrome", "time": "2023-09-12T12:00+09:00", "kind": "arrived"},
            ],
            speed_kmh={"min": 20, "max": 60},
        )
    )
    (lv,) = r.legs
    assert lv.verdict == "infeasible"
    # 06:00+10 -> 12:00+09 is 7 hours
    assert lv.hours_available == pytest.approx((7.0, 7.0))
    assert lv.hours_needed[0] > 7.0
    assert "more than the 7.0 h available" in lv.why


def test_a_leg_across_the_utc10_utc9_boundary():
    # naive local times: Khabarovsk is UTC+10, Belogorsk (Amur Oblast) UTC+9
    r = check_trip(
        trip(
            [
                {"place": "Khabarovsk", "time": "2023-09-12T10:00", "kind": "departed"},
                {"place": "Belogorsk", "time": "2023-09-12T20:00", "kind": "arrived"},
            ],
            speed_kmh={"min": 30, "max": 80},
        )
    )
    (lv,) = r.legs
    assert lv.hours_available == pytest.approx((11.0, 11.0))  # not 10: the clocks differ by an hour
    km = lv.leg.route.km
    assert km == pytest.approx(657, rel=0.03)  # Khabarovsk-1 km 8523 - Belogorsk km 7866
    assert lv.implied_kmh[0] == pytest.approx(round(km / 11.0, 1))
    # by hand: 657 km at 80 km/h is 8.2 h, under 80 % of the 11 h window
    assert lv.verdict == "feasible"


def test_tight_is_within_20_percent_of_the_window():
    # Khabarovsk-1 -> Birobidzhan-1 is about 172 km; at 80 km/h that is ~2.15 h; give 2.5 h
    r = check_trip(
        trip(
            [
                {"place": "Khabarovsk-1", "time": "2023-09-12T10:00+10:00", "kind": "departed"},
                {"place": "Birobidzhan", "time": "2023-09-12T12:30+10:00", "kind": "arrived"},
            ],
            speed_kmh={"min": 30, "max": 80},
        )
    )
    (lv,) = r.legs
    need = lv.leg.route.km / 80
    assert 0.8 * 2.5 < need <= 2.5
    assert lv.verdict == "tight"


def test_distance_claim_that_holds_only_as_rail_distance():
    r = check_trip(
        trip(
            [{"place": "Khabarovsk"}, {"place": "Belogorsk"}],
            claims=[{"distance": {"from": "Khabarovsk-1", "to": "Belogorsk", "km": 657}, "source": "timetable"}],
        )
    )
    (c,) = r.claims
    assert c.verdict == "supported"
    assert c.why.startswith("matches as rail distance")
    nums = dict(c.numbers)
    assert abs(nums["straight_km"] - 657) > 0.1 * 657


def test_distance_claim_contradicted():
    r = check_trip(
        trip(
            [{"place": "Khasan"}, {"place": "Ussuriysk"}],
            claims=[{"distance": {"from": "Khasan", "to": "Ussuriysk", "km": 50}}],
        )
    )
    assert r.claims[0].verdict == "contradicted"


def test_where_at_time_interval_computed_by_hand():
    t = trip(
        [
            {"place": "Ussuriysk", "time": "2023-09-12T12:00+10:00", "kind": "departed"},
            {"place": "Khabarovsk-1", "time": "2023-09-13T00:00+10:00", "kind": "arrived"},
        ],
        speed_kmh={"min": 20, "max": 60},
    )
    r = check_trip(t)
    L = r.legs[0].leg.route.km
    assert L == pytest.approx(654, abs=654 * 0.03)  # 9177 - 8523 by kilometre posts
    w = where(r, datetime(2023, 9, 12, 18, 0, tzinfo=timezone(timedelta(hours=10))))
    # 6 h after leaving at 60 km/h: at most 360 km; 6 h before arriving: at least L - 360 km
    assert w.km_from_start == pytest.approx((round(L - 360, 1), 360.0), abs=0.051)
    assert len(w.coords) >= 2


def test_where_outside_the_journey_is_an_error(seed):
    with pytest.raises(ValueError, match="not between two timed events"):
        where(seed, datetime(2020, 1, 1, tzinfo=UTC))


def test_not_via_claim_judged_and_respected():
    t = trip(
        [{"place": "Skovorodino"}, {"place": "Komsomolsk-on-Amur"}],
        claims=[{"not_via": "Volochaevka-1"}],
    )
    judged = check_trip(t)
    assert judged.claims[0].verdict == "contradicted"  # the shortest route runs through Volochaevka
    respected = check_trip(t, respect_claims=True)
    assert respected.claims[0].verdict == "supported"
    lines = respected.legs[0].leg.route.lines
    assert "bam-tynda-komsomolsk" in lines
    assert respected.legs[0].leg.route.km > judged.legs[0].leg.route.km


def test_a_leg_run_again_is_routed_on_its_own_not_through_the_via_place_of_the_first():
    t = trip(
        [{"place": "Khasan"}, {"place": "Ussuriysk"}, {"place": "Khasan"}, {"place": "Ussuriysk"}],
        claims=[{"via": "Vladivostok"}],
    )
    plain = check_trip(t).legs[0].leg.route
    first, _, again = (lv.leg.route for lv in check_trip(t, respect_claims=True).legs)
    assert "vladivostok" in first.nodes and first.km > plain.km + 100  # the via claim bends the first leg
    assert "vladivostok" not in again.nodes and again.nodes == plain.nodes and again.km == plain.km


def test_via_order_speed_and_region_claims():
    t = trip(
        [
            {"place": "Ussuriysk", "time": "2023-09-12T12:00+10:00", "kind": "departed"},
            {"place": "Khabarovsk-1", "time": "2023-09-13T00:00+10:00", "kind": "arrived"},
        ],
        claims=[
            {"via": "Spassk-Dalny"},
            {"via": "Birobidzhan"},
            {"order": ["Sibirtsevo", "Bikin"]},
            {"order": ["Bikin", "Sibirtsevo"]},
            {"speed": {"kmh": 55, "type": "average"}},
            {"speed": {"kmh": 30, "type": "top"}},
            {"in_region": {"place": "Vostochny Cosmodrome", "region": "Amur Oblast"}},
            {"in_region": {"place": "Khasan", "region": "Amur Oblast"}},
        ],
    )
    verdicts = [c.verdict for c in check_trip(t).claims]
    assert verdicts == [
        "supported",
        "contradicted",
        "supported",
        "contradicted",
        "supported",
        "contradicted",
        "supported",
        "contradicted",
    ]


def test_leg_without_rail_connection_is_unknown_and_warned():
    r = check_trip(trip([{"place": "Khabarovsk"}, {"place": "Moscow"}]))
    (lv,) = r.legs
    assert lv.leg.route is None
    assert lv.verdict == "unknown"
    assert any("Moscow" in w for w in r.warnings)


def test_listed_order_that_doubles_back_is_warned():
    r = check_trip(
        trip([{"place": "Khasan"}, {"place": "Ussuriysk"}, {"place": "Baranovsky"}, {"place": "Khabarovsk"}])
    )
    assert any("double back at Baranovsky" in w for w in r.warnings)


def test_order_route_reorders_untimed_sightings():
    events = [
        {"place": "Khasan", "time": "2023-09-12T06:00+10:00"},
        {"place": "Ussuriysk"},
        {"place": "Baranovsky"},
        {"place": "Khabarovsk", "time": "2023-09-13T06:00+10:00"},
    ]
    r = check_trip(trip(events, order="route"))
    assert list(r.order) == [0, 2, 1, 3]
    assert not r.warnings


def test_gauge_change_allowance_is_added_when_a_leg_crosses_the_break():
    r = check_trip(
        trip(
            [
                {"place": "Chongjin", "time": "2023-09-11T18:00+09:00", "kind": "departed"},
                {"place": "Ussuriysk", "time": "2023-09-12T18:00+10:00", "kind": "arrived"},
            ],
            gauge_change_hours=3,
            speed_kmh={"min": 20, "max": 60},
        )
    )
    (lv,) = r.legs
    assert lv.leg.route.gauge_breaks == ("khasan",)
    (span,) = r.spans
    assert span.hours_needed[0] == pytest.approx(span.rail_km / 60 + 3)
    assert "break(s) of gauge" in span.why


def test_times_in_the_wrong_order_are_infeasible_and_said_so():
    r = check_trip(
        trip(
            [
                {"place": "Khabarovsk", "time": "2023-09-12T10:00+10:00"},
                {"place": "Belogorsk", "time": "2023-09-11T10:00+09:00"},
            ]
        )
    )
    (lv,) = r.legs
    assert lv.verdict == "infeasible"
    assert "timed before the earlier one" in lv.why
