"""Render the templates shipped in this package. They use [[ ]] and [% %] so they can hold dbt's {{ }}."""

from __future__ import annotations

from functools import lru_cache


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
