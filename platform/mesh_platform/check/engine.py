"""Run every rule, then apply severities, waivers and the baseline: the findings of a check."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from ..errors import MeshError
from ..manifest import PROJECT_WIDE, gc_paused
from .config import CheckConfig, Waiver
from .context import CheckContext
from .registry import Rule, Violation, all_rules

EXPIRED_WAIVER = "WAIVER"


class Finding(msgspec.Struct, frozen=True, gc=False):
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
    not_run: list[str] = field(default_factory=list)  # rules that need compiled SQL, on a parse-only manifest

    @property
    def open(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.status == "open"]

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


@gc_paused()  # the rules make many small objects and no cycles: no need to rescan the manifest's objects
def run_check(ctx: CheckContext, config: CheckConfig, baseline: set[str],
              today: dt.date | None = None) -> CheckResult:
    today = today or dt.date.today()
    result = CheckResult(rules=all_rules(), coverage=test_coverage(ctx))
    live_waivers = [w for w in config.waivers if not w.expired(today)]
    seen_keys, ran = set(), set()
    for rule in result.rules.values():
        if config.off_everywhere(rule.code, rule.severity):
            continue
        if rule.needs_compiled_sql and not ctx.compiled:
            result.not_run.append(rule.code)
            continue
        ran.add(rule.code)
        for violation in rule.check(ctx):
            key = violation.key if baseline else None  # a key is only ever looked up in the baseline
            seen_keys.add(key)
            severity = config.severity(rule.code, violation.domain, violation.severity or rule.severity)
            if severity == "off":
                continue
            waiver = _waiver(ctx, violation, live_waivers) if live_waivers else None
            if waiver:
                result.findings.append(Finding(violation, severity, "waived", waiver.reason))
            else:
                result.findings.append(Finding(violation, severity, "baselined" if key in baseline else "open"))
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


def _waiver(ctx: CheckContext, violation: Violation, waivers: list[Waiver]) -> Waiver | None:
    """The first waiver covering the violation (by its node's unique id or name)."""
    node = ctx.facts.nodes.get(violation.node)
    name = node.name if node else violation.node
    return next((waiver for waiver in waivers if waiver.covers(violation, name)), None)


def check_manifest(manifest, root: Path | None, config_path: Path | None = None,
                   domain: str | None = None, cache_dir: Path | None = None) -> tuple[CheckResult, CheckContext]:
    """Every rule over a manifest with the project's config (mesh.yml) and baseline, narrowed to a domain;
    `cache_dir` keeps derived facts across runs (see CheckContext)."""
    return check_context(CheckContext(manifest, root, cache_dir), config_path, domain)


def check_context(ctx: CheckContext, config_path: Path | None = None,
                  domain: str | None = None) -> tuple[CheckResult, CheckContext]:
    """check_manifest on a context made already (from a manifest, or from its cached facts)."""
    from .baseline import read_baseline
    from .config import load_config

    config = load_config(ctx.project_root, set(all_rules()), config_path)
    if domain and domain not in ctx.domains:
        raise MeshError(f"unknown domain '{domain}'; the domains are: {', '.join(ctx.domains) or 'none'}")
    result = run_check(ctx, config, read_baseline(config.baseline))
    if domain:
        result = CheckResult([f for f in result.findings if f.violation.domain == domain], result.stale_baseline,
                             {domain: result.coverage.get(domain, (0, 0))}, result.rules, result.not_run)
    return result, ctx


def test_coverage(ctx: CheckContext) -> dict[str, tuple[int, int]]:
    """(models with at least one test, models) per domain."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for node in ctx.facts.models:
        domain = node.domain or PROJECT_WIDE
        counts[domain][1] += 1
        counts[domain][0] += bool(ctx.facts.tests_of.get(node.unique_id))
    return {domain: (tested, total) for domain, (tested, total) in sorted(counts.items())}
