"""Presenting a checked trip: the map, static formats and the files they go in."""
