"""What a nightly run found, per domain: one item per dbt node, rule finding, linted file and expectation."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

PASSED, WARNED, FAILED, SKIPPED = "passed", "warned", "failed", "skipped"
HELD_UP = "held up"  # a domain whose models built while some of its tests could not run
DBT_KINDS = ("seed", "model", "test")
KINDS = ("parse", *DBT_KINDS, "orphan", "freshness", "sla", "check", "lint", "quality")
PROJECT = "(project)"  # what belongs to no domain: project-wide macros, expired waivers


@dataclass(frozen=True)
class Item:
    """One thing the night checked. `key` is unique per kind within a run; `related` names the nodes a
    failure skipped, or the failure that skipped this one; `details`: lines a report shows under a failure (a
    failed test's examples, failure_examples.py)."""

    kind: str
    key: str
    name: str
    status: str
    message: str = ""
    path: str = ""
    seconds: float | None = None
    related: tuple[str, ...] = ()
    details: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, raw: dict) -> Item:
        return cls(**{**raw, "related": tuple(raw.get("related", ())), "details": tuple(raw.get("details", ()))})


@dataclass(frozen=True)
class Impact:
    """A problem upstream that reaches a consuming domain: the producer's product, what went wrong with it, and
    the consumer's own products (or models, when no product of its reads it) that it holds up."""

    upstream: str
    reason: str
    affected: tuple[str, ...]


@dataclass
class DomainResult:
    name: str
    owner_name: str = ""
    owner_email: str = ""
    team_handle: str = ""
    items: list[Item] = field(default_factory=list)

    @property
    def status(self) -> str:
        """failed: something of its own failed; blocked: a model (or more) of it was not built because of a
        failure upstream; held up: its models built, but some of its tests could not run (they read what
        failed upstream, e.g. a relationships test); else passed."""
        if any(item.status == FAILED for item in self.items):
            return "failed"
        skipped = {item.kind for item in self.items if item.status == SKIPPED}
        if skipped - {"test"}:
            return "blocked"
        return HELD_UP if skipped else "passed"

    @property
    def owner(self) -> str:
        parts = [self.owner_name, f"<{self.owner_email}>" if self.owner_email else "", self.team_handle]
        return " ".join(part for part in parts if part) or "no owner declared"

    def counts(self, kind: str) -> Counter:
        return Counter(item.status for item in self.items if item.kind == kind)

    def of(self, *statuses: str) -> list[Item]:
        return [item for item in self.items if item.status in statuses]


@dataclass(frozen=True)
class Step:
    name: str
    status: str  # ok, failed (it ran and found failures), error (it could not run), skipped
    seconds: float
    detail: str = ""


@dataclass
class NightlyRun:
    run_id: str
    started_at: str
    target: str
    resumed_from: str | None = None
    finished_at: str = ""
    wall_seconds: float = 0.0
    dbt_parses: int = 0
    steps: list[Step] = field(default_factory=list)
    domains: dict[str, DomainResult] = field(default_factory=dict)
    consumers_hit: dict[str, list[Impact]] = field(default_factory=dict)  # consuming domain: problems reaching it

    @property
    def status(self) -> str:
        broken = any(step.status == "error" for step in self.steps)
        return "failed" if broken or any(d.status != "passed" for d in self.domains.values()) else "passed"

    @property
    def exit_code(self) -> int:
        return 0 if self.status == "passed" else 1

    def items(self, kind: str | None = None) -> list[tuple[str, Item]]:
        return [(name, item) for name, domain in self.domains.items() for item in domain.items
                if kind is None or item.kind == kind]

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "status": self.status, "started_at": self.started_at,
                "finished_at": self.finished_at, "wall_seconds": self.wall_seconds, "target": self.target,
                "resumed_from": self.resumed_from, "dbt_parses": self.dbt_parses,
                "steps": [asdict(step) for step in self.steps],
                "domains": {name: {"status": d.status, "owner_name": d.owner_name, "owner_email": d.owner_email,
                                   "team_handle": d.team_handle,
                                   "counts": {kind: dict(d.counts(kind)) for kind in KINDS},
                                   "items": [asdict(item) for item in d.items]}
                            for name, d in self.domains.items()},
                "consumers_hit": {name: [asdict(impact) for impact in impacts]
                                  for name, impacts in self.consumers_hit.items()}}

    @classmethod
    def from_dict(cls, raw: dict) -> NightlyRun:
        run = cls(raw["run_id"], raw["started_at"], raw["target"], raw.get("resumed_from"), raw["finished_at"],
                  raw["wall_seconds"], raw["dbt_parses"], [Step(**step) for step in raw["steps"]])
        for name, d in raw["domains"].items():
            run.domains[name] = DomainResult(name, d["owner_name"], d["owner_email"], d["team_handle"],
                                             [Item.from_dict(item) for item in d["items"]])
        run.consumers_hit = {name: [Impact(i["upstream"], i["reason"], tuple(i["affected"])) for i in impacts]
                             for name, impacts in raw.get("consumers_hit", {}).items()}
        return run
