"""dbt's messages, cut to what the reader acts on before they are folded to one line.

dbt's long messages put the point late: a YAML error quotes the file's lines before the parser's problem; an
enforced contract that fails prints a table after two sentences of advice, and then the macro stack. Folded to
one line and cut to a length, the point was the part cut off. Here the point comes first; the whole message
stays in dbt's log.
"""

from __future__ import annotations

import re

from .errors import one_line

_YAML_FILE = re.compile(r"Error reading [\w.-]+: (?P<path>\S+) - Runtime Error")
_YAML_LINE = re.compile(r"Syntax error near line (?P<line>\d+)")
_RAW = re.compile(r"Raw Error:\s*-+\s*(?P<raw>.*)", re.DOTALL)
_CONTRACT = "This model has an enforced contract that failed."
_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$", re.MULTILINE)
_ADAPTER = re.compile(r'profile "(?P<profile>[^"]+)", target "(?P<target>[^"]+)".*?'
                      r"Could not find adapter type (?P<type>\w+)!", re.DOTALL)
_STACK = re.compile(r"^\s*> (?:in|called by) .*$", re.MULTILINE)


def essential(message: str) -> str:
    """The message with its point first and in full: the YAML parser's problem with file and line, a failed
    contract's mismatching columns with both types; other messages without dbt's macro call stack."""
    return _yaml(message) or _contract(message) or _adapter(message) or one_line(_STACK.sub("", message), limit=1000)


def _adapter(message: str) -> str | None:
    """A profile for a warehouse whose dbt adapter is not installed: what to do about it."""
    found = _ADAPTER.search(message)
    if found is None:
        return None
    kind, profile, target = found["type"], found["profile"], found["target"]
    return (f"profile {profile!r}, target {target!r} is of type {kind}, and dbt's {kind} adapter (dbt-{kind}) is not "
            f"installed here: install it, or give the profile an output of an installed adapter (type: duckdb) to "
            f"parse with; a parse needs no warehouse (mesh adopt, mesh check --manifest)")


def _yaml(message: str) -> str | None:
    file, raw = _YAML_FILE.search(message), _RAW.search(message)
    if file is None or raw is None:
        return None
    line = _YAML_LINE.search(message)
    where = file["path"] + (f" line {line['line']}" if line else "")
    problem = [part.strip() for part in raw["raw"].splitlines()
               if part.strip() and not part.strip().startswith('in "<unicode string>"')]
    return f"not valid YAML: {where}: {'; '.join(problem)}"


def _contract(message: str) -> str | None:
    if _CONTRACT not in message:
        return None
    rows = [[cell.strip() for cell in row["cells"].split("|")] for row in _ROW.finditer(message)]
    header, body = (rows[0], rows[2:]) if len(rows) > 2 else (None, [])
    if header is None:
        return None
    mismatches = []
    for cells in body:
        found = dict(zip(header, cells, strict=False))
        model, contract = found.get("definition_type") or "none", found.get("contract_type") or "none"
        mismatches.append(f"{found.get('column_name')}: {found.get('mismatch_reason')} (the model gives {model}, "
                          f"the contract says {contract})")
    head = message[:message.index(_CONTRACT)].strip()
    prefix = f"{one_line(head)}: " if head else ""
    return f"{prefix}the enforced contract does not match: {'; '.join(mismatches)}"
