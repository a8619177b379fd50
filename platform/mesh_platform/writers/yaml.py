"""YAML written from data: through the safe dumper, so typed text is quoted as needed and stays a string."""

from __future__ import annotations

import yaml


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing a value met twice out again instead of as an alias (readers refuse aliases)."""

    def ignore_aliases(self, data) -> bool:
        return True


def dump_yaml(data: dict) -> str:
    """YAML through the safe dumper: what users typed is quoted as needed and stays a string."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
