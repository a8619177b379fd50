"""The rules of a mesh of projects (PRJ001-003) and the order its domains run in, on small fixtures: a case where
each passes and one where it catches the fault."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_manifests import good_product, group, manifest, model

from mesh_platform.check.context import CheckContext
from mesh_platform.check.registry import all_rules
from mesh_platform.errors import MeshError
from mesh_platform.manifest import Mesh
from mesh_platform.projects.config import MeshProject
from mesh_platform.projects.order import plan


def in_project(node: dict, project: str) -> dict:
    """The node as project `project`'s manifest names it."""
    kind, _, rest = node["unique_id"].partition(".p.")
    return {**node, "unique_id": f"{kind}.{project}.{rest}", "package_name": project}


def two_projects(advances: dict, reader_parents: list[str]) -> Mesh:
    """Project `funding` (graduated) with `advances`; the root `mesh` with analytics' `funnel` reading it."""
    funding = manifest(advances, groups=[group("funding")])
    funding["metadata"]["project_name"] = "funding"
    root = manifest(in_project(model("funnel", "analytics", parents=reader_parents), "mesh"),
                    groups=[group("analytics")])
    root["metadata"]["project_name"] = "mesh"
    return Mesh({"mesh": root, "funding": funding})


def findings(code: str, mesh: Mesh, projects=()) -> list:
    ctx = CheckContext(mesh, Path("."))
    ctx.projects = list(projects)
    return list(all_rules()[code].check(ctx))


CONTRACTED = in_project(good_product("advances", "funding")[0], "funding")


def test_prj001_passes_a_cross_project_ref_to_a_contracted_product():
    assert findings("PRJ001", two_projects(CONTRACTED, [CONTRACTED["unique_id"]])) == []


@pytest.mark.parametrize("change, why", [({"access": "protected"}, "is not public"),
                                         ({"contract": False}, "has no enforced contract")])
def test_prj001_catches_a_ref_to_what_is_not_a_contracted_product(change, why):
    advances = {**CONTRACTED, "access": change.get("access", "public"),
                "config": {**CONTRACTED["config"], "access": change.get("access", "public"),
                           "contract": {"enforced": "contract" not in change}}}
    found = findings("PRJ001", two_projects(advances, [advances["unique_id"]]))
    assert [(f.code, f.node, f.related) for f in found] == [
        ("PRJ001", "model.mesh.funnel", advances["unique_id"])]
    assert why in found[0].message and "project funding" in found[0].message


def _projects(tmp_path: Path, funding_domains=("funding",)) -> list[MeshProject]:
    root = tmp_path / "mesh"
    funding = tmp_path / "funding"
    for domain in ("analytics",):
        (root / "models" / domain).mkdir(parents=True)
        (root / "models" / domain / f"_{domain}__domain.yml").write_text("groups: []\n")
    return [MeshProject("mesh", root, (), root / "target/manifest.json", is_root=True),
            MeshProject("funding", funding, tuple(funding_domains), funding / "target/manifest.json")]


def test_prj003_passes_a_graduated_project_of_its_own_domain(tmp_path):
    mesh = two_projects(CONTRACTED, [CONTRACTED["unique_id"]])
    assert findings("PRJ003", mesh, _projects(tmp_path)) == []


def test_prj003_catches_another_domains_node_in_a_graduated_project(tmp_path):
    stray = in_project(model("partner_fees", "partners"), "funding")
    funding = manifest(CONTRACTED, stray, groups=[group("funding"), group("partners")])
    funding["metadata"]["project_name"] = "funding"
    found = findings("PRJ003", Mesh({"funding": funding}), _projects(tmp_path))
    assert [(f.code, f.node) for f in found] == [("PRJ003", "model.funding.partner_fees")]


def _agreement(root: Path, producer: str, consumer: str, product: str) -> None:
    folder = root / "models" / producer / "access"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{consumer}__{product}.access.yml").write_text(
        f"consumer: {consumer}\nproduct: {product}\npurpose: test\nstatus: approved\n"
        f"requested_by: a@x.example\nrequested_on: 2026-01-01\n")


def test_domains_run_after_what_they_read_across_projects(tmp_path):
    projects = _projects(tmp_path)
    _agreement(projects[1].root, "funding", "analytics", "advances")
    assert [(w.project.name, w.domains) for w in plan(projects).waves] == [("funding", ("funding",)),
                                                                           ("mesh", ("analytics",))]
    assert findings("PRJ002", two_projects(CONTRACTED, []), projects) == []


def test_a_cycle_between_domains_across_projects_is_refused_and_reported(tmp_path):
    projects = _projects(tmp_path)
    _agreement(projects[1].root, "funding", "analytics", "advances")
    _agreement(projects[0].root, "analytics", "funding", "funnel")
    with pytest.raises(MeshError, match="cycle across projects: analytics reads funding; funding reads analytics"):
        plan(projects)
    found = findings("PRJ002", two_projects(CONTRACTED, []), projects)
    assert [f.code for f in found] == ["PRJ002"]
