"""Every rule on small fixture manifests: a case where it passes and one where it catches the fault."""

from pathlib import Path

import pytest
from fixture_manifests import data_test, good_product, group, manifest, model, source

from mesh_platform.check.context import CheckContext
from mesh_platform.check.registry import all_rules
from mesh_platform.codeowners import CODEOWNERS_PATH, write_codeowners
from mesh_platform.manifest import Mesh


def findings(code: str, data: dict, root: Path | None = None) -> list:
    return list(all_rules()[code].check(CheckContext(data, root)))


def with_a_test(node: dict) -> list[dict]:
    return [node, data_test(f"t_{node['name']}", "not_null", node["unique_id"], "x")]


STAGING = model("stg_shop__orders", "sales", "staging", parents=["source.p.shop.orders"])
SHOP = source("shop", "orders", "sales")

CASES = {
    # code: (passing manifest, failing manifest, node the failure names)
    "OWN001": (manifest(STAGING, sources=[SHOP]),
               manifest(model("stray", "misc", "marts")), "model.p.stray"),
    "OWN002": (manifest(model("orders", "sales")),
               manifest(model("orders", "sales", group_name="ops")), "model.p.orders"),
    "OWN003": (manifest(groups=["sales"]),
               manifest(groups=[group("sales", {"name": "Sales", "email": "not-an-address"})]), "group.p.sales"),
    "ACC001": (manifest(model("a", "sales", parents=["model.p.b"]), model("b", "ops", access="public")),
               manifest(model("a", "sales", parents=["model.p.b"]), model("b", "ops")), "model.p.a"),
    "ACC002": (manifest(model("a", "sales", parents=["model.p.b"], compiled_code='select * from "db"."ops"."b"'),
                        model("b", "ops", access="public")),
               manifest(model("a", "sales", compiled_code="with x as (select 1) select * from x, main.some_table")),
               "model.p.a"),
    "ACC005": (manifest(model("a", "sales", raw_code="select * from {{ ref('b') }}"), model("b", "sales")),
               manifest(model("a", "sales", raw_code="{% set r = run_query('select 1') %}select 1")),
               "model.p.a"),
    "ACC003": (manifest(STAGING, sources=[SHOP]),
               manifest(model("stg_shop__orders", "ops", "staging", parents=["source.p.shop.orders"]),
                        sources=[SHOP]), "model.p.stg_shop__orders"),
    "PRD001": (manifest(*good_product()), None, "model.p.orders.v1"),
    "PRD002": (manifest(*good_product()), None, "model.p.orders.v1"),
    "PRD003": (manifest(*good_product()), None, "model.p.orders.v1"),
    "PRD004": (manifest(*good_product()), None, "model.p.orders"),
    "PRD005": (manifest(*good_product()), None, "model.p.orders.v1"),
    "PRD006": (manifest(*good_product()), None, "model.p.orders.v1"),
    "LAY001": (manifest(STAGING, model("int_orders_joined", "sales", "intermediate"), sources=[SHOP]),
               manifest(model("orders_clean", "sales", "staging")), "model.p.orders_clean"),
    "LAY002": (manifest(STAGING, sources=[SHOP]),
               manifest(model("stg_shop__items", "sales", "staging", parents=["model.p.x"]),
                        model("x", "sales", "intermediate")), "model.p.stg_shop__items"),
    "LAY003": (manifest(model("orders", "sales", parents=["model.p.stg_shop__orders"]), STAGING, sources=[SHOP]),
               manifest(model("orders", "sales", parents=["source.p.shop.orders"]), sources=[SHOP]),
               "model.p.orders"),
    "LAY004": (manifest(model("int_x", "sales", "intermediate")),
               manifest(model("int_x", "sales", "intermediate", access="protected")), "model.p.int_x"),
    "LAY005": (manifest(model("orders", "sales", parents=["model.p.int_x"]), model("int_x", "sales", "intermediate")),
               manifest(model("int_x", "sales", "intermediate", parents=["model.p.orders"]), model("orders", "sales")),
               "model.p.int_x"),
    "LEG001": (manifest(model("a", "sales", parents=["model.p.old"]), model("old", "sales", access="public"),
                        groups=["sales", "legacy"]),
               manifest(model("a", "sales", parents=["model.p.old"]), model("old", "legacy", access="public"),
                        groups=["sales", "legacy"]), "model.p.a"),
    "TST001": (manifest(*with_a_test(model("a", "sales"))), manifest(model("a", "sales")), "model.p.a"),
}


def broken_product(code: str) -> dict:
    """The good product with the one thing `code` requires taken away."""
    product, *tests = good_product()
    if code == "PRD001":
        product["config"]["contract"] = {"enforced": False}
    elif code == "PRD002":
        product["columns"]["amount"]["data_type"] = None
    elif code == "PRD003":
        tests = tests[:1]  # key declared, but only tested for uniqueness
    elif code == "PRD004":
        product, *tests = good_product()
        product.update(version=None, unique_id="model.p.orders")
        tests = []
    elif code == "PRD005":
        product["description"] = " "
    elif code == "PRD006":
        product["config"]["meta"] = {"sla": {"refresh": "daily"}}
    return manifest(product, *tests)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_passes_on_a_clean_manifest(code):
    assert findings(code, CASES[code][0]) == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_catches_its_fault(code):
    _, failing, node = CASES[code]
    found = findings(code, failing if failing is not None else broken_product(code))
    assert [violation.node for violation in found] == [node]
    assert all(violation.code == code and violation.message for violation in found)


def test_every_rule_has_cases_here_or_in_the_files_tests():
    covered = set(CASES) | {"OWN004", "PII001", "PII002",  # the PII rules: test_check_pii.py
                            "ACC004", "ACC006",  # the agreements' rules: test_check_agreements.py
                            "PRJ001", "PRJ002", "PRJ003"}  # a mesh of projects: projects/test_project_rules.py
    assert set(all_rules()) == covered


def test_rules_have_codes_docs_and_severities():
    for code, rule in all_rules().items():
        assert rule.severity in ("error", "warn")
        for part in ("Rationale:", "Anti-pattern:", "Best practice:"):
            assert part in rule.doc, (code, part)


def test_acc002_reports_sql_it_cannot_parse_as_a_warning_never_a_pass():
    broken = manifest(model("a", "sales", compiled_code="select * from main.raw_orders wher id = 1 ("))
    (violation,) = findings("ACC002", broken)
    assert violation.node == "model.p.a" and violation.severity == "warn"
    assert "could not be parsed" in violation.message
    readable = manifest(model("a", "sales", compiled_code="select * from main.raw_orders where id = 1"))
    assert [(v.severity, v.related) for v in findings("ACC002", readable)] == [(None, "main.raw_orders")]


def test_a_finding_of_its_own_severity_is_reported_so_and_mesh_yml_still_decides():
    from mesh_platform.check.config import CheckConfig
    from mesh_platform.check.engine import run_check

    broken = manifest(*with_a_test(model("a", "sales", compiled_code="select from from where")))
    (finding,) = [f for f in run_check(CheckContext(broken), CheckConfig(), set()).findings
                  if f.violation.code == "ACC002"]
    assert (finding.severity, finding.blocking) == ("warn", False)
    strict = run_check(CheckContext(broken), CheckConfig(severities={"ACC002": "error"}), set())
    assert [f.severity for f in strict.findings if f.violation.code == "ACC002"] == ["error"]


@pytest.mark.parametrize("jinja, kinds", [
    ("{% set rows = run_query(\"select email from raw_sales.crm__people\") %}", "run_query"),
    ("{% call statement('x', fetch_result=True) %}select 1{% endcall %}", "call statement"),
    ("{{ adapter.execute('select 1') }}", "adapter.execute"),
])
def test_acc005_names_each_way_jinja_runs_sql(jinja, kinds):
    (violation,) = findings("ACC005", manifest(model("a", "sales", raw_code=jinja + "select 1")))
    assert f"({kinds})" in violation.message


def test_acc002_checks_the_sql_jinja_runs_when_it_is_a_plain_string():
    raw = "{% set rows = run_query(\"select email from raw_sales.crm__people\") %}select 1 as x"
    found = findings("ACC002", manifest(model("a", "sales", raw_code=raw, compiled_code="select 1 as x")))
    assert [v.related for v in found] == ["jinja:raw_sales.crm__people"]
    built = "{% set rows = run_query('select * from ' ~ ref('b')) %}select 1 as x"  # not a plain string: not read
    assert findings("ACC002", manifest(model("a", "sales", raw_code=built, compiled_code="select 1 as x"))) == []


def test_primary_key_without_a_declared_key_is_named():
    product, *tests = good_product()
    product["columns"]["order_id"]["constraints"] = []
    assert "declares no primary key" in findings("PRD003", manifest(product, *tests))[0].message


def test_a_singular_test_of_another_domain_using_a_protected_model_is_caught():
    data = manifest(model("b", "ops"), {
        "unique_id": "test.p.assert_x", "resource_type": "test", "name": "assert_x",
        "original_file_path": "tests/sales/assert_x.sql", "depends_on": {"nodes": ["model.p.b"]}, "config": {}})
    assert [v.node for v in findings("ACC001", data)] == ["test.p.assert_x"]


def test_codeowners_rule(tmp_path):
    data = manifest()
    assert [v.message for v in findings("OWN004", data, tmp_path)] == [
        f"{CODEOWNERS_PATH} is missing; run `mesh codeowners`"]
    write_codeowners(tmp_path, Mesh(data).domains.values())
    assert findings("OWN004", data, tmp_path) == []
    path = tmp_path / CODEOWNERS_PATH
    path.write_text("* @org/everyone\n" + path.read_text())  # the owners' own lines are theirs
    assert findings("OWN004", data, tmp_path) == []
    path.write_text(path.read_text().replace("# END mesh", "/models/ @someone\n# END mesh"))
    assert "does not match" in findings("OWN004", data, tmp_path)[0].message


PII_COLUMNS = {"email_hash": {"name": "email_hash", "config": {"meta": {"pii": True, "masked": True}}}}


@pytest.mark.parametrize("raw_code, columns, public, expected", [
    ("select {{ mask_pii('email') }} as email_hash from x", PII_COLUMNS, True, []),
    ("select email as email_hash from x", PII_COLUMNS, True, ["email_hash"]),
    ("select email from {{ ref('int_m') }}", {"email": {"name": "email"}}, True, ["email"]),  # PII upstream
    ("select email from {{ ref('int_m') }}", {"email": {"name": "email"}}, False, []),       # not public
])
def test_pii_must_be_masked_in_public_models(raw_code, columns, public, expected):
    upstream = model("int_m", "sales", "intermediate",
                     columns={"email": {"name": "email", "config": {"meta": {"pii": True}}}})
    product = model("m", "sales", access="public" if public else "private", parents=[upstream["unique_id"]],
                    columns=columns, raw_code=raw_code)
    assert [v.related for v in findings("PII001", manifest(product, upstream))] == expected
