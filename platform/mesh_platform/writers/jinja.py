"""Text that dbt renders as Jinja (descriptions, docs), written so that dbt shows it exactly as typed."""

from __future__ import annotations

import re

JINJA_MARKERS = ("{{", "}}", "{%", "%}", "{#", "#}")


def dbt_literal(text: str) -> str:
    """Text dbt will show as typed: dbt renders Jinja in YAML descriptions, so anything that looks like
    Jinja is wrapped in a raw block (and a literal `{% endraw %}` inside it is emitted through an expression)."""
    if not any(marker in text for marker in JINJA_MARKERS):
        return text
    pieces = re.split(r"(\{%-?\s*endraw\s*-?%\})", text)
    escaped = "".join("{% endraw %}{{ '" + piece + "' }}{% raw %}" if index % 2 else piece
                      for index, piece in enumerate(pieces))
    return "{% raw %}" + escaped + "{% endraw %}"
