"""Render the templates shipped in this package. They use [[ ]] and [% %] so they can hold dbt's {{ }}."""

from __future__ import annotations

from functools import lru_cache

import yaml


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("mesh_platform.scaffold", "templates"), undefined=StrictUndefined,
                       variable_start_string="[[", variable_end_string="]]", block_start_string="[%",
                       block_end_string="%]", comment_start_string="[#", comment_end_string="#]",
                       keep_trailing_newline=True, autoescape=False)


def render(template: str, **values) -> str:
    """Values are data: they are substituted, never parsed as template source."""
    return _environment().get_template(template).render(**values)


def dump_yaml(data: dict) -> str:
    """YAML through the safe dumper: what users typed is quoted as needed and stays a string."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
