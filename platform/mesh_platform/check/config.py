"""`mesh.yml`: rule severities, per-domain overrides, and waivers with a reason and an expiry date."""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from ..errors import MeshError
from ..yaml_input import read_yaml, typed
from .registry import SEVERITIES, Violation

CONFIG_FILE = "mesh.yml"
DEFAULT_BASELINE = "mesh-baseline.json"
TOP_KEYS = {"rules", "domains", "waivers", "baseline", "notify", "projects"}


@dataclass(frozen=True)
class Waiver:
    rule: str
    node: str
    reason: str
    expires: dt.date
    domain: str | None = None

    def covers(self, violation: Violation, node_name: str) -> bool:
        return (self.rule == violation.code
                and (self.domain is None or self.domain == violation.domain)
                and (fnmatch.fnmatchcase(node_name, self.node) or fnmatch.fnmatchcase(violation.node, self.node)))

    def expired(self, today: dt.date) -> bool:
        return self.expires < today


@dataclass
class CheckConfig:
    severities: dict[str, str] = field(default_factory=dict)
    domain_severities: dict[str, dict[str, str]] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    baseline: Path = Path(DEFAULT_BASELINE)
    path: Path | None = None

    def severity(self, code: str, domain: str | None, default: str) -> str:
        """The domain's override, else the project's setting, else the rule's default."""
        return self.domain_severities.get(domain or "", {}).get(code) or self.severities.get(code) or default

    def off_everywhere(self, code: str, default: str) -> bool:
        """True when no domain would see this rule's findings, so it need not run at all."""
        project = self.severities.get(code) or default
        overrides = {settings[code] for settings in self.domain_severities.values() if code in settings}
        return project == "off" and overrides <= {"off"}


class _DomainSettings(msgspec.Struct, forbid_unknown_fields=True):
    rules: dict[str, Any] | None = None


class _WaiverEntry(msgspec.Struct, forbid_unknown_fields=True):
    rule: Any = None
    node: Any = None
    reason: Any = None
    expires: Any = None
    domain: str | None = None


class _CheckSettings(msgspec.Struct, forbid_unknown_fields=True):
    """What mesh.yml holds for `mesh check` (other sections are read by the features they configure)."""

    rules: dict[str, Any] | None = None
    domains: dict[str, Any] | None = None  # each typed on its own, so a mistake names its domain
    waivers: list[_WaiverEntry] | None = None
    baseline: str | None = None
    notify: Any = None  # the nightly's alerts (nightly/webhooks.py)
    projects: Any = None  # the mesh of projects (projects/config.py)


def load_config(root: Path | None, known_rules: set[str], path: Path | None = None) -> CheckConfig:
    """Read mesh.yml (none is fine: every rule at its default). Every mistake is one MeshError line."""
    path = path or (root / CONFIG_FILE if root else None)
    if path is None or not path.is_file():
        if path is not None and root is not None and path != root / CONFIG_FILE:
            raise MeshError(f"config file {path} does not exist")
        return CheckConfig(baseline=(root or Path.cwd()) / DEFAULT_BASELINE)
    where = path.name
    data = read_yaml(path, where)
    data = {} if data is None else data
    _expect(isinstance(data, dict), f"{where}: expected a mapping with keys {', '.join(sorted(TOP_KEYS))}")
    settings = typed(data, _CheckSettings, where)
    config = CheckConfig(path=path, baseline=path.parent / str(settings.baseline or DEFAULT_BASELINE))
    config.severities = _severities(settings.rules or {}, known_rules, f"{where} rules")
    for domain, entry in (settings.domains or {}).items():
        overrides = typed(entry or {}, _DomainSettings, f"{where} domains.{domain}")
        config.domain_severities[domain] = _severities(overrides.rules or {}, known_rules,
                                                       f"{where} domains.{domain}.rules")
    config.waivers = [_waiver(entry, known_rules, f"{where} waivers[{i}]")
                      for i, entry in enumerate(settings.waivers or [])]
    return config


def _severities(settings: dict, known_rules: set[str], where: str) -> dict[str, str]:
    _unknown(set(settings) - known_rules, f"{where}: unknown rule code", known_rules)
    severities = {}
    for code, severity in settings.items():
        severity = "off" if severity is False else severity  # YAML 1.1 reads a bare `off` as false
        _expect(severity in SEVERITIES, f"{where}.{code}: severity '{severity}' is not one of error, warn, off")
        severities[code] = severity
    return severities


def _waiver(entry: _WaiverEntry, known_rules: set[str], where: str) -> Waiver:
    missing = [key for key in ("rule", "node", "reason", "expires") if not str(getattr(entry, key) or "").strip()]
    _expect(not missing, f"{where}: missing {', '.join(missing)} (a waiver names rule, node, reason and expires)")
    _unknown({str(entry.rule)} - known_rules, f"{where}: unknown rule code", known_rules)
    expires = entry.expires
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            expires = None
    given = " ".join(str(entry.expires).split())
    given = given if len(given) <= 40 else given[:37] + "..."
    _expect(isinstance(expires, dt.date) and not isinstance(expires, dt.datetime),
            f"{where} ({entry.rule} on {entry.node}): expires '{given}' is not a day; expires must be a date "
            f"like 2027-06-30 (a day, not a time of day)")
    return Waiver(rule=str(entry.rule), node=str(entry.node), reason=str(entry.reason).strip(), expires=expires,
                  domain=entry.domain)


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise MeshError(message)


def _unknown(keys: set, message: str, known: set) -> None:
    if keys:
        raise MeshError(f"{message} {', '.join(sorted(map(str, keys)))} (known: {', '.join(sorted(known))})")
