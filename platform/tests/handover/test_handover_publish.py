"""`mesh handover --shared publish` on the adopted, built shop: payment_methods moves to payments, while
stg_payments, which a legacy model that stays reads too, stays in legacy and becomes a data product (public,
contract typed from the warehouse, key, v1, SLA), read under an approved agreement; the plan the dry run
prints is what the handover does, and the result builds and passes `mesh check`."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import copy_with_parse_state, tree_hash

from mesh_platform.cli import main

pytestmark = pytest.mark.integration
SHOP = Path(__file__).resolve().parents[1] / "fixtures" / "shop"
STAGING = "models/legacy/staging/schema.yml"
AGREEMENT = "models/legacy/access/payments__stg_payments.access.yml"
DESCRIBED = """      - name: order_id
        description: The order the payment pays.
      - name: amount
        description: What was paid, in dollars.
"""
PAYMENT_METHOD = "      - name: payment_method\n"


def mesh(root: Path, *args: str) -> int:
    return main([*args, "--project-dir", str(root)])


def sources(root: Path) -> dict[str, str]:
    return {path: digest for path, digest in tree_hash(root).items() if not path.endswith((".duckdb", ".wal"))}


@pytest.fixture(scope="module")
def built_shop(tmp_path_factory) -> Path:
    """The shop adopted, a payments domain, a legacy model that stays reading stg_payments, built."""
    root = Path(shutil.copytree(SHOP, tmp_path_factory.mktemp("shop") / "shop"))
    assert main(["adopt", str(root)]) == 0
    assert mesh(root, "domain", "new", "payments", "--owner", "Payments", "--email", "payments@shop.example",
                "--team-handle", "@shop/payments") == 0
    (root / "models/legacy/marts/order_payments.sql").write_text(
        "select order_id, sum(amount) as paid from {{ ref('stg_payments') }} group by order_id\n")
    assert mesh(root, "check", "--write-baseline") == 0
    assert mesh(root, "build", "--quiet") == 0
    return root


@pytest.fixture
def shop(built_shop, tmp_path) -> Path:
    return copy_with_parse_state(built_shop, tmp_path / "shop")


def describe_payments(root: Path) -> None:
    staging = root / STAGING
    staging.write_text(staging.read_text().replace(
        PAYMENT_METHOD, PAYMENT_METHOD.replace("\n", "\n        description: How it was paid.\n"))
        .replace("      - name: payment_method\n", DESCRIBED + "      - name: payment_method\n", 1))
    text = staging.read_text()
    staging.write_text(text.replace("      - name: payment_id\n",
                                    "      - name: payment_id\n        description: The payment's id.\n", 1))


def plan_lines(out: str) -> list[str]:
    """The plan: the lines under `Handover to ...:`, up to the first that is not indented."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Handover to ")) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("  ")), len(lines))
    return lines[start:end]


def test_the_dry_run_plan_is_what_the_handover_does_and_the_result_builds_and_passes(shop, capsys):
    describe_payments(shop)
    before = sources(shop)
    args = ("handover", "payment_methods", "--to", "payments", "--shared", "publish", "--reason", "payments team")
    assert mesh(shop, *args, "--dry-run") == 0
    planned = capsys.readouterr().out
    assert sources(shop) == before
    assert ("stg_payments (legacy): stays in legacy, published as a data product: public, contract enforced "
            "(4 columns typed as built), primary key payment_id, v1 (relation main.stg_payments_v1), SLA; read by "
            "order_payments (legacy), payment_methods (payments)") in planned
    assert "baseline: 1 reads of legacy products become payments's debt (LEG001), as they were reads inside " \
           "legacy before: payment_methods on stg_payments" in planned

    assert mesh(shop, *args) == 0
    out = capsys.readouterr().out
    assert plan_lines(out) == plan_lines(planned)
    changed = {path for path in {*before, *sources(shop)} if before.get(path) != sources(shop).get(path)}
    named = {word for line in plan_lines(planned) for word in line.split() if "/" in word or "." in word}
    assert changed - {"mesh-baseline.json"} <= named and AGREEMENT in changed and STAGING in changed

    staging = (shop / STAGING).read_text()
    assert "# the four the checkout offers" in staging  # the entry's comments stay
    assert "access: public" in staging and "enforced: true" in staging and "data_type: integer" in staging
    assert "status: approved" in (shop / AGREEMENT).read_text()
    keys = {entry["key"] for entry in json.loads((shop / "mesh-baseline.json").read_text())["violations"]}
    assert "LEG001:model.shop.payment_methods:model.shop.stg_payments.v1" in keys
    assert "Baseline: 1 reads of legacy products recorded as payments's debt" in out
    assert "stg_payments stays in legacy, now a data product (public, contract enforced, v1 in " \
           "main.stg_payments_v1); read by order_payments (legacy), payment_methods (payments)." in out

    assert mesh(shop, "build", "--quiet") == 0
    assert mesh(shop, "check") == 0


def test_a_shared_model_that_is_not_documented_enough_to_be_a_product_is_refused_with_why(shop, capsys):
    before = sources(shop)
    assert mesh(shop, "handover", "payment_methods", "--to", "payments", "--shared", "publish") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert ("cannot publish the shared upstream models (--shared publish): stg_payments has columns without "
            "description (payment_id, order_id, payment_method, amount): describe them first; or hand them over "
            "too (--shared move)") in err
    assert sources(shop) == before


def test_without_a_flag_the_shared_model_is_a_blocker_naming_publish(shop, capsys):
    assert mesh(shop, "handover", "payment_methods", "--to", "payments") == 2
    assert "or publish it where it is (--shared publish)" in capsys.readouterr().err
