"""`mesh legacy status` end to end: the reference mesh with real dbt and DuckDB, the chart, the refusals."""

import datetime as dt
import json
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest

from mesh_platform.cli import main
from mesh_platform.cli.legacy import _row_counts
from mesh_platform.project import Project

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REFERENCE_LEGACY = {"legacy_loan_book", "legacy_merchant_360"}
HANDED_OVER = {"int_advances_joined_to_partners", "legacy_partner_commissions",
               "stg_legacy_dwh__partner_commission_rates"}


def days_ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


def write_log(root, rows) -> None:
    lines = ["date,model,new_name,from_domain,to_domain,sql_lines,reason"]
    lines += [",".join(map(str, row)) for row in rows]
    (root / "ownership-log.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def assert_png(path) -> None:
    data = path.read_bytes()
    assert len(data) > 1000 and data[:8] == PNG_SIGNATURE
    assert not path.with_name(path.name + ".partial").exists()


def test_help_lists_legacy_without_importing_matplotlib_or_dbt():
    code = ("import sys, contextlib, io\n"
            "from mesh_platform.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):\n"
            "    main(['legacy', 'status', '--help'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dbt', 'matplotlib', 'duckdb', 'rich')))\n"
            "print(out.getvalue())\n")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.splitlines()[0] == "[]"
    assert "--chart PATH" in output and "--format {table,json}" in output and "--target" in output


@pytest.mark.integration
def test_the_reference_mesh_burn_down(built_copy, tmp_path, capsys):
    root = built_copy
    adopted = [(days_ago(90), name, name, "(monolith)", "legacy", 20, "adopted") for name in sorted(REFERENCE_LEGACY)]
    write_log(root, [*adopted,
                     (days_ago(90), "legacy_takings", "legacy_takings", "(monolith)", "legacy", 60, "adopted"),
                     (days_ago(30), "legacy_takings", "merchant_takings", "legacy", "partners", 64, "partners own it")])
    assert main(["legacy", "status", "--format", "json", "--project-dir", str(root)]) == 0
    data = json.loads(capsys.readouterr().out)

    models = {m["name"]: m for m in data["models"]}
    assert set(models) == REFERENCE_LEGACY
    assert all(m["sql_lines"] > 0 and m["rows"] > 0 for m in models.values()), models
    assert data["totals"]["models"] == 2 and data["totals"]["sql_lines"] == sum(m["sql_lines"] for m in models.values())
    assert data["totals"]["rows"] == sum(m["rows"] for m in models.values()) and data["rows_note"] is None
    assert data["dependents"] == []  # analytics reads partners' partner_commissions since the handover

    today = data["totals"]["sql_lines"]
    points = [(p["date"], p["models"], p["sql_lines"]) for p in data["history"]["points"]]
    assert data["history"]["start"] == {"before": days_ago(90), "models": 0, "sql_lines": 0}
    assert points == [(days_ago(90), 3, today + 64), (days_ago(30), 2, today), (days_ago(0), 2, today)]
    assert data["history"]["mismatches"] == []

    assert data["chart"] == "target/legacy-burndown.png"
    assert_png(root / "target" / "legacy-burndown.png")

    chart = tmp_path / "charts" / "nested" / "burn.png"  # its folder does not exist yet
    assert main(["legacy", "status", "--chart", str(chart), "--project-dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert_png(chart)
    assert "legacy_merchant_360" in out and "legacy_partner_commissions" not in out
    assert "-1 to partners: legacy_takings" in out
    assert out.rstrip().endswith(f"Chart: {chart}")


@pytest.mark.integration
def test_before_a_build_rows_are_unknown_and_the_rest_is_reported(project_copy, capsys):
    assert main(["legacy", "status", "--format", "json", "--project-dir", str(project_copy)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["models"]) == 2 and all(m["rows"] is None for m in data["models"])
    assert data["totals"]["rows"] is None
    assert data["rows_note"] == "rows unknown: the warehouse warehouse/mesh.duckdb is not built yet (`mesh build`)"
    # the reference's ownership log: the commissions handed over to partners took legacy from 5 models to 2
    assert data["history"]["start"] == {"before": "2026-11-23", "models": 5, "sql_lines": 181}
    points = [(p["date"], p["models"]) for p in data["history"]["points"]]
    assert points[0] == ("2026-11-23", 2) and points[1:] in ([], [(dt.date.today().isoformat(), 2)])  # and today
    assert not (project_copy / "warehouse" / "mesh.duckdb").exists()
    assert_png(project_copy / "target" / "legacy-burndown.png")


def tiny_project(root, groups: tuple[str, ...]):
    """A dbt project with one model per group, in that group's folder."""
    root.mkdir(parents=True)
    (root / "dbt_project.yml").write_text("name: tiny\nversion: '1.0.0'\nconfig-version: 2\nprofile: tiny\n"
                                          "model-paths: ['models']\n")
    (root / "profiles.yml").write_text(
        "tiny:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n      path: tiny.duckdb\n")
    for name in groups:
        folder = root / "models" / name
        folder.mkdir(parents=True)
        (folder / f"_{name}__domain.yml").write_text(textwrap.dedent(f"""\
            groups:
              - name: {name}
                owner: {{name: {name.title()}, email: {name}@x.example}}
            models:
              - name: {name}_orders
                config: {{group: {name}}}
            """))
        (folder / f"{name}_orders.sql").write_text("select 1 as id\n")
    return root


@pytest.mark.integration
def test_a_project_without_a_legacy_domain_is_refused_in_one_line(tmp_path, capsys):
    root = tiny_project(tmp_path / "tiny", ("sales",))
    assert main(["legacy", "status", "--project-dir", str(root)]) == 2
    captured = capsys.readouterr()
    assert captured.err == ("mesh: this project has no 'legacy' domain (a dbt group named legacy, or one whose "
                            "meta.status is decommissioning), so there is no monolith to burn down; the domains are: "
                            "sales\n")
    assert captured.out == "" and not (root / "target" / "legacy-burndown.png").exists()


@pytest.mark.integration
def test_a_tiny_legacy_domain_is_reported(tmp_path, capsys):
    root = tiny_project(tmp_path / "tiny", ("legacy", "sales"))
    assert main(["legacy", "status", "--format", "json", "--project-dir", str(root)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(m["name"], m["sql_lines"], m["rows"]) for m in data["models"]] == [("legacy_orders", 1, None)]
    assert data["dependents"] == []


def test_a_malformed_ownership_log_is_refused_in_one_line(tmp_path, capsys):
    root = tiny_project(tmp_path / "tiny", ("legacy",))
    write_log(root, [("2026-09-01", "a", "a", "(monolith)", "legacy", 3, "adopted"),
                     ("2026-13-01", "b", "b", "legacy", "sales", 3, "a month that does not exist")])
    assert main(["legacy", "status", "--project-dir", str(root)]) == 2
    captured = capsys.readouterr()
    assert captured.err == ("mesh: ownership-log.csv line 3 is not a valid row (date, model, new_name, from_domain, "
                            "to_domain, sql_lines, reason); fix or restore it from git\n")
    assert captured.out == "" and not (root / "target").exists()


@pytest.mark.integration
def test_a_chart_that_cannot_be_written_is_refused_in_one_line(tmp_path, capsys):
    root = tiny_project(tmp_path / "tiny", ("legacy",))
    (tmp_path / "a-file").write_text("not a folder")
    assert main(["legacy", "status", "--chart", str(tmp_path / "a-file" / "c.png"), "--project-dir", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mesh: cannot write the chart to {tmp_path / 'a-file' / 'c.png'}: ") and err.count("\n") == 1


def test_on_another_engine_rows_are_unknown_saying_why(tmp_path, monkeypatch):
    monkeypatch.setattr("mesh_platform.warehouse.target_credentials",
                        lambda project, target: ("prod", SimpleNamespace(type="spark", path=None)))
    session = SimpleNamespace(project=Project(tmp_path), target="prod")
    assert _row_counts(session, None) == ({}, "rows unknown: target 'prod' is not a DuckDB file (spark)")
