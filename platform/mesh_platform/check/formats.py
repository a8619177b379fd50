"""The check's findings as a table per domain, JSON, JUnit XML, SARIF 2.1.0 or GitHub annotations."""

from __future__ import annotations

import re
from collections import defaultdict
from xml.etree import ElementTree

import msgspec

from ..manifest import PROJECT_WIDE, Domain
from .engine import CheckResult, Finding
from .rules.legacy import LEGACY_RULE

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
NON_ASCII = re.compile(r"[^\x00-\x7e]")


def summary(result: CheckResult) -> dict:
    counts: dict[str, int] = defaultdict(int)
    for finding in result.findings:
        counts[finding.status if finding.status != "open" else finding.severity] += 1
    legacy = [f for f in result.findings if f.violation.code == LEGACY_RULE]
    return {"errors": counts["error"], "warnings": counts["warn"], "waived": counts["waived"],
            "baselined": counts["baselined"], "stale_baseline": len(result.stale_baseline),
            "rules": len(result.rules), "legacy_dependencies": len(legacy),
            "legacy_dependencies_in_baseline": sum(f.status == "baselined" for f in legacy)}


def summary_line(result: CheckResult) -> str:
    s = summary(result)
    line = (f"{s['errors']} error(s), {s['warnings']} warning(s); {s['waived']} waived, "
            f"{s['baselined']} baselined; {s['rules']} rules")
    if s["legacy_dependencies"]:
        line += (f"; dependencies on legacy: {s['legacy_dependencies']} "
                 f"({s['legacy_dependencies_in_baseline']} in the baseline)")
    if s["stale_baseline"]:
        line += (f"; {s['stale_baseline']} baseline entr{'y' if s['stale_baseline'] == 1 else 'ies'} fixed since "
                 f"(shrink the baseline with `mesh check --write-baseline`)")
    if result.not_run:
        line += f"; not run without compiled SQL: {', '.join(result.not_run)}"
    return line


def by_domain(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped = defaultdict(list)
    for finding in findings:
        grouped[finding.violation.domain or PROJECT_WIDE].append(finding)
    return dict(sorted(grouped.items()))


def dumps(data) -> str:
    """Exactly `json.dumps(data, indent=2)` (ASCII only, non-ASCII as \\u escapes), many times faster."""
    text = msgspec.json.format(msgspec.json.encode(data), indent=2).decode()
    return text if text.isascii() else NON_ASCII.sub(_json_escape, text)


def _json_escape(match: re.Match) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a surrogate pair, as json writes it
        code -= 0x10000
        return f"\\u{0xD800 | code >> 10:04x}\\u{0xDC00 | code & 0x3FF:04x}"
    return f"\\u{code:04x}"


def to_json(result: CheckResult) -> str:
    return dumps({
        "summary": summary(result),
        "findings": [{"rule": f.violation.code, "severity": f.severity, "status": f.status,
                      "domain": f.violation.domain, "node": f.violation.node, "related": f.violation.related or None,
                      "path": f.violation.path, "message": f.violation.message, "waiver_reason": f.reason or None}
                     for f in result.findings],
        "coverage": {domain: {"tested_models": tested, "models": total}
                     for domain, (tested, total) in result.coverage.items()},
        "stale_baseline": result.stale_baseline,
        "not_run": result.not_run,  # rules that need compiled SQL, on a parse-only manifest
    })


def to_junit(result: CheckResult) -> str:
    """One test suite per domain; a test case per finding (errors fail); a passing case for a clean domain."""
    suites = ElementTree.Element("testsuites", name="mesh check")
    grouped = by_domain(result.open)
    for domain in sorted(set(grouped) | set(result.coverage)):
        findings = grouped.get(domain, [])
        failures = [f for f in findings if f.severity == "error"]
        suite = ElementTree.SubElement(suites, "testsuite", name=domain, tests=str(max(len(findings), 1)),
                                       failures=str(len(failures)), errors="0", skipped="0")
        for finding in findings:
            case = ElementTree.SubElement(suite, "testcase", classname=f"{domain}.{finding.violation.code}",
                                          name=finding.violation.node)
            if finding.severity == "error":
                failure = ElementTree.SubElement(case, "failure", message=finding.violation.message,
                                                 type=finding.violation.code)
                failure.text = finding.violation.message
            else:
                ElementTree.SubElement(case, "system-out").text = f"warning: {finding.violation.message}"
        if not findings:
            ElementTree.SubElement(suite, "testcase", classname=domain, name="all rules pass")
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True)


def to_sarif(result: CheckResult) -> str:
    rules = [{"id": rule.code, "name": rule.name, "shortDescription": {"text": rule.summary},
              "fullDescription": {"text": rule.doc},
              "defaultConfiguration": {"level": "warning" if rule.severity == "warn" else "error"}}
             for rule in result.rules.values()]
    results = []
    for finding in result.open:
        entry: dict[str, object] = {"ruleId": finding.violation.code,
                                    "level": "error" if finding.severity == "error" else "warning",
                 "message": {"text": finding.violation.message}}
        if finding.violation.path:
            entry["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": finding.violation.path}}}]
        results.append(entry)
    return dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [
        {"tool": {"driver": {"name": "mesh check", "informationUri": "https://docs.getdbt.com/docs/mesh",
                             "rules": rules}}, "results": results}]})


def to_github(result: CheckResult) -> str:
    """GitHub Actions workflow commands: an annotation per open finding, then the summary."""
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    lines = []
    for finding in result.open:
        level = "error" if finding.severity == "error" else "warning"
        where = f"file={finding.violation.path}," if finding.violation.path else ""
        lines.append(f"::{level} {where}title={finding.violation.code}::{escape(finding.violation.message)}")
    lines.append(f"mesh check: {summary_line(result)}")
    return "\n".join(lines)


def print_table(result: CheckResult, domains: dict[str, Domain], show_all: bool = False) -> None:
    """Findings grouped by domain, each under its owner and test coverage; waived/baselined with show_all."""
    from rich.table import Table

    from ..console import console, say

    shown = result.findings if show_all else result.open
    grouped = by_domain(shown)
    for domain in sorted(set(grouped) | set(result.coverage)):
        owner = domains.get(domain)
        tested, total = result.coverage.get(domain, (0, 0))
        heading = f"{domain} — {owner.owner_name} {owner.team_handle}" if owner else domain
        say(f"{heading} · {tested}/{total} models tested" if total else heading)
        findings = grouped.get(domain, [])
        if not findings:
            say("  no findings")
            continue
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2, 0, 2))
        for column in ("Severity", "Rule", "Status", "Message"):
            table.add_column(column, overflow="fold")
        for finding in findings:
            status = finding.status + (f": {finding.reason}" if finding.reason else "")
            table.add_row(finding.severity.upper() if finding.status == "open" else finding.severity,
                          finding.violation.code, status, finding.violation.message)
        console().print(table)
    say()
    say(summary_line(result))
