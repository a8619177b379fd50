"""`mesh handover` plans the move on the jaffle-shop-shaped shop, adopted, with a sales domain, legacy's staging
made public and the baseline written (as issue 22 reports it): what else must move is taken along or named,
access is judged as the destination folder gives it, tests and baseline entries follow their models, and the
result is checked before it is kept."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import copy_with_parse_state, tree_hash

from mesh_platform.cli import main

pytestmark = pytest.mark.integration
SHOP = Path(__file__).resolve().parents[1] / "fixtures" / "shop"
BASELINE = "mesh-baseline.json"
SINGULAR = "tests/legacy/assert_orders_have_a_customer.sql"
ORDERS_DESCRIPTION = "One row per order, with whether it came back."
ORDER_ID, PAYMENT_ID = "      - name: order_id\n", "      - name: payment_id\n"
KEY_DOC = "        description: \"{{ doc('shop_key') }}\"\n"
AGREEMENT = """consumer: sales
product: stg_payments
purpose: takings
status: approved
requested_by: sales@shop.example
requested_on: 2026-12-01
decided_by: data-platform@shop.example
decided_on: 2026-12-02
"""
UNIT_TEST = """
unit_tests:
  - name: orders_flag_returns
    model: orders
    given:
      - input: ref('stg_orders')
        rows:
          - {order_id: 1, customer_id: 1, order_date: 2024-01-01, status: returned}
    expect:
      rows:
        - {order_id: 1, is_returned: true}
"""


def mesh(root: Path, *args: str) -> int:
    return main([*args, "--project-dir", str(root)])


@pytest.fixture(scope="module")
def public_staging(tmp_path_factory) -> Path:
    """The shop adopted, with a sales domain, legacy's staging public, a singular and a unit test on orders,
    and the baseline written (one parse shared by every copy)."""
    root = Path(shutil.copytree(SHOP, tmp_path_factory.mktemp("shop") / "shop"))
    assert main(["adopt", str(root)]) == 0
    assert mesh(root, "domain", "new", "sales", "--owner", "Sales", "--email", "sales@shop.example",
                "--team-handle", "@shop/sales") == 0
    project = root / "dbt_project.yml"
    project.write_text(project.read_text().replace("      staging:\n", "      staging:\n        +access: public\n", 1))
    (root / SINGULAR).parent.mkdir(parents=True)
    (root / SINGULAR).write_text("select * from {{ ref('orders') }} where customer_id is null\n")
    marts = root / "models/legacy/marts/schema.yml"
    marts.write_text(marts.read_text().replace(ORDERS_DESCRIPTION, "\"{{ doc('orders_grain') }}\"")
                     .replace(ORDER_ID, ORDER_ID + KEY_DOC) + UNIT_TEST)
    staging = root / "models/legacy/staging/schema.yml"
    staging.write_text(staging.read_text().replace(PAYMENT_ID, PAYMENT_ID + KEY_DOC))
    (root / "models/legacy/marts/orders.md").write_text("{% docs orders_grain %}One row per order.{% enddocs %}\n")
    (root / "models/legacy/keys.md").write_text("{% docs shop_key %}A key of the shop's system.{% enddocs %}\n")
    assert mesh(root, "check", "--write-baseline") == 0
    return root


@pytest.fixture
def shop(public_staging, tmp_path) -> Path:
    return copy_with_parse_state(public_staging, tmp_path / "shop")


def refused(root: Path, capsys, *args: str) -> str:
    """Hand over, expecting a refusal: its one line, the tree unchanged."""
    before = tree_hash(root)
    assert mesh(root, "handover", *args) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert tree_hash(root) == before
    return err


def test_a_model_whose_test_reads_a_legacy_model_is_refused_with_every_blocker(shop, capsys):
    err = refused(shop, capsys, "orders", "--to", "sales")
    assert "orders would depend on legacy model stg_orders (LEG001): hand stg_orders over too (--with-upstream)" in err
    assert ("test relationships_orders_customer_id__customer_id__ref_customers_ would use customers of domain "
            "legacy, which is protected: hand customers over too (--with-upstream)") in err


def test_the_access_is_the_destination_folders_and_every_reader_left_behind_is_named(shop, capsys):
    err = refused(shop, capsys, "stg_orders", "--to", "sales")
    assert "customers (legacy) uses stg_orders, which would be private in sales: hand customers over too" in err
    assert "orders (legacy) uses stg_orders, which would be private in sales: hand orders over too" in err


def test_a_new_dependency_on_legacy_is_refused_though_the_legacy_model_is_public(shop, capsys):
    err = refused(shop, capsys, "payment_methods", "--to", "sales")
    assert "payment_methods would depend on legacy model stg_payments (LEG001): hand stg_payments over too " \
           "(--with-upstream)" in err
    err = refused(shop, capsys, "customers", "--to", "sales")
    assert "customers would depend on legacy model stg_customers (LEG001)" in err
    assert "customers would depend on legacy model stg_orders (LEG001)" in err


def test_what_the_check_would_fail_on_is_undone_before_it_is_said(shop, capsys):
    before = tree_hash(shop)
    assert mesh(shop, "handover", "orders", "--to", "sales", "--with-upstream", "--access", "public") == 2
    captured = capsys.readouterr()
    assert "mesh check would fail after the handover, so nothing was changed: PRD001" in captured.err
    assert "the mesh still passes" not in captured.out
    assert tree_hash(shop) == before


def test_tests_and_baseline_entries_follow_the_renamed_models_and_the_result_builds_and_passes(shop, capsys):
    assert mesh(shop, "handover", "orders", "--to", "sales", "--with-upstream",
                "--rename", "orders=sales_orders", "--rename", "stg_orders=stg_orders_v") == 0
    out = capsys.readouterr().out
    assert "stg_orders (legacy) as stg_orders_v: private in sales, upstream only what moves uses" in out
    assert "follow them as sales's debt while the check still finds them: LAY001 stg_customers, LAY001 stg_orders" \
        in out

    assert "warning: doc shop_key (models/legacy/keys.md) stays where it is: models that stay use it too" in out
    assert (shop / "models/sales/marts/orders.md").is_file() and (shop / "models/legacy/keys.md").is_file()
    assert not (shop / SINGULAR).exists()
    assert "ref('sales_orders')" in (shop / "tests/sales/assert_orders_have_a_customer.sql").read_text()
    marts = (shop / "models/sales/marts/schema.yml").read_text()
    assert "model: sales_orders" in marts and "input: ref('stg_orders_v')" in marts
    assert "orders_flag_returns" not in (shop / "models/legacy/marts/schema.yml").read_text()
    keys = {entry["key"] for entry in json.loads((shop / BASELINE).read_text())["violations"]}
    assert "LAY001:model.shop.stg_orders_v" in keys and "LAY001:model.shop.stg_orders" not in keys
    assert not any("stg_customers" in key or "stg_orders" in key for key in keys if key.startswith("PRD"))
    assert "Baseline: 2 entries now sales's debt (LAY001 stg_customers, LAY001 stg_orders_v); 10 the check no " \
           "longer finds dropped." in out

    assert mesh(shop, "build", "--quiet") == 0
    assert mesh(shop, "check") == 0


def test_a_renamed_models_baseline_entries_are_keyed_by_its_new_name(shop, capsys):
    assert mesh(shop, "handover", "stg_payments", "payment_methods", "--to", "sales",
                "--rename", "stg_payments=stg_payments_v") == 0
    assert "follow them as sales's debt while the check still finds them: LAY001 stg_payments" \
        in capsys.readouterr().out
    entries = {entry["key"]: entry for entry in json.loads((shop / BASELINE).read_text())["violations"]}
    assert "stg_payments_v is in staging/" in entries["LAY001:model.shop.stg_payments_v"]["message"]
    assert "LAY001:model.shop.stg_payments" not in entries
    assert mesh(shop, "check") == 0


def test_legacy_status_and_the_check_count_the_same_dependencies_and_a_root_level_model_has_no_layer(shop, capsys):
    (shop / "tests/sales").mkdir(parents=True)
    (shop / "tests/sales/assert_customers_known.sql").write_text("select * from {{ ref('customers') }} where false\n")
    (shop / "models/legacy/wide_report.sql").write_text("select 1 as id\n")
    mesh(shop, "check", "--format", "json")
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert mesh(shop, "legacy", "status", "--format", "json") == 0
    status = json.loads(capsys.readouterr().out)
    assert summary["legacy_dependencies"] == len(status["dependents"]) == 1
    assert status["dependents"][0]["model"] == "assert_customers_known"
    assert {m["name"]: m["layer"] for m in status["models"]}["wide_report"] is None

    assert mesh(shop, "legacy", "status") == 0
    out = capsys.readouterr().out
    assert "Nothing of another domain" not in out and "assert_customers_known" in out
    assert "│ wide_report     │ (none)" in out


def test_shared_upstream_moved_and_made_public_names_what_it_does_to_the_consumers_left_behind(shop, capsys):
    err = refused(shop, capsys, "customers", "--to", "sales", "--with-upstream", "--shared", "move")
    assert "orders (legacy) would read stg_orders of sales without an access agreement (ACC004): hand orders over " \
           "too" in err
    assert ("test relationships_orders_customer_id__customer_id__ref_customers_ (legacy) uses customers, which "
            "would be protected in sales: hand orders over too, or use --access public") in err  # the test's model


def test_a_products_access_agreements_and_readers_follow_it_to_its_new_owner(shop, capsys):
    assert mesh(shop, "domain", "new", "finance", "--owner", "Finance", "--email", "finance@shop.example",
                "--team-handle", "@shop/finance") == 0
    (shop / "models/sales/marts/sales_takings.sql").write_text("select * from {{ ref('stg_payments') }}\n")
    staging = shop / "models/legacy/staging/schema.yml"  # stg_payments declares its access itself
    entry = "  - name: stg_payments\n"
    staging.write_text(staging.read_text().replace(entry, entry + "    access: public\n"))
    (shop / "models/legacy/access").mkdir()
    (shop / "models/legacy/access/sales__stg_payments.access.yml").write_text(AGREEMENT)
    assert mesh(shop, "check", "--write-baseline") == 0  # sales_takings' LEG001 recorded
    capsys.readouterr()

    assert mesh(shop, "handover", "stg_payments", "payment_methods", "--to", "finance") == 0
    out = capsys.readouterr().out
    assert "stg_payments (legacy): public in finance" in out
    assert ("move models/legacy/access/sales__stg_payments.access.yml -> "
            "models/finance/access/sales__stg_payments.access.yml") in out
    assert "Consumers: sales_takings (sales, Sales @shop/sales)" in out
    keys = {entry["key"] for entry in json.loads((shop / BASELINE).read_text())["violations"]}
    assert not any(key.startswith("LEG001") for key in keys)  # sales no longer depends on legacy
    assert mesh(shop, "check") == 0
