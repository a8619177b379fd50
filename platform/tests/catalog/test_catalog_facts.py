"""The catalog's facts on small fixture manifests: products, consumers, lineage, reports, search, freshness."""

from __future__ import annotations

import copy
import datetime as dt
import json

import duckdb
import pytest
from fixture_manifests import data_test, good_product, manifest, model, source

from mesh_platform.catalog.facts import CatalogIndex, collect_products, collect_reports
from mesh_platform.catalog.layout import ARROW, NODE_H, NODE_W, layout
from mesh_platform.catalog.lineage import domain_edges
from mesh_platform.catalog.observations import Observations, read_warehouse
from mesh_platform.catalog.reports import ChartSpec, chart_spec, report_query, report_table
from mesh_platform.catalog.search import PREFIX, SUFFIX, search_entries, shards
from mesh_platform.errors import MeshError
from mesh_platform.manifest import Mesh

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)


def exposure(name: str, parents, chart=None, domain: str = "ops") -> dict:
    return {"unique_id": f"exposure.p.{name}", "resource_type": "exposure", "name": name, "type": "dashboard",
            "label": name.title(), "owner": {"name": domain.title(), "email": f"{domain}@x.example"},
            "original_file_path": f"models/{domain}/_{domain}__exposures.yml", "depends_on": {"nodes": list(parents)},
            "config": {"meta": {} if chart is None else {"chart": chart}}}


def mesh(*extra, exposures=()) -> CatalogIndex:
    """sales publishes orders (v1 deprecated, v2 latest) from its source; ops reads it through a private model."""
    orders_v1, unique, not_null = good_product(deprecation_date="2026-12-31", latest_version=2,
                                               parents=["model.p.stg_orders"])
    orders_v2 = copy.deepcopy(orders_v1) | {"unique_id": "model.p.orders.v2", "version": 2, "deprecation_date": None,
                                            "relation_name": '"db"."sales"."orders_v2"'}
    orders_v2["columns"]["email_hash"] = {"name": "email_hash", "data_type": "varchar", "description": "E-mail.",
                                          "config": {"meta": {"pii": True, "masked": True}}}
    orders_v2["columns"]["phone"] = {"name": "phone", "data_type": "varchar", "description": "Phone.",
                                     "config": {"meta": {"pii": True}}}
    nodes = [orders_v1, orders_v2, unique, not_null,
             model("stg_orders", "sales", "staging", parents=["source.p.shop.orders"]),
             model("int_orders_joined", "ops", "intermediate", parents=["model.p.orders.v1"]),
             model("ops_report", "ops", access="public", version=1, parents=["model.p.int_orders_joined"]),
             model("peek", "ops", parents=["model.p.stg_orders"]), *extra]
    data = manifest(*nodes, sources=[source("shop", "orders", "sales")])
    data["exposures"] = {e["unique_id"]: e for e in exposures}
    return CatalogIndex(Mesh(data))


def test_a_product_gathers_its_versions_contract_tests_upstream_and_consumers():
    products = collect_products(mesh())
    assert list(products) == ["ops_report", "orders"]
    orders = products["orders"]
    assert [(v.version, v.latest, v.deprecation_date) for v in orders.versions] == [
        ("1", False, "2026-12-31"), ("2", True, None)]
    assert orders.latest.unique_id == "model.p.orders.v2" and orders.latest.relation == "sales.orders_v2"
    assert orders.primary_key == ("order_id",) and orders.sla == {"max_staleness_hours": 24}
    columns = {c.name: c for c in orders.columns}
    assert columns["order_id"].constraints == ("primary key",) and columns["order_id"].tests == ()  # v2: no tests
    assert columns["email_hash"].pii and not columns["email_hash"].hidden and columns["phone"].hidden
    assert [link.label for link in orders.upstream] == ["source shop.orders"]
    assert [(c.label, c.domain, c.kind, c.page, c.detail) for c in orders.consumers] == [
        ("int_orders_joined", "ops", "model", "domains/ops.html", "reads v1")]  # peek reads staging, not the product
    assert [(u.label, u.kind, u.page) for u in products["ops_report"].upstream] == [
        ("orders.v1", "product", "products/orders.html")]  # through the private model in between


def test_column_tests_come_from_the_tests_on_the_latest_version():
    index = mesh(data_test("unique_orders_v2", "unique", "model.p.orders.v2", "order_id"),
                 data_test("assert_orders_add_up", "", "model.p.orders.v2") | {"test_metadata": None})
    orders = collect_products(index)["orders"]
    assert {c.name: c.tests for c in orders.columns}["order_id"] == ("unique",)
    assert orders.tests == ("assert_orders_add_up",)


def test_an_exposure_with_a_chart_is_a_report_and_a_consumer():
    chart = {"kind": "bar", "x": "order_id", "y": ["amount"], "aggregate": "sum"}
    index = mesh(exposures=[exposure("orders_board", ["model.p.orders.v2"], chart),
                            exposure("plain", ["model.p.orders.v2"], domain="sales")])
    reports = collect_reports(index)
    assert reports["orders_board"].chart == chart and reports["orders_board"].domain == "ops"
    assert reports["plain"].chart is None and reports["plain"].domain == "sales"
    consumers = {c.label: c for c in collect_products(index)["orders"].consumers}
    assert consumers["Orders_Board"].page == "reports/orders_board.html"
    assert consumers["Plain"].page == "domains/sales.html"


def test_domain_edges_say_what_each_domain_reads_of_another():
    edges = domain_edges(mesh())
    assert [(e.upstream, e.downstream, e.products, e.raw, e.private, e.kind) for e in edges] == [
        ("sales", "ops", ("orders.v1",), (), ("stg_orders",), "private")]
    assert edges[0].describe() == "ops reads sales, products: orders.v1; models that are not public: stg_orders"


def test_the_layout_places_every_domain_apart_even_with_a_cycle():
    placed = layout(["a", "b", "c", "d", "lonely"], [("a", "b"), ("b", "c"), ("c", "a"), ("a", "d")])
    assert set(placed.positions) == {"a", "b", "c", "d", "lonely"}
    boxes = list(placed.positions.values())
    assert len(set(boxes)) == 5
    for i, (x1, y1) in enumerate(boxes):  # no two boxes overlap
        for x2, y2 in boxes[i + 1:]:
            assert abs(x1 - x2) >= NODE_W or abs(y1 - y2) >= NODE_H
    assert placed.positions["a"][0] < placed.positions["b"][0] < placed.positions["c"][0]  # layered left to right
    assert placed.positions["lonely"][1] > max(y for name, (_, y) in placed.positions.items() if name != "lonely")
    assert all(x + NODE_W <= placed.width and y + NODE_H <= placed.height for x, y in boxes)


REFERENCE_LINEAGE = [("collections", "analytics"), ("collections", "legacy"), ("funding", "analytics"),
                     ("funding", "collections"), ("funding", "legacy"), ("funding", "partners"),
                     ("merchants", "legacy"), ("partners", "analytics"), ("partners", "legacy"),
                     ("underwriting", "analytics"), ("underwriting", "legacy")]


def wide_graph(count: int = 24) -> list[tuple[str, str]]:
    """A deterministic tangle: each domain reads one to three of those before it, some far back."""
    names = [f"d{i:02}" for i in range(count)]
    return [(names[(i * 7 + k * 5) % i], names[i]) for i in range(1, count) for k in range(1 + i % 3)]


def behind_boxes(placed) -> list[str]:
    """Each edge that passes through a box other than its own two (its curves sampled finely)."""
    found = set()
    for (up, down), segments in placed.routes.items():
        for p0, c1, c2, p3 in segments:
            for step in range(61):
                t = step / 60
                x, y = ((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c + t ** 3 * d
                        for a, b, c, d in zip(p0, c1, c2, p3, strict=True))
                found |= {f"{up} -> {down} behind {name}" for name, (left, top) in placed.positions.items()
                          if name not in (up, down) and left < x < left + NODE_W and top < y < top + NODE_H}
    return sorted(found)


@pytest.mark.parametrize("edges", [REFERENCE_LINEAGE, wide_graph(), [("a", "b"), ("b", "c"), ("c", "a"), ("a", "c")]],
                         ids=["reference", "wide", "cycle"])
def test_every_edge_runs_from_its_box_to_its_box_and_behind_no_other(edges):
    placed = layout({name for edge in edges for name in edge} | {"lonely"}, edges)
    assert set(placed.routes) == set(edges) and behind_boxes(placed) == []
    for (up, down), segments in placed.routes.items():
        (x0, y0), (x1, y1) = segments[0][0], segments[-1][3]
        (ux, uy), (dx, dy) = placed.positions[up], placed.positions[down]
        assert x0 in (ux, ux + NODE_W) and uy < y0 < uy + NODE_H  # leaves from a side of its own box
        assert min(abs(x1 - dx), abs(x1 - dx - NODE_W)) == ARROW and dy < y1 < dy + NODE_H  # its arrow at its box


def test_the_edge_check_sees_an_edge_behind_a_box():
    placed = layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
    (ax, ay), (cx, cy) = placed.positions["a"], placed.positions["c"]
    start, end = (ax + NODE_W, ay + NODE_H / 2), (cx, cy + NODE_H / 2)
    straight = [(start, start, end, end)]  # a to c drawn straight, through b
    assert behind_boxes(type(placed)(placed.positions, {("a", "c"): straight}, 0, 0)) == ["a -> c behind b"]


def spec_error(chart, parents=("model.p.orders.v2",)) -> str:
    index = mesh(exposures=[exposure("board", parents, chart)])
    with pytest.raises(MeshError) as error:
        chart_spec(collect_reports(index)["board"], collect_products(index))
    return str(error.value)


@pytest.mark.parametrize(("chart", "parents", "message"), [
    ({"kind": "bar", "x": "order_id", "y": ["amount"], "colour": "red"}, None, "unknown key(s) in meta.chart: colour"),
    ({"kind": "pie", "x": "order_id", "y": ["amount"]}, None, "meta.chart.kind is 'pie'; it must be one of bar"),
    ({"kind": "bar", "y": ["amount"]}, None, "meta.chart.x must name the column along the category axis"),
    ({"kind": "bar", "x": "order_id", "y": []}, None, "meta.chart.y must name one or more columns"),
    ({"kind": "line", "x": "order_id", "y": ["amount", "order_id"], "series": "order_id"}, None,
     "series names one column and goes with exactly one y column"),
    ({"kind": "funnel", "y": ["amount"]}, None, "a funnel adds up each stage over the product's rows; set aggregate"),
    ({"kind": "bar", "x": "order_id", "y": ["amont"]}, None, "orders has no column amont; its columns are: order_id"),
    ({"kind": "bar", "x": "phone", "y": ["amount"]}, None, "phone of orders is personal data; a report cannot show it"),
    ({"kind": "bar", "x": "order_id", "y": ["amount"]}, ("model.p.orders.v2", "model.p.ops_report.v1"),
     "a report reads exactly one data product"),
    ({"kind": "bar", "x": "order_id", "y": ["amount"], "aggregate": "median"}, None,
     "meta.chart.aggregate is 'median'"),
])
def test_a_chart_that_cannot_be_drawn_is_refused_in_one_line(chart, parents, message):
    error = spec_error(chart, parents or ("model.p.orders.v2",))
    assert error.startswith("report board (models/ops/_ops__exposures.yml): ") and message in error
    assert "\n" not in error


def test_a_report_query_quotes_the_contract_columns_and_aggregates():
    index = mesh(exposures=[exposure("board", ["model.p.orders.v2"],
                                     {"kind": "barh", "x": "order_id", "y": ["amount"], "aggregate": "sum",
                                      "sort": "desc", "format": "gbp"})])
    spec, product = chart_spec(collect_reports(index)["board"], collect_products(index))
    assert report_query(spec, product.latest.relation) == (
        'select "order_id", sum("amount") as "amount" from "sales"."orders_v2" group by "order_id" order by 2 desc')


def test_report_tables_pivot_series_and_give_a_funnel_its_conversion():
    line = ChartSpec("line", "month", ("pct",), series="cohort", format="pct")
    rows = [(1, dt.date(2025, 4, 1), 0.1), (1, dt.date(2025, 5, 1), 0.2), (2, dt.date(2025, 4, 1), 0.3)]
    table = report_table(line, rows)
    assert table.categories == ["1", "2"] and table.headers == ["Month", "Apr 2025", "May 2025"]
    assert table.series == [("Apr 2025", [0.1, 0.3]), ("May 2025", [0.2, None])]
    assert table.rows == [["1", "10.0%", "20.0%"], ["2", "30.0%", "–"]]
    funnel = report_table(ChartSpec("funnel", None, ("referrals", "funded"), aggregate="sum", format="count"),
                          [(200, 50)])
    assert funnel.rows == [["Referrals", "200", "–", "100.0%"], ["Funded", "50", "25.0%", "25.0%"]]


def test_search_shards_stay_small_and_hold_every_entry():
    class Catalog:
        products = collect_products(mesh())
        domains, reports = {}, {}

    entries = search_entries(Catalog) * 200
    files = shards(entries, limit=5_000)
    assert len(files) > 10 and all(len(text) <= 5_000 + len(PREFIX) + len(SUFFIX) + 400 for text in files)
    back = [entry for text in files for entry in json.loads(text[len(PREFIX):-len(SUFFIX)])]
    assert back == entries and all(text.isascii() for text in files)
    orders = next(entry for entry in back if entry["n"] == "orders")
    assert {column[0] for column in orders["c"]} == {"order_id", "amount", "email_hash", "phone"}


def test_a_sample_never_reads_personal_data_published_unmasked(tmp_path):
    orders = collect_products(mesh())["orders"]
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema sales; create table sales.orders_v2 as select 'O1' as order_id, "
                           "12.5::decimal(12,2) as amount, 'ab12' as email_hash, '07700 900123' as phone, "
                           "'secret' as not_in_contract")
    observations = Observations()
    read_warehouse(database, [orders], observations)
    sample = observations.samples["orders"]
    assert sample.columns == ["order_id", "amount", "email_hash"] and sample.hidden == ["phone"]
    assert sample.rows == [["O1", "12.50", "ab12"]] and sample.row_count == 1
    empty = Observations()
    read_warehouse(tmp_path / "none.duckdb", [orders], empty)
    assert empty.samples == {} and "is not built yet" in empty.notes[0]
