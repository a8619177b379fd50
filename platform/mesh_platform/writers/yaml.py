"""YAML written from data: through the safe dumper, so typed text is quoted as needed and stays a string."""

from __future__ import annotations

import yaml


def dump_yaml(data: dict) -> str:
    """YAML through the safe dumper: what users typed is quoted as needed and stays a string."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
