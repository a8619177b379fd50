"""Text that dbt renders as Jinja (descriptions, docs, owner names, meta), written so that dbt shows it exactly
as typed."""

from __future__ import annotations

import re

JINJA_MARKERS = ("{{", "}}", "{%", "%}", "{#", "#}")
RAW_OPEN, RAW_CLOSE = "{% raw %}", "{% endraw %}"
ENDRAW = re.compile(r"(\{%-?\s*endraw\s*-?%\})")
ENDRAW_PIECE = re.compile(r"\{% endraw %\}\{\{ '(\{%-?\s*endraw\s*-?%\})' \}\}\{% raw %\}")


class Jinja(str):
    """Text the platform itself writes as a template on purpose (e.g. `{{ target.schema }}_raw_x`): the dbt
    writers leave it as it is. Never wrap what a user typed in it."""


def dbt_literal(text: str) -> str:
    """Text dbt will show as typed: dbt renders Jinja in YAML fields and reads Markdown as Jinja, so anything
    that looks like Jinja is wrapped in a raw block (and a literal `{% endraw %}` inside it is emitted through an
    expression)."""
    if isinstance(text, Jinja) or not any(marker in text for marker in JINJA_MARKERS):
        return text
    pieces = ENDRAW.split(text)
    escaped = "".join("{% endraw %}{{ '" + piece + "' }}{% raw %}" if index % 2 else piece
                      for index, piece in enumerate(pieces))
    return RAW_OPEN + escaped + RAW_CLOSE


def typed_text(written: str) -> str:
    """The text as typed, from what dbt_literal wrote (for readers of the YAML files that do not run dbt);
    anything dbt_literal did not write comes back unchanged."""
    if not (written.startswith(RAW_OPEN) and written.endswith(RAW_CLOSE)):
        return written
    inner = written[len(RAW_OPEN):-len(RAW_CLOSE)]
    text = ENDRAW_PIECE.sub(lambda match: match.group(1), inner)
    return text if dbt_literal(text) == written else written
