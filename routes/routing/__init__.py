"""Routing: how a traveller gets from one place to another (rail today)."""
