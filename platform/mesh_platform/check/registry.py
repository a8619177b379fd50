"""Rules are small functions registered with @rule and discovered by importing the rules package."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import msgspec

SEVERITIES = ("error", "warn", "off")


class Violation(msgspec.Struct, frozen=True, gc=False):
    """One breach of one rule by one node (or domain, or file); a struct, as a big mesh makes thousands."""

    code: str
    node: str
    message: str
    domain: str | None = None
    path: str | None = None
    related: str = ""  # the other end of a dependency, when the breach is an edge
    severity: str | None = None  # this finding's default, when it is not the rule's (mesh.yml still decides)

    @property
    def key(self) -> str:
        """Stable identity for baselines: the rule, the node and, for edges, the other end."""
        return ":".join([part for part in (self.code, self.node, self.related) if part])


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    category: str
    severity: str
    check: Callable[..., Iterable[Violation]]
    needs_compiled_sql: bool = False  # not run on a parse alone (reported as not run, never as passed)

    @property
    def doc(self) -> str:
        import inspect  # imported here: only listings and SARIF need the docs

        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.name


_RULES: dict[str, Rule] = {}


def rule(code: str, severity: str = "error", needs_compiled_sql: bool = False):
    """Register a rule: its code is its stable id, its docstring its description. `needs_compiled_sql`: it
    judges compiled SQL, so on a parse-only manifest it is not run (and said so)."""
    if severity not in SEVERITIES:
        raise ValueError(f"rule {code}: severity must be one of {SEVERITIES}")

    def register(function):
        if code in _RULES and _RULES[code].check is not function:
            raise ValueError(f"rule code {code} is used twice")
        category = function.__module__.rsplit(".", 1)[-1]
        _RULES[code] = Rule(code, function.__name__.replace("_", "-"), category, severity, function,
                            needs_compiled_sql)
        return function

    return register


def all_rules() -> dict[str, Rule]:
    """Every rule in mesh_platform.check.rules, by code (importing the package's modules registers them)."""
    from . import rules

    for module in pkgutil.iter_modules(rules.__path__):
        importlib.import_module(f"{rules.__name__}.{module.name}")
    return dict(sorted(_RULES.items()))
