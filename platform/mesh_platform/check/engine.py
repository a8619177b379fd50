"""Run every rule, then apply severities, waivers and the baseline: the findings of a check."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .config import CheckConfig
from .context import CheckContext
from .registry import Rule, Violation, all_rules

EXPIRED_WAIVER = "WAIVER"
NO_DOMAIN = "(project)"


@dataclass(frozen=True)
class Finding:
    violation: Violation
    severity: str  # error or warn
    status: str  # open, waived or baselined
    reason: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity == "error" and self.status == "open"


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    stale_baseline: list[str] = field(default_factory=list)
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)

    @property
    def open(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.status == "open"]

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def run_check(ctx: CheckContext, config: CheckConfig, baseline: set[str],
              today: dt.date | None = None) -> CheckResult:
    today = today or dt.date.today()
    result = CheckResult(rules=all_rules(), coverage=test_coverage(ctx))
    live_waivers = [w for w in config.waivers if not w.expired(today)]
    seen_keys, ran = set(), set()
    for rule in result.rules.values():
        if config.off_everywhere(rule.code, rule.severity):
            continue
        ran.add(rule.code)
        for violation in rule.check(ctx):
            seen_keys.add(violation.key)
            severity = config.severity(rule.code, violation.domain, rule.severity)
            if severity == "off":
                continue
            name = (ctx.nodes.get(violation.node) or {}).get("name", violation.node)
            waiver = next((w for w in live_waivers if w.covers(violation, name)), None)
            if waiver:
                result.findings.append(Finding(violation, severity, "waived", waiver.reason))
            else:
                result.findings.append(Finding(violation, severity,
                                               "baselined" if violation.key in baseline else "open"))
    for waiver in config.waivers:
        if waiver.expired(today):
            where = f" in domain {waiver.domain}" if waiver.domain else ""
            result.findings.append(Finding(Violation(
                EXPIRED_WAIVER, f"{waiver.rule}:{waiver.node}",
                f"the waiver of {waiver.rule} for {waiver.node}{where} expired on {waiver.expires}: fix the "
                f"violations or renew it with a new date and reason", waiver.domain,
                str(config.path.name) if config.path else None), "error", "open"))
    # fixed since the baseline: its rule ran and the violation is gone (not merely switched off)
    result.stale_baseline = sorted(key for key in baseline - seen_keys if key.split(":", 1)[0] in ran)
    return result


def check_manifest(manifest, root: Path | None, config_path: Path | None = None,
                   domain: str | None = None) -> tuple[CheckResult, CheckContext]:
    """Every rule over a manifest with the project's config (mesh.yml) and baseline, narrowed to a domain."""
    from .baseline import read_baseline
    from .config import load_config

    config = load_config(root, set(all_rules()), config_path)
    ctx = CheckContext(manifest, root)
    if domain:
        ctx.graph.require_domain(domain)
    result = run_check(ctx, config, read_baseline(config.baseline))
    if domain:
        result = CheckResult([f for f in result.findings if f.violation.domain == domain], result.stale_baseline,
                             {domain: result.coverage.get(domain, (0, 0))}, result.rules)
    return result, ctx


def test_coverage(ctx: CheckContext) -> dict[str, tuple[int, int]]:
    """(models with at least one test, models) per domain."""
    counts = defaultdict(lambda: [0, 0])
    for node in ctx.models:
        domain = ctx.domain_of[node["unique_id"]] or NO_DOMAIN
        counts[domain][1] += 1
        counts[domain][0] += bool(ctx.tests_of.get(node["unique_id"]))
    return {domain: (tested, total) for domain, (tested, total) in sorted(counts.items())}
