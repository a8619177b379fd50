"""The catalog of a small fixture mesh, made without dbt or a warehouse: for tests of the site's writing.

`text` gives what its authors typed (domain status, description and owner, product and column descriptions),
so a test can make it hostile.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from agreement_files import file_agreement
from fixture_manifests import good_product, group, manifest, model, source

from mesh_platform.catalog.collect import Catalog, collect
from mesh_platform.manifest import Mesh
from mesh_platform.project import Project

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
HOSTILE = {"status": 'x" onmouseover="alert(1)" data-x="', "domain_description": "<script>alert(1)</script>",
           "owner_name": '" onmouseover="alert(1)', "product_description": "</svg><script>alert(1)</script>",
           "column_description": '</svg><img src=x onerror="alert(1)">',
           "agreement_purpose": '<a href="javascript:alert(1)">weekly</a>'}
PLAIN = {"status": "active", "domain_description": "Sales and orders.", "owner_name": "Sales",
         "product_description": "One row per order.", "column_description": "Amount.",
         "agreement_purpose": "The weekly operations report."}


def small_mesh(text: dict[str, str] | None = None, compiled: bool = False) -> Mesh:
    """sales publishes orders from its source; ops reads it; risk reads sales' raw data. `compiled`: with each
    model's compiled SQL, as in a compiled project's manifest."""
    text = {**PLAIN, **(text or {})}
    sales = group("sales", {"name": text["owner_name"], "email": "sales@x.example", "team_handle": "@x/sales"})
    sales["description"] = text["domain_description"]
    sales["config"]["meta"]["status"] = text["status"]
    product, *tests = good_product(parents=["model.p.stg_orders"])
    product["description"] = text["product_description"]
    product["columns"]["amount"]["description"] = text["column_description"]
    nodes = [product, *tests, model("stg_orders", "sales", "staging", parents=["source.p.shop.orders"]),
             model("ops_report", "ops", access="public", version=1, parents=["model.p.orders.v1"]),
             model("risky_orders", "risk", parents=["source.p.shop.orders"])]
    if compiled:
        for node in nodes:
            if node["resource_type"] == "model":
                node["compiled_code"] = "select 1 as one"
    return Mesh(manifest(*nodes, groups=(sales, "ops", "risk"), sources=[source("shop", "orders", "sales")]))


def small_project(root: Path) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    (root / "dbt_project.yml").write_text("name: p\n", encoding="utf-8")
    return Project(root)


def small_catalog(root: Path, text: dict[str, str] | None = None, compiled: bool = False,
                  database: Path | None = None) -> Catalog:
    """The catalog of `small_mesh(text, compiled)` in a project at `root` (created), its warehouse `database`;
    ops reads orders under an approved agreement with sales (until 2099-12-31, two columns)."""
    project = small_project(root)
    file_agreement(root, "sales", "ops", "orders", until=dt.date(2099, 12, 31), columns=("order_id", "amount"),
                   purpose={**PLAIN, **(text or {})}["agreement_purpose"])
    return collect(small_mesh(text, compiled), project, database, NOW, contracts=False)
