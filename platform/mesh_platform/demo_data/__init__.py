"""Deterministic raw data for the reference mesh: the seeds under `seeds/<domain>/`."""

from .story import Tables, generate
from .writer import write_seeds

__all__ = ["Tables", "generate", "write_seeds"]
