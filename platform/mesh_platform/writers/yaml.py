"""YAML written from data: through the safe dumper, so typed text is quoted as needed and stays a string."""

from __future__ import annotations

from typing import Any

import yaml

from .jinja import dbt_literal

# Keys dbt never renders as Jinja (it keeps their text as written): under `groups:`, the description.
NOT_RENDERED = {("groups", "description")}


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing a value met twice out again instead of as an alias (readers refuse aliases)."""

    def ignore_aliases(self, data) -> bool:
        return True


_Dumper.add_multi_representer(str, yaml.representer.SafeRepresenter.represent_str)  # Jinja (a str) as text


def dump_yaml(data: dict) -> str:
    """YAML through the safe dumper: what users typed is quoted as needed and stays a string. For files dbt
    does not read (quality suites, contracts); dbt's own YAML goes through dump_dbt_yaml."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def dump_dbt_yaml(data: dict) -> str:
    """A YAML file dbt reads (models, sources, groups): every text dbt renders as Jinja is written through
    dbt_literal, so the manifest holds it exactly as typed; only `writers.jinja.Jinja` text stays a template.
    The one writer of dbt YAML: callers pass plain text, never text they escaped themselves."""
    return dump_yaml(_literal(data, ()))


def _literal(value: Any, path: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return {key: _literal(item, (*path, str(key))) for key, item in value.items()}
    if isinstance(value, list):
        return [_literal(item, path) for item in value]
    if isinstance(value, str):
        return value if path in NOT_RENDERED else dbt_literal(value)
    return value
