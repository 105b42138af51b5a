"""The pipeline: resolve events, infer legs, judge timing and claims, locate in time."""
