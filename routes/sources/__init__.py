"""Readers of geodata. Each takes the folder or file it reads; ``bundled`` reads ``gazetteer/``."""
