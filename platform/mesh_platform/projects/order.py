"""In which order the projects of a mesh run: waves of (project, domains), each after every domain it reads.

A graduated domain usually both reads the root project (merchants, underwriting) and is read by it (analytics),
so projects cannot simply run one after the other; domains can. What a domain reads comes from the access
agreements (every cross-domain use has one, ACC004), the projects' manifests where they exist (cross-project
refs), and the raw tables `mesh split` left declared for a domain that still reads them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from ..access.agreements import load_agreements
from ..errors import MeshError
from ..manifest import load_manifest
from .config import MeshProject


@dataclass(frozen=True)
class Wave:
    project: MeshProject
    domains: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.project.name} ({', '.join(self.domains)})"


def project_domains(project: MeshProject, graduated: set[str]) -> tuple[str, ...]:
    """The domains a project holds: a graduated one's as mesh.yml lists them; the root's, its domain folders."""
    if project.domains:
        return project.domains
    folders = sorted(path.name for path in (project.root / "models").iterdir()
                     if path.is_dir() and any(path.glob(f"_{path.name}__domain.yml")))
    return tuple(name for name in folders if name not in graduated)


def domain_reads(projects: list[MeshProject], homes: dict[str, MeshProject]) -> dict[str, set[str]]:
    """{domain: the other domains it reads}, over every project."""
    reads: dict[str, set[str]] = {domain: set() for domain in homes}
    for project in projects:
        filed, _ = load_agreements(project.root)
        for entry in filed:
            if entry.agreement.consumer in reads and entry.producer in reads:
                reads[entry.agreement.consumer].add(entry.producer)
        for consumer, producer_project in _raw_reads(project, projects):
            if consumer in reads:
                reads[consumer] |= set(producer_project.domains)
        for consumer, producer in _manifest_reads(project):
            if consumer in reads and producer in reads:
                reads[consumer].add(producer)
    for domain, producers in reads.items():
        producers.discard(domain)
    return reads


def _raw_reads(project: MeshProject, projects: list[MeshProject]) -> list[tuple[str, MeshProject]]:
    """(reader domain, project) for each raw-table declaration `mesh split` left in `project`."""
    found = []
    for other in projects:
        if other is project or not other.domains:
            continue
        for path in (project.root / "models").glob(f"*/_{other.name}__sources.yml"):
            found.append((path.parent.name, other))
    return found


def _manifest_reads(project: MeshProject) -> list[tuple[str, str]]:
    """(consumer domain, producer domain) of each cross-project ref the project's last manifest holds."""
    if not project.manifest_path.is_file():
        return []
    try:
        manifest = load_manifest(project.manifest_path)
    except MeshError:
        return []
    own = manifest.metadata.project_name
    found = []
    for node in manifest.nodes.values():
        if node.package_name != own or not node.get("group"):
            continue
        for parent in node.depends_on.nodes:
            upstream = manifest.nodes.get(parent)
            if upstream is not None and upstream.package_name != own and upstream.get("group"):
                found.append((node.get("group"), upstream.get("group")))
    return found


@dataclass(frozen=True)
class Plan:
    """The waves in order, and what each domain reads (to know what a failure upstream stops)."""

    waves: list[Wave]
    reads: dict[str, set[str]]

    def later_domains(self, index: int) -> list[str]:
        """The domains of wave `index`'s project that run in a later wave: its parse leaves them out (what they
        read may not be built, or parsed, yet)."""
        project = self.waves[index].project
        return [domain for wave in self.waves[index + 1:] if wave.project is project for domain in wave.domains]

    def stopped_by(self, domain: str, failed: Collection[str]) -> str | None:
        """The first domain in `failed` that `domain` reads, directly or not; None when it reads none."""
        seen: set[str] = set()
        queue = list(self.reads.get(domain, ()))
        while queue:
            upstream = queue.pop()
            if upstream in seen:
                continue
            seen.add(upstream)
            if upstream in failed:
                return upstream
            queue.extend(self.reads.get(upstream, ()))
        return None


def plan(projects: list[MeshProject]) -> Plan:
    """The waves, root project first where it can go; a cycle between domains is one MeshError naming it."""
    graduated = {domain for project in projects for domain in project.domains}
    homes = {domain: project for project in projects for domain in project_domains(project, graduated)}
    reads = domain_reads(projects, homes)
    done: set[str] = set()
    waves = []
    while len(done) < len(homes):
        progressed = False
        for project in projects:
            batch: list[str] = []
            grew = True
            while grew:
                grew = False
                for domain, home in homes.items():
                    if home is project and domain not in done and domain not in batch \
                            and reads[domain] <= done | set(batch):
                        batch.append(domain)
                        grew = True
            if batch:
                waves.append(Wave(project, tuple(sorted(batch))))
                done |= set(batch)
                progressed = True
        if not progressed:
            stuck = sorted(set(homes) - done)
            raise MeshError("the domains read each other in a cycle across projects: "
                            + "; ".join(f"{d} reads {', '.join(sorted(reads[d] - done))}" for d in stuck)
                            + ". Break the cycle (a product that reads its own consumer) before building")
    return Plan(waves, reads)


def runnable_waves(plan: Plan, failed: Collection[str], blocked: dict[str, str]) -> Iterator[tuple[int, Wave]]:
    """Each wave (with its index in the plan) with only its domains that can run: a domain that reads one in
    `failed` (as the caller records them) is recorded in `blocked`, with why, instead."""
    for index, wave in enumerate(plan.waves):
        for domain in wave.domains:
            upstream = plan.stopped_by(domain, failed)
            if upstream is not None:
                blocked[domain] = f"it reads {upstream}, which could not run"
        domains = tuple(domain for domain in wave.domains if domain not in blocked)
        if domains:
            yield index, Wave(wave.project, domains)


def wave_arguments(plan: Plan, index: int, target: str | None, full_refresh: bool) -> list[str]:
    """What every wave's `mesh` command is given: the target, a full refresh, its project's later waves."""
    later = plan.later_domains(index)
    return [*(["--target", target] if target else []), *(["--full-refresh"] if full_refresh else []),
            *(["--leave-out", *later] if later else [])]
