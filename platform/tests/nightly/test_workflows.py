"""The CI workflows: valid GitHub Actions YAML (the schema check-jsonschema ships), running real mesh commands."""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mesh_platform.cli import build_parser

REPO = Path(__file__).resolve().parents[3]
WORKFLOWS = REPO / ".github" / "workflows"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def validate(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True)


def mesh_commands(workflow: dict) -> list[list[str]]:
    """Every `mesh ...` invocation in the workflow's run: blocks, as argv (expressions as placeholders)."""
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                line = line.replace("${{ github.base_ref }}", "main").strip()
                if ".venv/bin/mesh " in line:
                    words = shlex.split(line.split(".venv/bin/mesh ", 1)[1])
                    ends = [index for index, word in enumerate(words) if word in (">", ">>", "|", "&&", "||")]
                    commands.append(words[:ends[0]] if ends else words)
    return commands


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def test_the_workflows_are_valid_github_actions_workflows():
    result = validate(WORKFLOWS / "nightly.yml", WORKFLOWS / "pr.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_invalid_workflow_is_caught(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: broken\non: {schedule: daily}\njobs:\n  x:\n    steps:\n      - run: mesh nightly\n")
    result = validate(broken)
    assert result.returncode == 1 and "broken.yml" in result.stdout


@pytest.mark.parametrize("name", ["nightly.yml", "pr.yml"])
def test_every_mesh_command_in_a_workflow_is_one_the_cli_accepts(name):
    commands = mesh_commands(load(name))
    assert commands
    parser = build_parser()
    for argv in commands:
        parser.parse_args(argv)  # argparse exits (fails the test) on an unknown command or option


def test_the_nightly_runs_on_a_schedule_and_on_demand_and_keeps_its_reports():
    workflow = load("nightly.yml")
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    assert [argv[0] for argv in mesh_commands(workflow)] == ["nightly", "publish"]
    uploads = [step["with"]["path"] for step in workflow["jobs"]["nightly"]["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact")]
    assert any("target/nightly/" in path for path in uploads)
    assert any("target/manifest.json" in path and "target/products.duckdb" in path for path in uploads)


def test_what_ci_publishes_holds_no_raw_data_and_the_key_is_a_secret():
    workflow = load("nightly.yml")
    uploads = " ".join(step["with"]["path"] for step in workflow["jobs"]["nightly"]["steps"]
                       if step.get("uses", "").startswith("actions/upload-artifact"))
    assert "mesh.duckdb" not in uploads and "warehouse/" not in uploads  # the working warehouse stays in the job
    keys = {step.get("env", {}).get("DBT_ENV_SECRET_MESH_PII_KEY") for step in workflow["jobs"]["nightly"]["steps"]
            if "mesh nightly" in step.get("run", "") or "mesh publish" in step.get("run", "")}
    assert keys == {"${{ secrets.MESH_PII_KEY }}"}


def test_pull_requests_build_their_own_warehouse_from_the_demo_data_then_check_and_lint_the_changes():
    workflow = load("pr.yml")
    commands = mesh_commands(workflow)
    assert ["build"] in commands  # the whole mesh, from the seeds: no production warehouse reaches PR code
    assert "mesh.duckdb" not in (WORKFLOWS / "pr.yml").read_text().replace("# ", "")
    assert "secrets." not in (WORKFLOWS / "pr.yml").read_text()
    assert any(argv[:1] == ["check"] for argv in commands)
    assert any(argv[:3] == ["diff", "--base", "production/target/manifest.json"] for argv in commands)
    assert any(argv[:2] == ["lint", "--changed"] for argv in commands)
