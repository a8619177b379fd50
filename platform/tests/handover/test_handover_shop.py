"""`mesh handover` on the adopted shop (a plain dbt project made a mesh by `mesh adopt`): two models move
into a new domain and the project still builds and passes `mesh check`; the YAML keeps every byte outside
the moved entries; every bad request is refused with one line and the tree unchanged."""

import shutil
from pathlib import Path

import pytest
from conftest import tree_hash

from mesh_platform.cli import main

pytestmark = pytest.mark.integration
SHOP = Path(__file__).resolve().parents[1] / "fixtures" / "shop"
STAGING = "models/legacy/staging/schema.yml"
MARTS = "models/legacy/marts/schema.yml"
STG_PAYMENTS_ENTRY = """  - name: stg_payments
    description: One row per payment attempt; an order can be paid in several payments.
    columns:
      - name: payment_id
        tests:
          - unique
          - not_null
      - name: payment_method
        tests:
          - accepted_values:
              values: ['credit_card', 'coupon', 'bank_transfer', 'gift_card']  # the four the checkout offers
"""
PAYMENT_METHODS_ENTRY = """  - name: payment_methods
    description: Takings per payment method (finance reads this every morning).
    columns:
      - name: payment_method
        tests:
          - unique
          - not_null
      - name: total_amount
        description: Sum of the payments made with the method, in dollars.
"""


@pytest.fixture(scope="module")
def adopted_shop(tmp_path_factory) -> Path:
    root = Path(shutil.copytree(SHOP, tmp_path_factory.mktemp("shop") / "shop"))
    assert main(["adopt", str(root)]) == 0
    assert main(["domain", "new", "payments", "--owner", "Payments", "--email", "payments@shop.example",
                 "--team-handle", "@shop/payments", "--project-dir", str(root)]) == 0
    return root


@pytest.fixture
def shop(adopted_shop, tmp_path) -> Path:
    return Path(shutil.copytree(adopted_shop, tmp_path / "shop", ignore=shutil.ignore_patterns("target", "logs")))


def handover(root: Path, *args: str) -> int:
    return main(["handover", "--project-dir", str(root), *args])


def test_two_models_move_to_a_new_domain_and_the_mesh_still_builds_and_passes(shop, capsys):
    staging, marts = (shop / STAGING).read_text(), (shop / MARTS).read_text()

    assert handover(shop, "stg_payments", "payment_methods", "--to", "payments",
                    "--rename", "stg_payments=stg_shop__payments", "--reason", "payments owns the checkout") == 0

    assert (shop / STAGING).read_text() == staging.replace("\n" + STG_PAYMENTS_ENTRY, "")  # exactly the entry gone
    assert (shop / MARTS).read_text() == marts.replace("\n" + PAYMENT_METHODS_ENTRY, "")
    moved = (shop / "models/payments/staging/schema.yml").read_text()
    assert STG_PAYMENTS_ENTRY.replace("name: stg_payments", "name: stg_shop__payments") in moved
    assert PAYMENT_METHODS_ENTRY in (shop / "models/payments/marts/schema.yml").read_text()
    assert "ref('stg_shop__payments')" in (shop / "models/payments/marts/payment_methods.sql").read_text()
    assert not (shop / "models/legacy/staging/stg_payments.sql").exists()
    log = (shop / "ownership-log.csv").read_text().splitlines()
    assert log[-2].split(",")[1:5] == ["stg_payments", "stg_shop__payments", "legacy", "payments"]
    assert log[-1].split(",")[1:5] == ["payment_methods", "payment_methods", "legacy", "payments"]
    out = capsys.readouterr().out
    assert "owner Payments <payments@shop.example> @shop/payments" in out and "payments owns the checkout" in out

    assert main(["build", "--quiet", "--project-dir", str(shop)]) == 0
    assert main(["check", "--project-dir", str(shop)]) == 0


def plan_lines(out: str) -> list[str]:
    return out.split("\n\n")[0].splitlines()


def test_one_mart_with_its_upstream_moves_as_the_dry_run_said_and_the_mesh_builds_and_passes(shop, capsys):
    assert handover(shop, "payment_methods", "--to", "payments", "--with-upstream", "--dry-run") == 0
    planned = plan_lines(capsys.readouterr().out)
    assert "  stg_payments (legacy): private in payments, upstream only what moves uses" in planned

    assert handover(shop, "payment_methods", "--to", "payments", "--with-upstream") == 0
    out = capsys.readouterr().out
    assert plan_lines(out) == planned[:-1]  # the dry run's last line says nothing changed
    assert "`mesh check` (28 rules) finds nothing new on what moved or reads it" in out
    assert not (shop / "models/legacy/staging/stg_payments.sql").exists()

    assert main(["build", "--quiet", "--project-dir", str(shop)]) == 0
    assert main(["check", "--project-dir", str(shop)]) == 0


def test_a_dry_run_prints_the_plan_and_changes_nothing(shop, capsys):
    before = tree_hash(shop)
    assert handover(shop, "stg_payments", "payment_methods", "--to", "payments", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "move models/legacy/staging/stg_payments.sql -> models/payments/staging/stg_payments.sql" in out
    assert "Dry run" in out and tree_hash(shop) == before


@pytest.mark.parametrize("args, message", [
    (["stg_paymnets", "--to", "payments"], "unknown model 'stg_paymnets'; did you mean stg_payments?"),
    (["stg_payments", "--to", "billing"], "unknown domain 'billing'"),
    (["stg_payments", "--to", "legacy"], "stg_payments already belongs to legacy"),
    (["payment_methods", "--to", "payments", "--rename", "orders"],
     "cannot rename payment_methods to orders: a model of that name already exists (legacy)"),
    (["stg_orders", "--to", "payments"], "customers (legacy) uses stg_orders, which would be private in payments"),
    (["customers", "--to", "payments"], "customers would use stg_customers of domain legacy, which is protected"),
    (["payment_methods", "--to", "payments"],
     "payment_methods would use stg_payments of domain legacy, which is protected"),
    (["stg_payments", "payment_methods", "--to", "payments", "--rename", "x"], "with several models, say which"),
])
def test_a_bad_request_is_refused_with_one_line_and_nothing_changed(shop, capsys, args, message):
    before = tree_hash(shop)
    assert handover(shop, *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert tree_hash(shop) == before


def test_a_yaml_file_that_does_not_parse_is_named_and_nothing_changed(shop, capsys):
    broken = shop / MARTS
    broken.write_text(broken.read_text() + "  - name: [unclosed\n")
    before = tree_hash(shop)
    assert handover(shop, "stg_payments", "payment_methods", "--to", "payments") == 2
    assert f"{MARTS} is not valid YAML" in capsys.readouterr().err
    assert tree_hash(shop) == before
