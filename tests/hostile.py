"""A trip whose every text field holds markup or script (shared by render and browser tests)."""

from __future__ import annotations

PAYLOADS = [
    "<script>document.title='PWNED-script'</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
    "</script><script>document.body.setAttribute('data-pwned','close')</script>",
    "`); document.body.setAttribute('data-pwned','tick'); (`",
    "${document.body.setAttribute('data-pwned','dollar')}",
    "\"'><svg onload=\"document.body.setAttribute('data-pwned','svg')\">",
    "<a href=\"javascript:document.body.setAttribute('data-pwned','href')\">click</a>",
    '<div id="injected">injected element</div>',
]


def hostile_trip_yaml() -> str:
    """YAML for a real journey whose titles, sources, notes and claim texts are hostile."""
    import json

    def q(s: str) -> str:
        return json.dumps(s)  # a JSON string is a valid YAML scalar

    p = PAYLOADS
    return f"""title: {q("Hostile " + " ".join(p))}
traveller: {q(p[1])}
speed_kmh: {{min: 20, max: 60}}
events:
  - place: Khasan
    time: 2023-09-12T06:00+10:00
    kind: arrived
    source: {q(p[0] + p[3])}
    note: {q(p[4] + p[5])}
  - place: Ussuriysk
    kind: passed
    source: {q(p[6] + p[7])}
    note: {q(p[2])}
  - place: Vostochny Cosmodrome
    time: 2023-09-13
    kind: arrived
    source: {q(p[1] + p[2])}
claims:
  - distance: {{from: Vostochny Cosmodrome, to: Vladivostok, km: 1000}}
    text: {q(p[0] + p[5])}
    source: {q(p[3] + p[4])}
  - not_via: Vladivostok
    text: {q(p[7])}
    source: {q(p[6])}
"""
