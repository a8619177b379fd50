"""The reference demo of a mesh of projects: funding and collections graduate to dbt projects of their own
(`mesh split`); the mesh of three projects builds from scratch with the single project's rows, passes its rules,
names the consumers of a breaking change in every project, and keeps the other domains building when a model
of funding breaks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import copy_masking_key, copy_project, share_parse_state, tree_hash

from mesh_platform.manifest import Mesh, load_manifest
from mesh_platform.projects.config import mesh_projects
from mesh_platform.projects.order import plan

GRADUATED = ("funding", "collections")


def mesh(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The `mesh` command as a user runs it, in its own process (dbt-loom patches dbt once per process)."""
    return subprocess.run([sys.executable, "-m", "mesh_platform", "--project-dir", str(root), *args],
                          capture_output=True, text=True, cwd=root)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=root, check=True,
                   capture_output=True)


@pytest.fixture(scope="module")
def split_mesh(built_mesh, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of the reference mesh with funding and collections split out, then its nightly from scratch: no
    manifest, no warehouse (the masking key of the single-project build, so masked columns compare)."""
    root = share_parse_state(built_mesh[0], copy_project(tmp_path_factory.mktemp("split") / "mesh"))
    copy_masking_key(built_mesh[0], root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the reference mesh")
    for domain in GRADUATED:
        result = mesh(root, "split", domain)
        assert result.returncode == 0, result.stdout + result.stderr
    git(root, "add", "-A")
    git(root, "commit", "-qm", "funding and collections graduate")
    for folder in (root, *(root / "projects" / d for d in GRADUATED)):
        shutil.rmtree(folder / "target", ignore_errors=True)
        for file in (folder / "warehouse").glob("*.duckdb*"):
            if not file.name.endswith(".pii-key"):
                file.unlink()
    return root, mesh(root, "nightly", "--quiet")


def test_split_moves_the_domains_and_makes_their_refs_cross_project(split_mesh):
    root, _ = split_mesh
    for domain in GRADUATED:
        assert not (root / "models" / domain).exists()
        assert (root / "projects" / domain / "models" / domain / f"_{domain}__domain.yml").is_file()
        assert (root / "projects" / domain / "dbt_loom.config.yml").is_file()
    assert "ref('funding', 'advances')" in (root / "models/analytics/marts/funnel.sql").read_text()
    assert "ref('funding', 'advances')" in (root / "projects/collections/models/collections/marts/repayments.sql"
                                            ).read_text()
    assert "ref('mesh', 'applications')" in (root / "projects/funding/models/funding/marts/advances.yml").read_text()
    assert "/projects/funding/ @lender/funding" in (root / ".github/CODEOWNERS").read_text()
    assert [p.name for p in mesh_projects(root, "mesh")] == ["mesh", "funding", "collections"]


def test_the_projects_run_in_waves_of_domains(split_mesh):
    root, _ = split_mesh
    waves = [(wave.project.name, wave.domains) for wave in plan(mesh_projects(root, "mesh")).waves]
    assert waves == [("mesh", ("merchants", "underwriting")), ("funding", ("funding",)),
                     ("collections", ("collections",)), ("mesh", ("analytics", "legacy", "partners"))]


def test_the_nightly_of_projects_passes_from_scratch(split_mesh):
    root, night = split_mesh
    assert night.returncode == 0, night.stdout[-3000:] + night.stderr
    latest = (root / "target/nightly/LATEST").read_text().strip()
    summary = json.loads((root / "target/nightly" / latest / "summary.json").read_text())
    assert {name: d["status"] for name, d in summary["domains"].items()} == dict.fromkeys(
        ["merchants", "underwriting", "funding", "collections", "analytics", "legacy", "partners"], "passed")
    assert summary["dbt_parses"] == 4  # one per project, the root's twice: it feeds funding and reads it
    assert [s["status"] for s in summary["steps"] if s["name"] == "check"] == ["ok"]
    assert "funding" in (root / "target/nightly" / latest / "junit.xml").read_text()


def test_every_product_has_the_single_projects_rows(split_mesh, built_mesh):
    root, _ = split_mesh
    single = Mesh(load_manifest(built_mesh[0] / "target" / "manifest.json"))
    files = {"mesh": root / "warehouse/mesh.duckdb",
             **{d: root / "projects" / d / "warehouse" / f"project_{d}.duckdb" for d in GRADUATED}}
    with duckdb.connect(str(built_mesh[0] / "warehouse/mesh.duckdb"), read_only=True) as connection:
        for name, path in files.items():
            connection.execute(f"attach '{path}' as split_{name} (read_only)")
        compared = 0
        for product in single.products():
            domain = single.domain_of(product.unique_id)
            split = f"split_{domain if domain in GRADUATED else 'mesh'}.{product.schema}.{product.alias}"
            single_relation = f"{product.schema}.{product.alias}"
            for left, right in ((single_relation, split), (split, single_relation)):
                extra = connection.sql(f"select count(*) from (select * from {left} except all "
                                       f"select * from {right})").fetchone()[0]
                assert extra == 0, f"{product.name}: {extra} row(s) of {left} are not in {right}"
            compared += 1
    assert compared == len(single.products()) >= 16


def test_a_breaking_change_in_funding_names_its_consumers_in_every_project(split_mesh):
    root, _ = split_mesh
    contract = root / "projects/funding/models/funding/marts/advances.yml"
    original = contract.read_text()
    contract.write_text(original.replace("data_type: decimal(12,2)", "data_type: double", 1))
    try:
        result = mesh(root, "diff", "--base", "HEAD", "--format", "json")
    finally:
        contract.write_text(original)
    assert result.returncode == 1, result.stdout + result.stderr
    changes = json.loads(result.stdout)["changes"]
    breaking = [change for change in changes if change["breaking"]]
    assert [(c["product"], c["domain"]) for c in breaking] == [("advances", "funding")]
    hit = {consumer["domain"] for consumer in breaking[0]["consumers"]}
    assert {"collections", "analytics"} <= hit


def test_a_broken_model_in_funding_leaves_the_others_building(split_mesh, tmp_path):
    root, _ = split_mesh
    model = root / "projects/funding/models/funding/intermediate/int_advances_priced.sql"
    original = model.read_text()
    model.write_text(original + "\nwhere not_a_column > 0\n")
    report = tmp_path / "build.json"
    try:
        result = mesh(root, "build", "--quiet", "--report-json", str(report))
    finally:
        model.write_text(original)
    assert result.returncode == 1, result.stdout + result.stderr
    outcomes = json.loads(report.read_text())["outcomes"]
    failed = {o["domain"] for o in outcomes if o["status"] in ("error", "fail")}
    assert failed == {"funding"}
    passed = {o["domain"] for o in outcomes if o["status"] in ("success", "pass")}
    assert {"merchants", "underwriting", "partners"} <= passed


def test_a_ref_to_an_upstream_private_model_fails_at_parse_naming_both(split_mesh):
    root, _ = split_mesh
    model = root / "models/analytics/intermediate/int_reads_funding_privately.sql"
    model.write_text("select * from {{ ref('funding', 'int_advances_priced') }}\n")
    try:
        result = mesh(root, "domains")
    finally:
        model.unlink()
    assert result.returncode != 0
    assert "int_reads_funding_privately" in result.stderr and "int_advances_priced" in result.stderr


def test_split_refuses_when_other_domains_read_its_models_that_are_not_products(project_copy):
    root = project_copy
    priced = root / "models/funding/intermediate/_funding__intermediate.yml"
    priced.write_text(priced.read_text().replace("  - name: int_advances_priced\n",
                                                 "  - name: int_advances_priced\n    access: protected\n", 1))
    reader = root / "models/collections/intermediate/int_reads_priced.sql"
    reader.write_text("select * from {{ ref('int_advances_priced') }}\n")
    before = tree_hash(root)
    result = mesh(root, "split", "funding")
    assert result.returncode != 0
    assert "int_reads_priced (collections) reads int_advances_priced (protected)" in result.stderr
    assert tree_hash(root) == before
