"""`mesh lint` on a project of the shape found outside: its .sqlfluff names the dbt templater and no dialect, its
profile is Snowflake, its models call its own macros, an installed package's macros (through adapter.dispatch)
and `config({...})`. Linted with the Jinja templater, none of that is a templating or parsing error; SQL that
does not parse still is."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mesh_platform.cli import main
from mesh_platform.lint import cache, runner, workers

pytestmark = pytest.mark.integration

FILES = {
    "dbt_project.yml": """
        name: shop
        profile: shop
        config-version: 2
        macro-paths: ["macros"]
        vars:
          history_start: "2024-01-01"
        """,
    "profiles.yml": """
        shop:
          target: "{{ env_var('SHOP_TARGET', 'prod') }}"
          outputs:
            prod:
              type: snowflake
              account: "{{ env_var('SNOWFLAKE_ACCOUNT') }}"
        """,
    ".sqlfluff": """
        [sqlfluff]
        templater = dbt
        max_line_length = 120

        [sqlfluff:templater:dbt]
        profiles_dir = .

        [sqlfluff:rules:capitalisation.keywords]
        capitalisation_policy = lower
        """,
    "macros/cents_to_dollars.sql": """
        {% macro cents_to_dollars(column_name) -%}
            {{ return(adapter.dispatch('cents_to_dollars')(column_name)) }}
        {%- endmacro %}

        {% macro default__cents_to_dollars(column_name) -%}
            ({{ column_name }} / 100)::numeric(16, 2)
        {%- endmacro %}
        """,
    "dbt_packages/shop_utils/dbt_project.yml": "name: shop_utils\nconfig-version: 2\n",
    "dbt_packages/shop_utils/macros/keys.sql": """
        {% macro surrogate_key(fields) -%}
            {{ return(adapter.dispatch('surrogate_key', 'shop_utils')(fields)) }}
        {%- endmacro %}

        {% macro default__surrogate_key(fields) -%}
            md5({{ fields | join(" || '-' || ") }})
        {%- endmacro %}

        {% macro snowflake__surrogate_key(fields) -%}
            md5_hex({{ fields | join(" || '-' || ") }})
        {%- endmacro %}

        {% macro column_values(table, column) -%}
            {%- set rows = run_query('select distinct ' ~ column ~ ' from ' ~ table) -%}
            {{ return(rows.columns[0].values()) }}
        {%- endmacro %}
        """,
    "models/orders.sql": """
        {{ config({'materialized': 'table', 'unique_key': 'order_id'}) }}

        with orders as (
            select * from {{ ref('raw_orders') }}
        )

        select
            order_id,
            {{ shop_utils.surrogate_key(['order_id', 'customer_id']) }} as order_key,
            {{ cents_to_dollars('amount_cents') }} as amount,
            payload:status::varchar as status,
            '{{ env_var("SHOP_REGION", "eu") }}' as region
        from orders
        where ordered_at >= '{{ var("history_start") }}'
        {% for status in shop_utils.column_values(ref('raw_orders'), 'status') -%}
            and status != '{{ status }}'
        {% endfor -%}
        qualify row_number() over (partition by order_id order by ordered_at desc) = 1
        """,
    "models/broken.sql": "select from where (((\n",
}


def make_project(root: Path, files: dict[str, str] = FILES) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip())
    return root


def lint(capsys, root, *args) -> tuple[int, dict, str]:
    code = main(["lint", "--format", "json", "--project-dir", str(root), *args])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_the_dbt_templater_is_set_aside_once_and_the_projects_macros_render(tmp_path, capsys):
    code, report, err = lint(capsys, make_project(tmp_path))
    found = {(v["path"], v["code"]) for v in report["violations"]}
    assert code == 1 and report["files"] == 2
    assert not [v for v in report["violations"] if v["path"] == "models/orders.sql"], report
    assert ("models/broken.sql", "PRS") in found  # SQL that does not parse is a finding, not a pass
    assert err.count("names the 'dbt' templater") == 1 and err.count("\n") == 1


def test_the_dialect_comes_from_the_profiles_adapter(tmp_path):
    assert runner.lint_overrides(make_project(tmp_path))[0]["dialect"] == "snowflake"


def test_a_dialect_set_in_sqlfluff_wins_over_the_adapter(tmp_path):
    root = make_project(tmp_path)
    config = root / ".sqlfluff"
    config.write_text(config.read_text().replace("templater = dbt", "templater = jinja\ndialect = duckdb"))
    assert runner.lint_overrides(root) == ({"library_path": str(runner.LINT_CONTEXT), "templater": "jinja"}, None)


def test_an_adapter_sqlfluff_has_no_dialect_for_says_to_set_one(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "profiles.yml").write_text((root / "profiles.yml").read_text().replace("snowflake", "nosuchdb"))
    assert main(["lint", "--project-dir", str(root)]) == 2
    err = capsys.readouterr().err
    assert "set `dialect` in .sqlfluff (the profile adapter 'nosuchdb' has no sqlfluff dialect)" in err
    assert err.count("\n") == 1


def test_a_package_macro_the_model_misnames_is_still_a_templating_error(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "models/broken.sql").write_text("select {{ shop_utils.no_such_macro('x') }} as x\n")
    code, report, _ = lint(capsys, root)
    assert code == 1 and [(v["path"], v["code"]) for v in report["violations"]] == [("models/broken.sql", "TMP")]


def test_a_changed_macro_lints_everything_again(tmp_path):
    root = make_project(tmp_path)
    overrides = runner.lint_overrides(root)[0]
    before = cache.stamp(root, overrides)
    macro = root / "dbt_packages/shop_utils/macros/keys.sql"
    macro.write_text(macro.read_text().replace("md5_hex", "sha2"))
    assert cache.stamp(root, overrides) != before
    assert cache.stamp(root, {**overrides, "dialect": "duckdb"}) != cache.stamp(root, overrides)


def test_lint_in_parallel_ends_without_resource_tracker_warnings(tmp_path):
    root = make_project(tmp_path)
    for index in range(12):
        (root / f"models/copy_{index}.sql").write_text((root / "models/orders.sql").read_text())
    (root / "models/broken.sql").unlink()
    result = subprocess.run([str(Path(sys.executable).parent / "mesh"), "lint", "--processes", "2",
                             "--project-dir", str(root)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Linted 13 file(s): 0 violation(s)." in result.stdout
    assert "resource_tracker" not in result.stderr and "leaked" not in result.stderr


def test_a_changed_macro_is_rendered_as_it_now_is(tmp_path):
    root = make_project(tmp_path)
    orders = ["models/orders.sql"]
    assert runner.lint(root, orders, processes=1) == []
    macro = root / "macros/cents_to_dollars.sql"
    macro.write_text(macro.read_text().replace("({{ column_name }} / 100)", "((( {{ column_name }}"))
    assert {v.code for v in runner.lint(root, orders, processes=1)} == {"PRS"}


def test_a_worker_that_fails_costs_only_time(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    for index in range(8):
        (root / f"models/shouty_{index}.sql").write_text("SELECT 1 AS x\n")
    paths = runner.sql_files(root)
    overrides = runner.lint_overrides(root)[0]
    alone = sorted(workers.lint_files(root, paths, False, overrides, 1))
    monkeypatch.setattr(sys, "executable", "/bin/false")  # every worker exits 1 at once
    assert sorted(workers.lint_files(root, paths, False, overrides, 3)) == alone
    assert {code for _, _, _, code, _ in alone} >= {"CP01", "PRS"}


@pytest.mark.parametrize("adapter, dialect", [("postgres", "postgres"), ("bigquery", "bigquery"),
                                              ("spark", "sparksql"), ("sqlserver", "tsql"), ("duckdb", "duckdb"),
                                              ("nosuchdb", None)])
def test_each_adapter_lints_in_its_sqlfluff_dialect(adapter, dialect):
    from mesh_platform.sql_dialect import sqlfluff_dialect

    assert sqlfluff_dialect(adapter) == dialect


def test_a_bigquery_project_lints_without_a_crash(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "profiles.yml").write_text((root / "profiles.yml").read_text().replace("snowflake", "bigquery"))
    (root / "models/orders.sql").write_text("select order_id from `proj.ds.orders`\n")
    code, report, _ = lint(capsys, root)
    assert code == 1 and {(v["path"], v["code"]) for v in report["violations"]} == {("models/broken.sql", "PRS")}
