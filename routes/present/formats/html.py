"""The map as a page: a whole HTML document, or a fragment to paste into a report."""

from __future__ import annotations

import html

import folium

__all__ = ["to_html", "to_fragment"]


def to_html(m: folium.Map) -> str:
    return m.get_root().render()


def to_fragment(m: folium.Map) -> str:
    """An iframe whose ``srcdoc`` holds the whole map page: paste into a report template."""
    page = to_html(m)
    return (
        '<div class="routes-map" style="width:100%;height:600px">'
        f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:100%;border:none" '
        'sandbox="allow-scripts allow-popups" title="routes map"></iframe></div>\n'
    )
