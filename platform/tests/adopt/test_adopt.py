"""`mesh adopt` on copies of a plain dbt project (tests/fixtures/shop), with real dbt on real DuckDB: the adopted
project passes `mesh check` and builds at once; every refusal and a failing compile leave the tree as it was."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import copy_project

from mesh_platform.check.baseline import read_baseline
from mesh_platform.check.config import load_config
from mesh_platform.check.context import CheckContext
from mesh_platform.check.engine import run_check
from mesh_platform.check.registry import all_rules
from mesh_platform.cli import main
from mesh_platform.ownership_log import ADOPTED_FROM, read_log, sql_lines

pytestmark = pytest.mark.integration

SHOP = Path(__file__).resolve().parents[1] / "fixtures" / "shop"
MODELS = ["customers", "orders", "payment_methods", "stg_customers", "stg_orders", "stg_payments"]
BUILD_OUTPUTS = {"target", "logs"}


def mesh(*args) -> tuple[int, str, str]:
    """Run the CLI in-process; (exit code, stdout, stderr). Usable from module-scoped fixtures (no capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def shop_copy(folder: Path) -> Path:
    return Path(shutil.copytree(SHOP, folder / "shop"))


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None), build outputs left out: the tree, byte for byte."""
    return {str(path.relative_to(root)): path.read_bytes() if path.is_file() else None
            for path in sorted(root.rglob("*")) if not BUILD_OUTPUTS & set(path.relative_to(root).parts)}


@pytest.fixture(scope="module")
def adopted(tmp_path_factory):
    """The shop adopted once, then checked and built: read it, never change it."""
    root = shop_copy(tmp_path_factory.mktemp("adopted"))
    adopt = mesh("adopt", root)
    check = mesh("check", "--project-dir", root)
    manifest = json.loads((root / "target" / "manifest.json").read_text())  # compiled by `mesh check`
    build = mesh("build", "--quiet", "--project-dir", root)
    return SimpleNamespace(root=root, adopt=adopt, check=check, build=build, manifest=manifest)


def test_the_adopted_project_passes_check_and_builds(adopted):
    code, out, err = adopted.adopt
    assert code == 0, err
    assert "Adopted shop: its 6 models are now domain legacy, owned by Data Platform" in out
    assert "3 open violations recorded (LAY001: 3)" in out
    assert out.index("Next steps:") < out.index("mesh check") < out.index("mesh handover MODEL... --to DOMAIN")
    code, out, err = adopted.check
    assert code == 0, out + err
    assert "0 error(s)" in out and "3 baselined" in out
    code, out, err = adopted.build
    assert code == 0, out + err
    assert "no failures" in out


def test_every_model_moves_under_legacy_with_its_bytes_and_group_legacy(adopted):
    root = adopted.root
    assert sorted(path.name for path in (root / "models").iterdir()) == ["legacy"]
    originals = sorted(path.relative_to(SHOP / "models") for path in (SHOP / "models").rglob("*") if path.is_file())
    for relative in originals:
        assert (root / "models" / "legacy" / relative).read_bytes() == (SHOP / "models" / relative).read_bytes()
    models = {node["name"]: node for node in adopted.manifest["nodes"].values() if node["resource_type"] == "model"}
    assert sorted(models) == MODELS
    for node in models.values():
        assert node["group"] == "legacy" and node["original_file_path"].startswith("models/legacy/")
    assert models["customers"]["config"]["materialized"] == "table"  # the folder config still applies
    assert models["stg_orders"]["config"]["materialized"] == "view"
    assert models["orders"]["tags"] == ["nightly"]
    group = adopted.manifest["groups"]["group.shop.legacy"]
    assert group["owner"] == {"name": "Data Platform", "email": "data-platform@example.com",
                              "team_handle": "@data-platform"}
    assert (root / ".github/CODEOWNERS").read_text().count("@data-platform") == 3


def test_dbt_project_keeps_its_comments_and_nests_the_folder_config(adopted):
    before = (SHOP / "dbt_project.yml").read_text()
    after = (adopted.root / "dbt_project.yml").read_text()
    comments = [line.split("#", 1)[1].strip() for line in before.splitlines() if "#" in line]
    assert len(comments) == 5
    assert all(comment in after for comment in comments)
    assert "      # Marts are what the dashboards query, so they are tables.\n      marts:\n" in after  # re-indented
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    assert new["models"]["shop"] == {"+tags": ["nightly"], "legacy": {
        "+group": "legacy", "staging": {"+materialized": "view"}, "marts": {"+materialized": "table"}}}
    assert {key: value for key, value in new.items() if key != "models"} == \
           {key: value for key, value in old.items() if key != "models"}


def test_the_ownership_log_has_a_row_per_adopted_model(adopted):
    rows = read_log(adopted.root)
    assert sorted(row.model for row in rows) == MODELS
    for row in rows:
        assert (row.from_domain, row.to_domain, row.new_name, row.reason) == \
               (ADOPTED_FROM, "legacy", row.model, "adopted into the mesh")
    sql = {path.stem: path.read_text() for path in (SHOP / "models").rglob("*.sql")}
    assert {row.model: row.sql_lines for row in rows} == {name: sql_lines(text) for name, text in sql.items()}
    assert {row.model: row.sql_lines for row in rows}["orders"] == 10


def test_the_baseline_holds_exactly_the_open_violations(adopted):
    root = adopted.root
    config = load_config(root, set(all_rules()))
    assert config.baseline == root / "mesh-baseline.json"
    recorded = read_baseline(config.baseline)
    fresh = run_check(CheckContext(adopted.manifest, root), config, baseline=set())
    assert recorded == {finding.violation.key for finding in fresh.findings if finding.status == "open"}
    # the staging models' names break the layer convention; ownership is settled by the adoption itself
    assert recorded == {f"LAY001:model.shop.{name}" for name in ("stg_customers", "stg_orders", "stg_payments")}


def test_a_new_violation_after_adoption_fails_check(adopted, tmp_path):
    root = Path(shutil.copytree(adopted.root, tmp_path / "shop",
                                ignore=shutil.ignore_patterns("target", "logs", "*.duckdb*")))
    (root / "models/legacy/marts/refunds.sql").write_text("select order_id from {{ ref('orders') }} "
                                                          "where is_returned\n")
    code, out, err = mesh("check", "--project-dir", root)
    assert code == 1, out + err
    assert "TST001" in out and "refunds" in out


@pytest.mark.parametrize("case", ["no project", "reference mesh", "group declared", "group in config",
                                  "legacy folder", "broken yaml", "bad email", "bad handle", "empty owner"])
def test_a_refusal_is_one_line_and_changes_nothing(case, tmp_path):
    root = copy_project(tmp_path / "mesh") if case == "reference mesh" else shop_copy(tmp_path)
    expected = {
        "no project": "no dbt_project.yml in",
        "reference mesh": "already has domains",
        "group declared": "models/marts/_groups.yml declares dbt groups",
        "group in config": "dbt_project.yml already sets +group",
        "legacy folder": "models/legacy/ exists: the project is already adopted",
        "broken yaml": "models/staging/schema.yml line 10 is not valid YAML",
        "bad email": "e-mail 'platform-at-example' is not a valid address",
        "bad handle": "team handle 'data platform' is not like @org/team",
        "empty owner": "owner (team name) is empty",
    }[case]
    if case == "no project":
        (root / "dbt_project.yml").unlink()
    elif case == "group declared":
        (root / "models/marts/_groups.yml").write_text(
            "groups:\n  - name: finance\n    owner: {name: Finance, email: finance@example.com}\n")
    elif case == "group in config":
        text = (root / "dbt_project.yml").read_text()
        (root / "dbt_project.yml").write_text(text.replace("      +materialized: table", "      +group: finance"))
    elif case == "legacy folder":
        (root / "models/legacy").mkdir()
        (root / "models/legacy/old.sql").write_text("select 1 as id\n")
    elif case == "broken yaml":
        path = root / "models/staging/schema.yml"
        path.write_text(path.read_text().replace("        description: The shop's customer id.",
                                                 "        description: [The shop's customer id."))
    options = {"bad email": ["--email", "platform-at-example"], "bad handle": ["--team-handle", "data platform"],
               "empty owner": ["--owner", "  "]}.get(case, [])
    before = snapshot(root)
    code, out, err = mesh("adopt", root, *options)
    assert (code, out) == (2, "")
    assert err.startswith("mesh: ") and err.count("\n") == 1 and expected in err, err
    assert snapshot(root) == before


def test_dry_run_prints_the_plan_and_changes_nothing(tmp_path):
    root = shop_copy(tmp_path)
    before = snapshot(root)
    code, out, err = mesh("adopt", "--project-dir", root, "--dry-run", "--team-handle", "@shop/data-platform")
    assert code == 0, err
    assert "--- move models/marts/payment_methods.sql -> models/legacy/marts/payment_methods.sql" in out
    assert "--- create models/legacy/_legacy__domain.yml" in out and "team_handle: '@shop/data-platform'" in out
    assert "--- update dbt_project.yml" in out and "+    legacy:\n+      +group: legacy" in out
    assert "Dry run: 8 files would move and 5 be written" in out
    assert snapshot(root) == before


BROKEN = {  # dbt stops while parsing (an unknown ref), or later, compiling the SQL (with the warehouse open)
    "parse": "select * from {{ ref('stg_refunds') }}\n",
    "compile": "{% if execute %}{{ exceptions.raise_compiler_error('stg_refunds is not built yet') }}{% endif %}\n"
               "select 1 as refund_id\n",
}


@pytest.mark.parametrize("stage", sorted(BROKEN))
def test_a_failing_compile_rolls_everything_back(stage, tmp_path):
    root = shop_copy(tmp_path)
    (root / "models/marts/refunds.sql").write_text(BROKEN[stage])
    before = snapshot(root)
    code, out, err = mesh("adopt", root)
    assert code == 1 and out == "", out
    assert err.startswith("mesh: dbt could not") and err.count("\n") == 1, err
    assert "stg_refunds" in err and "rolled back" in err and "models/legacy" not in err
    assert snapshot(root) == before  # every file back; no models/legacy/, mesh.yml, log, baseline or warehouse file
    assert (root / "logs" / "dbt.log").is_file()  # dbt's log stays, for the message's "see logs/dbt.log"


def test_adopt_killed_at_any_point_even_during_its_compile_leaves_the_project_as_it_was(tmp_path):
    """The baseline is written inside the adoption's journal: a kill at any point before the journal is closed
    (the compile, after every file has moved, included) leaves the project as it was; after, it is whole."""
    import itertools
    import os
    import subprocess
    import sys

    copies = itertools.count()

    def killed_after(steps: int) -> str:
        """Adopt a fresh copy, killed after `steps` file operations; let the next command recover it."""
        root = shop_copy(tmp_path / str(next(copies)))
        before = snapshot(root)
        run = subprocess.run([sys.executable, "-m", "mesh_platform", "adopt", str(root)], capture_output=True,
                             text=True, env={**os.environ, "MESH_KILL_AFTER_STEPS": str(steps)})
        if run.returncode == 0:
            return "not killed"
        assert run.returncode == 137, run.stderr
        recovered = subprocess.run([sys.executable, "-m", "mesh_platform", "codeowners", "--check", "--project-dir",
                                    str(root)], capture_output=True, text=True)
        said = recovered.stderr.splitlines()[0]
        assert said.startswith("mesh: ") and ("journal" in said or "rolled back the unfinished `mesh adopt" in said)
        if snapshot(root) == before:
            return "as it was"
        assert (root / "mesh-baseline.json").is_file() and (root / "models" / "legacy").is_dir() and \
            not (root / "models" / "marts").exists(), f"killed after {steps} steps: a partial adoption"
        return "whole"

    low, first_done = 0, 1
    while killed_after(first_done) == "as it was":  # every 12th kill point, until the adoption is whole
        low, first_done = first_done, first_done + 12
    while first_done - low > 1:  # the first kill point that leaves the adoption whole: the journal's closing
        middle = (low + first_done) // 2
        if killed_after(middle) == "as it was":
            low = middle
        else:
            first_done = middle
    assert low > 10 and killed_after(low) == "as it was"  # after every move, during the compile: undone
