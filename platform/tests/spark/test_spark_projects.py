"""The mesh of projects on Spark: funding and collections split out, the three projects built on one metastore
(their schemas side by side), giving the analytics products the single project gives on DuckDB."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project
from engine_results import ANALYTICS, build_in_child, differences

from mesh_platform.masking import KEY_VARIABLE


def mesh(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mesh_platform", "--project-dir", str(root), *args],
                          capture_output=True, text=True, cwd=root, env={**os.environ, **env}, timeout=1800)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("spark-projects")
    env = {"MESH_SPARK_DIR": str(folder / "spark"), KEY_VARIABLE: "spark-tests-masking-key-0123456789"}
    single = build_in_child(copy_project(folder / "duckdb" / "mesh"), "duckdb", env)["full"]["products"]
    root = copy_project(folder / "mesh")
    for domain in ("funding", "collections"):
        split = mesh(root, env, "split", domain)
        assert split.returncode == 0, split.stdout + split.stderr
    report = folder / "build.json"
    build = mesh(root, env, "build", "--target", "spark", "--quiet", "--report-json", str(report))
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-2000:]
    products = build_in_child(root, "spark", env, read_only=True)["products"]
    return {"single": single, "split": products, "outcomes": json.loads(report.read_text())["outcomes"]}


@pytest.mark.spark
def test_the_mesh_of_projects_builds_on_spark(built):
    outcomes = built["outcomes"]
    assert [o for o in outcomes if o["status"] in ("error", "fail")] == []
    assert {o["domain"] for o in outcomes if o["resource_type"] == "model"} >= {"funding", "collections", "analytics"}


@pytest.mark.spark
def test_the_mesh_of_projects_on_spark_gives_the_single_projects_analytics(built):
    assert set(built["single"]) == ANALYTICS
    assert differences(built["single"], built["split"], names=("single project on duckdb", "projects on spark")) == []
