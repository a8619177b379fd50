"""The files `mesh split` writes and edits, on the reference project's own files: what changes, and that every
other byte stays."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import REPO

from mesh_platform.projects.config import MeshProject, with_project
from mesh_platform.projects.project_files import (
    graduated_dbt_project,
    graduated_profile,
    loom_config,
    with_attached,
    without_domain_configs,
)

ROOT = MeshProject("mesh", Path("/repo"), (), Path("/repo/target/manifest.json"), is_root=True)
FUNDING = MeshProject("funding", Path("/repo/projects/funding"), ("funding",),
                      Path("/repo/projects/funding/target/manifest.json"))


def test_the_root_loses_only_the_domains_folder_config_lines():
    text = (REPO / "dbt_project.yml").read_text()
    after = without_domain_configs(text, "funding")
    removed = [line for line in text.splitlines() if line not in after.splitlines()]
    assert removed == ["    funding: {+group: funding, +schema: funding, marts: {+materialized: table}}",
                       "    funding: {+group: funding, +schema: raw_funding}"]
    assert yaml.safe_load(after)["vars"] == yaml.safe_load(text)["vars"]


def test_a_block_style_domain_config_goes_whole():
    text = "models:\n  mesh:\n    funding:\n      +group: funding\n      marts: {+materialized: table}\n" \
           "    partners: {+group: partners}\nvars:\n  funding: 1\n"
    assert without_domain_configs(text, "funding") == \
        "models:\n  mesh:\n    partners: {+group: partners}\nvars:\n  funding: 1\n"


def test_the_graduated_project_keeps_the_roots_settings_and_only_its_folder_configs():
    settings = yaml.safe_load((REPO / "dbt_project.yml").read_text())
    project = yaml.safe_load(graduated_dbt_project(settings, "mesh", "funding", FUNDING.root, ROOT.root))
    assert project["name"] == "funding" and project["vars"] == settings["vars"]
    assert project["macro-paths"] == ["macros", "../../macros"]
    assert project["models"]["funding"]["funding"] == settings["models"]["mesh"]["funding"]
    assert "partners" not in project["models"]["funding"]
    assert project["on-run-end"] == settings["on-run-end"]


def test_profiles_attach_the_other_warehouses_read_only_once():
    root_profile = (REPO / "profiles.yml").read_text()
    mine = with_attached(graduated_profile(root_profile, FUNDING, ROOT), FUNDING, [ROOT])
    outputs = yaml.safe_load(mine)["mesh"]["outputs"]["duckdb"]
    assert outputs["path"] == "warehouse/project_funding.duckdb"
    assert outputs["attach"] == [{"path": "../../warehouse/mesh.duckdb", "alias": "mesh", "read_only": True}]
    assert outputs["plugins"][0]["config"]["demo_key_file"] == "../../warehouse/mesh.duckdb.pii-key"
    spark = yaml.safe_load(mine)["mesh"]["outputs"]["spark"]["server_side_parameters"]
    assert "'../../warehouse/spark'" in spark["spark.sql.warehouse.dir"]  # one metastore: the root's
    again = with_attached(mine, FUNDING, [ROOT])
    assert again == mine
    root = with_attached(root_profile, ROOT, [FUNDING])
    assert yaml.safe_load(root)["mesh"]["outputs"]["duckdb"]["attach"] == [
        {"path": "projects/funding/warehouse/project_funding.duckdb", "alias": "project_funding",
         "read_only": True}]
    assert with_attached(root, ROOT, []) == root_profile


def test_loom_takes_from_each_manifest_only_the_nodes_its_project_owns():
    config = yaml.safe_load(loom_config(FUNDING, [ROOT]))
    assert config["manifests"] == [{"name": "mesh", "type": "file", "config": {"path": "../../target/manifest.json"},
                                    "included_packages": ["mesh"], "optional": True}]


def test_mesh_yml_keeps_its_settings_and_lists_the_projects_last():
    text = (REPO / "mesh.yml").read_text()
    once = with_project(text, [("funding", "projects/funding", ("funding",))])
    twice = with_project(once, [("funding", "projects/funding", ("funding",)),
                                ("collections", "projects/collections", ("collections",))])
    assert twice.startswith(text.rstrip("\n"))
    assert [p["name"] for p in yaml.safe_load(twice)["projects"]] == ["funding", "collections"]
    assert yaml.safe_load(twice)["waivers"] == yaml.safe_load(text)["waivers"]
