"""Bundled geodata of routes (installed as ``routes._data``): places, lines, regions, rivers."""
