"""`mesh.yml`: rule severities, per-domain overrides, and waivers with a reason and an expiry date."""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MeshError
from .registry import SEVERITIES, Violation

CONFIG_FILE = "mesh.yml"
DEFAULT_BASELINE = "mesh-baseline.json"
TOP_KEYS = {"rules", "domains", "waivers", "baseline"}
WAIVER_KEYS = {"rule", "node", "domain", "reason", "expires"}


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


def load_config(root: Path | None, known_rules: set[str], path: Path | None = None) -> CheckConfig:
    """Read mesh.yml (none is fine: every rule at its default). Every mistake is one MeshError line."""
    path = path or (root / CONFIG_FILE if root else None)
    if path is None or not path.is_file():
        if path is not None and root is not None and path != root / CONFIG_FILE:
            raise MeshError(f"config file {path} does not exist")
        return CheckConfig(baseline=(root or Path.cwd()) / DEFAULT_BASELINE)
    import yaml  # imported here, as only a project with a mesh.yml needs it

    where = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise MeshError(f"{where}{line}: not valid YAML ({getattr(error, 'problem', error)})") from None
    _expect(isinstance(data, dict), f"{where}: expected a mapping with keys {', '.join(sorted(TOP_KEYS))}")
    _unknown(set(data) - TOP_KEYS, f"{where}: unknown key", TOP_KEYS)
    config = CheckConfig(path=path, baseline=path.parent / str(data.get("baseline") or DEFAULT_BASELINE))
    config.severities = _severities(data.get("rules") or {}, known_rules, f"{where} rules")
    domains = data.get("domains") or {}
    _expect(isinstance(domains, dict), f"{where} domains: expected a mapping of domain -> {{rules: ...}}")
    for domain, settings in domains.items():
        _expect(isinstance(settings, dict), f"{where} domains.{domain}: expected a mapping with key rules")
        _unknown(set(settings) - {"rules"}, f"{where} domains.{domain}: unknown key", {"rules"})
        config.domain_severities[domain] = _severities(settings.get("rules") or {}, known_rules,
                                                       f"{where} domains.{domain}.rules")
    waivers = data.get("waivers") or []
    _expect(isinstance(waivers, list), f"{where} waivers: expected a list")
    config.waivers = [_waiver(entry, known_rules, f"{where} waivers[{i}]") for i, entry in enumerate(waivers)]
    return config


def _severities(settings, known_rules: set[str], where: str) -> dict[str, str]:
    _expect(isinstance(settings, dict), f"{where}: expected a mapping of rule code -> error|warn|off")
    _unknown(set(settings) - known_rules, f"{where}: unknown rule code", known_rules)
    severities = {}
    for code, severity in settings.items():
        severity = "off" if severity is False else severity  # YAML 1.1 reads a bare `off` as false
        _expect(severity in SEVERITIES, f"{where}.{code}: severity '{severity}' is not one of error, warn, off")
        severities[code] = severity
    return severities


def _waiver(entry, known_rules: set[str], where: str) -> Waiver:
    _expect(isinstance(entry, dict), f"{where}: expected a mapping with rule, node, reason, expires")
    _unknown(set(entry) - WAIVER_KEYS, f"{where}: unknown key", WAIVER_KEYS)
    missing = [key for key in ("rule", "node", "reason", "expires") if not str(entry.get(key) or "").strip()]
    _expect(not missing, f"{where}: missing {', '.join(missing)} (a waiver names rule, node, reason and expires)")
    _unknown({entry["rule"]} - known_rules, f"{where}: unknown rule code", known_rules)
    expires = entry["expires"]
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            expires = None
    _expect(isinstance(expires, dt.date), f"{where}: expires must be a date like 2027-06-30")
    return Waiver(rule=entry["rule"], node=str(entry["node"]), reason=str(entry["reason"]).strip(),
                  expires=expires, domain=entry.get("domain"))


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise MeshError(message)


def _unknown(keys: set, message: str, known: set) -> None:
    if keys:
        raise MeshError(f"{message} {', '.join(sorted(map(str, keys)))} (known: {', '.join(sorted(known))})")
