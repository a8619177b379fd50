"""The `mesh` command end to end: exit codes, one-line errors, tables."""

import json
import subprocess
import sys

import pytest

from mesh_platform.cli import COMMANDS, build_parser, main, requested_command

DOMAINS = ["analytics", "collections", "funding", "legacy", "merchants", "partners", "underwriting"]


def test_help_lists_the_commands_without_importing_dbt():
    code = ("import sys, contextlib, io\n"
            "from mesh_platform.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):\n"
            "    main(['--help'])\n"
            "print(sorted(m for m in sys.modules if m == 'dbt' or m.startswith(('dbt.', 'rich'))))\n"
            "print(out.getvalue())\n")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.splitlines()[0] == "[]"
    for command in ("build", "domains", "headlines"):
        assert command in output


def test_outside_a_project_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["domains", "--project-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mesh: no dbt_project.yml in") and err.count("\n") == 1


@pytest.mark.integration
def test_an_unknown_domain_is_refused_naming_the_known_ones(project_copy, capsys):
    assert main(["build", "--domain", "finance", "--project-dir", str(project_copy)]) == 2
    err = capsys.readouterr().err
    assert err == f"mesh: unknown domain 'finance'; the domains are: {', '.join(DOMAINS)}\n"
    assert not (project_copy / "warehouse" / "mesh.duckdb").exists()


@pytest.mark.integration
def test_debug_shows_the_traceback(project_copy, capsys):
    assert main(["build", "--debug", "--domain", "finance", "--project-dir", str(project_copy)]) == 2
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.integration
def test_domains_lists_owners_products_and_models(project_copy, capsys):
    assert main(["domains", "--format", "json", "--project-dir", str(project_copy)]) == 0
    rows = {row["domain"]: row for row in json.loads(capsys.readouterr().out)}
    assert sorted(rows) == DOMAINS
    assert rows["collections"]["owner"] == "Collections"
    assert rows["collections"]["team_handle"] == "@lender/collections"
    assert rows["collections"]["product_names"] == ["advance_performance_daily", "repayments"]
    assert rows["analytics"]["products"] == 4 and rows["analytics"]["models"] == 5
    assert rows["legacy"]["status"] == "decommissioning"
    assert main(["domains", "--project-dir", str(project_copy)]) == 0
    table = capsys.readouterr().out
    assert "Partner Integrations" in table and "@lender/risk" in table


@pytest.mark.integration
def test_build_one_domain_reports_only_that_domain(project_copy, capsys):
    # merchants reads only its own raw data; a domain reading others' products needs them built first
    assert main(["build", "--domain", "merchants", "--project-dir", str(project_copy)]) == 0
    out = capsys.readouterr().out
    assert "Loading seeds ..." in out and "Building models and tests ..." in out
    assert "ok    merchants     model  merchants" in out
    table = out[out.index("Build by domain"):]
    assert "Customer" in table and "Collections" not in table
    assert "no failures" in out


@pytest.mark.integration
def test_a_failing_model_is_named_with_its_owner_and_where_to_look(built_copy, capsys):
    model = built_copy / "models" / "merchants" / "staging" / "crm" / "stg_crm__merchants.sql"
    model.write_text(model.read_text().replace("cast(sector as", "cast(no_such_column as"))
    assert main(["build", "--quiet", "--select", "stg_crm__merchants+", "--project-dir", str(built_copy)]) == 1
    out = capsys.readouterr().out
    assert "FAILED model stg_crm__merchants [merchants, @lender/customer] in " \
           "models/merchants/staging/crm/stg_crm__merchants.sql" in out
    assert "no_such_column" in out
    assert "Details: logs/dbt.log and target/run_results.json" in out
    assert "no_such_column" in (built_copy / "logs" / "dbt.log").read_text()  # the place we point to
    assert "[1/" not in out  # --quiet: no progress lines


def test_build_state_modified_builds_only_what_changed_and_its_children(built_copy, capsys):
    import shutil

    from mesh_platform.dbt_session import DbtSession
    from mesh_platform.project import Project

    DbtSession(Project(built_copy)).manifest()  # dbt parse writes target/manifest.json: production's state
    production = built_copy / "production"
    shutil.copytree(built_copy / "target", production)
    model = built_copy / "models" / "merchants" / "intermediate" / "int_merchants_deduplicated.sql"
    model.write_text(model.read_text() + "\n-- a reviewed change\n")

    assert main(["build", "--quiet", "--select", "state:modified+", "--state", str(production),
                 "--project-dir", str(built_copy)]) == 0

    results = json.loads((built_copy / "target" / "run_results.json").read_text())["results"]
    built = {result["unique_id"] for result in results
             if not result["unique_id"].startswith("operation.")}  # the on-run hooks run on every build
    assert {"model.mesh.int_merchants_deduplicated", "model.mesh.merchants.v1"} <= built
    assert {uid.split(".")[0] for uid in built} == {"model", "test"}
    assert all("merchant" in uid for uid in built)


def test_build_state_without_artifacts_is_refused(project_copy, capsys):
    assert main(["build", "--state", str(project_copy / "models"), "--project-dir", str(project_copy)]) == 2
    assert "no dbt artifacts (manifest.json or run_results.json) in --state" in capsys.readouterr().err


def test_only_the_requested_command_is_registered_and_everything_else_sees_them_all(capsys):
    assert requested_command(["--project-dir", "check", "demo-data", "--scale", "2"]) == "demo_data"
    assert requested_command(["--debug", "check", "--manifest", "m.json"]) == "check"
    assert requested_command(["bogus"]) is None and requested_command(["--version"]) is None
    choices = lambda argv: set(build_parser(argv)._subparsers._group_actions[0].choices)  # noqa: E731
    assert choices(["check", "--show-all"]) == {"check"}
    assert choices(["bogus"]) == choices([]) == {name.replace("_", "-") for name in COMMANDS}
    with pytest.raises(SystemExit):
        main(["bogus"])
    assert "invalid choice: 'bogus' (choose from 'access'" in capsys.readouterr().err


@pytest.mark.parametrize("position", ["before", "after"])
def test_project_dir_counts_before_or_after_the_command(tmp_path, capsys, position):
    missing = ["--project-dir", str(tmp_path / "missing")]
    assert main([*missing, "domains"] if position == "before" else ["domains", *missing]) == 2
    assert capsys.readouterr().err == f"mesh: project folder {tmp_path / 'missing'} does not exist; " \
                                      "pass --project-dir with the repo's root\n"


def test_a_reader_that_goes_away_stops_the_command_quietly(tmp_path):
    """`mesh ... | head`: no traceback, no 'Exception ignored' when the pipe closes."""
    process = subprocess.Popen([sys.executable, "-m", "mesh_platform", "check", "--list-rules"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    process.stdout.close()  # before the command writes anything
    err = process.stderr.read().decode()
    assert process.wait() == 1 and err == ""
