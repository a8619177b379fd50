"""Scaffolding on real copies of the reference mesh: what it creates passes `mesh check` and builds;
every bad input is refused in one line with the tree unchanged."""

import json
import shutil
import subprocess
import sys

import duckdb
import pytest
from conftest import WAREHOUSE, copy_project, tree_hash

from mesh_platform.cli import main

pytestmark = pytest.mark.integration

HOSTILE = "Support tickets. {{ env_var('HOME') }} {% do run_query('drop table main.canary') %}"
DOMAIN = ["domain", "new", "support", "--owner", "Customer Support", "--email", "support-data@lender.example",
          "--team-handle", "@lender/support"]


def mesh(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_new_domain_and_product_pass_check_and_build(project_copy, capsys):
    root = str(project_copy)
    code, out, _ = mesh(capsys, *DOMAIN, "--description", HOSTILE, "--project-dir", root)
    assert code == 0 and "Next steps:" in out and "mesh build --domain support" in out
    assert (project_copy / "models/support/_support__domain.yml").exists()
    assert "/models/support/ @lender/support" in (project_copy / ".github/CODEOWNERS").read_text()
    with duckdb.connect(str(project_copy / WAREHOUSE)) as connection:
        connection.execute("create table main.canary as select 1 as alive")

    assert mesh(capsys, "check", "--project-dir", root)[0] == 0
    code, out, _ = mesh(capsys, "build", "--domain", "support", "--quiet", "--project-dir", root)
    assert code == 0 and "no failures" in out

    code, out, _ = mesh(capsys, "product", "new", "support", "support_examples", "--from",
                        "stg_support_app__examples", "--key", "example_id", "--description", HOSTILE,
                        "--project-dir", root)
    assert code == 0 and "key example_id" in out
    assert mesh(capsys, "check", "--project-dir", root)[0] == 0
    code, out, _ = mesh(capsys, "build", "--domain", "support", "--quiet", "--project-dir", root)
    assert code == 0 and "no failures" in out

    manifest = json.loads((project_copy / "target" / "manifest.json").read_text())
    assert manifest["groups"]["group.mesh.support"]["description"] == HOSTILE
    product = manifest["nodes"]["model.mesh.support_examples.v1"]
    assert product["description"] == HOSTILE and product["access"] == "public"
    assert product["config"]["contract"]["enforced"] and product["columns"]["created_at"]["data_type"] == "timestamp"
    with duckdb.connect(str(project_copy / WAREHOUSE), read_only=True) as connection:
        assert connection.sql("select alive from main.canary").fetchall() == [(1,)]  # nothing ran
        assert connection.sql("select count(*) from support.support_examples_v1").fetchone() == (3,)


def test_a_product_over_a_model_with_pii_masks_it(built_copy, capsys):
    root = str(built_copy)
    code, out, _ = mesh(capsys, "product", "new", "merchants", "merchant_contacts", "--from",
                        "int_merchants_deduplicated", "--key", "merchant_id", "--description",
                        "Merchant contacts, masked.", "--project-dir", root)
    assert code == 0
    sql = (built_copy / "models/merchants/marts/merchant_contacts.sql").read_text()
    assert "{{ mask_pii('email') }} as email_hash" in sql and "    email,\n" not in sql
    assert mesh(capsys, "check", "--project-dir", root)[0] == 0
    code, out, _ = mesh(capsys, "build", "--select", "merchant_contacts", "--quiet", "--project-dir", root)
    assert code == 0 and "no failures" in out


def test_dry_run_prints_every_file_and_changes_nothing(project_copy, capsys):
    before = tree_hash(project_copy)
    code, out, _ = mesh(capsys, *DOMAIN, "--dry-run", "--project-dir", str(project_copy))
    assert code == 0 and tree_hash(project_copy) == before
    assert "--- create models/support/_support__domain.yml" in out and "--- update dbt_project.yml" in out
    assert "team_handle: '@lender/support'" in out and "Dry run: 10 files would be written" in out


def test_domain_new_does_not_import_dbt(project_copy):
    code = ("import sys\nfrom mesh_platform.cli import main\n"
            f"main({DOMAIN + ['--dry-run', '--project-dir', str(project_copy)]!r})\n"
            "print(any(m == 'dbt' or m.startswith('dbt.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"


@pytest.fixture(scope="module")
def unbuilt(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("refusals") / "mesh")


BAD_DOMAINS = {
    "path traversal": ["../x"], "slash": ["a/b"], "sql": ["x; drop table y"], "empty": [""], "long": ["x" * 200],
    "reserved": ["select"], "existing": ["funding"],
}


@pytest.mark.parametrize("case", sorted(BAD_DOMAINS))
def test_bad_domain_names_are_refused_and_nothing_changes(unbuilt, capsys, case):
    before = tree_hash(unbuilt)
    args = ["domain", "new", *BAD_DOMAINS[case], *DOMAIN[3:], "--project-dir", str(unbuilt)]
    code, out, err = mesh(capsys, *args)
    assert code == 2 and err.count("\n") == 1 and err.startswith("mesh: ") and out == ""
    assert tree_hash(unbuilt) == before


@pytest.mark.parametrize("flag, value, message", [
    ("--email", "not-an-address", "is not a valid address"),
    ("--team-handle", "support", "is not like @org/team"),
    ("--owner", "  ", "owner (team name) is empty"),
])
def test_bad_owner_details_are_refused(unbuilt, capsys, flag, value, message):
    before = tree_hash(unbuilt)
    args = [*DOMAIN, "--project-dir", str(unbuilt)]
    args[args.index(flag) + 1] = value
    code, _, err = mesh(capsys, *args)
    assert code == 2 and message in err and tree_hash(unbuilt) == before


@pytest.fixture(scope="module")
def built_for_products(built_mesh, tmp_path_factory):
    root = tmp_path_factory.mktemp("product-refusals") / "mesh"
    shutil.copytree(built_mesh[0], root, ignore=shutil.ignore_patterns("target", "logs"))
    return root


BAD_PRODUCTS = {
    "unknown source model": (["funding", "funded", "--from", "no_such_model", "--key", "advance_id"],
                             "unknown model 'no_such_model'; models of domain funding: advances, int_advances_priced"),
    "missing key column": (["funding", "funded", "--from", "int_advances_priced", "--key", "nope"],
                           "column 'nope' is not in int_advances_priced; its columns are: advance_id"),
    "existing model": (["funding", "advances", "--from", "int_advances_priced", "--key", "advance_id"],
                       "a model named 'advances' already exists in domain funding"),
    "other domain's model": (["funding", "funded", "--from", "stg_crm__merchants", "--key", "merchant_id"],
                             "'stg_crm__merchants' belongs to domain merchants"),
    "unknown domain": (["treasury", "funded", "--from", "int_advances_priced", "--key", "advance_id"],
                       "unknown domain 'treasury'"),
    "bad name": (["funding", "../x", "--from", "int_advances_priced", "--key", "advance_id"],
                 "product name '../x' is not allowed"),
}


@pytest.mark.parametrize("case", sorted(BAD_PRODUCTS))
def test_bad_product_requests_are_refused_and_nothing_changes(built_for_products, capsys, case):
    args, message = BAD_PRODUCTS[case]
    before = tree_hash(built_for_products)
    code, out, err = mesh(capsys, "product", "new", *args, "--description", "Funded advances.",
                          "--project-dir", str(built_for_products))
    assert code == 2 and message in err and err.count("\n") == 1
    assert tree_hash(built_for_products) == before


def test_product_new_parses_the_project_once(built_for_products):
    from mesh_platform.dbt_session import DbtSession
    from mesh_platform.project import Project
    from mesh_platform.scaffold.product import plan_product, validate_product

    session = DbtSession(Project(built_for_products))
    product = validate_product(session, "funding", "funded", "int_advances_priced", "advance_id", "Funded.")
    changes = plan_product(session, product)
    assert session.parse_count == 1
    assert [c.data_type for c in product.columns][:2] == ["varchar", "varchar"]
    assert changes.paths() == ["models/funding/marts/funded.quality.yml", "models/funding/marts/funded.sql",
                               "models/funding/marts/funded.yml"]


UNTAGGED_RENAME = """\
select merchant_id, business_name, email as contact_email, upper(phone) as dial
from {{ ref('int_merchants_deduplicated') }}
"""


def test_a_product_from_an_untagged_model_that_renames_pii_still_masks_it(built_copy, capsys):
    """Lineage, not names: contact_email and dial carry the merchants' e-mails and phones."""
    root = str(built_copy)
    intermediate = built_copy / "models/merchants/intermediate/int_merchant_contacts_renamed.sql"
    intermediate.write_text(UNTAGGED_RENAME)
    assert mesh(capsys, "build", "--select", "int_merchant_contacts_renamed", "--quiet", "--project-dir", root)[0] == 0
    code, out, _ = mesh(capsys, "product", "new", "merchants", "merchant_reachability", "--from",
                        "int_merchant_contacts_renamed", "--key", "merchant_id", "--description",
                        "How to reach each merchant, masked.", "--project-dir", root)
    assert code == 0, out
    sql = (built_copy / "models/merchants/marts/merchant_reachability.sql").read_text()
    assert "{{ mask_pii('contact_email') }} as contact_email_hash" in sql
    assert "{{ mask_pii('dial') }} as dial_hash" in sql and "business_name" in sql
    yml = (built_copy / "models/merchants/marts/merchant_reachability.yml").read_text()
    assert "as in int_merchant_contacts_renamed" not in yml  # no placeholder descriptions
    assert "Registered name of the business." in yml  # carried from the column it is a copy of


SCHEMA_CLASHES = {
    "raw_merchants": "domain 'raw_merchants': its schema raw_merchants is the raw schema of domain merchants",
    "main": "domain 'main': its schema main is a schema the warehouse or the platform keeps for itself",
    "mesh_quality": "its schema mesh_quality is a schema the warehouse or the platform keeps for itself",
    "information_schema": "its schema information_schema is a schema the warehouse or the platform keeps",
    "pg_catalog": "its schema pg_catalog is a schema the warehouse or the platform keeps for itself",
    "quality": None,  # raw_quality, quality: free
}


@pytest.mark.parametrize("name", sorted(SCHEMA_CLASHES))
def test_a_domain_whose_schema_is_taken_is_refused_naming_the_clash(project_copy, capsys, name):
    before = tree_hash(project_copy)
    code, _, err = mesh(capsys, "domain", "new", name, *DOMAIN[3:], "--project-dir", str(project_copy))
    if SCHEMA_CLASHES[name] is None:
        assert code == 0 and (project_copy / "models" / name).is_dir()
        return
    assert code == 2 and err.count("\n") == 1 and SCHEMA_CLASHES[name] in err
    assert tree_hash(project_copy) == before


def test_a_domain_whose_raw_schema_is_another_domains_schema_is_refused(project_copy, capsys):
    root = str(project_copy)
    assert mesh(capsys, "domain", "new", "raw_ops", *DOMAIN[3:], "--project-dir", root)[0] == 0
    before = tree_hash(project_copy)
    code, _, err = mesh(capsys, "domain", "new", "ops", *DOMAIN[3:], "--project-dir", root)
    assert code == 2 and err == "mesh: domain 'ops': its raw schema raw_ops is the schema of domain raw_ops; choose " \
                                "another name\n"
    assert tree_hash(project_copy) == before


def test_a_new_domain_in_a_project_in_a_sub_folder_goes_into_the_repositorys_codeowners(tmp_path, capsys):
    (tmp_path / ".git").mkdir()  # the repository's root: GitHub reads .github/CODEOWNERS there
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github/CODEOWNERS").write_text("* @lender/platform\n")
    root = copy_project(tmp_path / "analytics")
    shutil.rmtree(root / ".github")
    code, out, err = mesh(capsys, *DOMAIN, "--project-dir", str(root))
    assert code == 0, err
    assert "  created analytics/models/support/_support__domain.yml" in out
    codeowners = (tmp_path / ".github/CODEOWNERS").read_text()
    assert codeowners.startswith("* @lender/platform\n\n# BEGIN mesh")
    assert "/analytics/models/support/ @lender/support\n/analytics/seeds/support/ @lender/support\n" in codeowners
    assert "/analytics/tests/support/" not in codeowners and not (root / ".github").exists()
