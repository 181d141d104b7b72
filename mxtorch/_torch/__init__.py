"""Torch plumbing that is not an operator: dtype tables, RNG, the .params binary format."""
