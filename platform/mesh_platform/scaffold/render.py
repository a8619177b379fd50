"""Render the templates shipped in this package. They use [[ ]] and [% %] so they can hold dbt's {{ }}."""

from __future__ import annotations

from functools import lru_cache

from ..writers.jinja import dbt_literal


@lru_cache(maxsize=2)
def _environment(markdown: bool):
    from jinja2 import Environment, PackageLoader, StrictUndefined

    # dbt reads every .md file under models/ as Jinja (docs blocks): there, a value is written through
    # dbt_literal, so that an unclosed `{{` a user typed cannot break the project's parse
    finalize = (lambda value: dbt_literal(value) if isinstance(value, str) else value) if markdown else None
    return Environment(loader=PackageLoader("mesh_platform.scaffold", "templates"), undefined=StrictUndefined,
                       variable_start_string="[[", variable_end_string="]]", block_start_string="[%",
                       block_end_string="%]", comment_start_string="[#", comment_end_string="#]",
                       keep_trailing_newline=True, autoescape=False, finalize=finalize)


def render(template: str, **values) -> str:
    """Values are data: they are substituted, never parsed as template source (and in Markdown, which dbt
    reads, written through dbt_literal)."""
    return _environment(template.endswith(".md")).get_template(template).render(**values)
