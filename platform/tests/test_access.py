"""Access: another domain's private model cannot be ref'd; dbt refuses at parse time, mesh says so in a line."""

import pytest

from mesh_platform.cli import main
from mesh_platform.dbt_session import DbtSession
from mesh_platform.errors import DbtFailure
from mesh_platform.project import Project

pytestmark = pytest.mark.integration


def reach_into_funding(root):
    model = root / "models" / "analytics" / "intermediate" / "int_advances_enriched.sql"
    model.write_text(model.read_text().replace("{{ ref('advances') }}", "{{ ref('int_advances_priced') }}"))


def test_the_reference_mesh_respects_access(project_copy):
    assert DbtSession(Project(project_copy)).mesh().domains


def test_a_ref_to_a_private_model_of_another_domain_fails_parsing_naming_both(project_copy):
    reach_into_funding(project_copy)
    with pytest.raises(DbtFailure) as caught:
        DbtSession(Project(project_copy)).manifest()
    message = str(caught.value)
    assert "int_advances_enriched" in message and "int_advances_priced" in message
    assert "private to the 'funding' group" in message
    assert "\n" not in message


def test_mesh_build_leaves_the_violating_domain_out_in_one_line_and_exits_1(project_copy, capsys):
    reach_into_funding(project_copy)
    assert main(["build", "--quiet", "--project-dir", str(project_copy)]) == 1
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if line.startswith("Left out analytics:")]
    assert "int_advances_enriched" in line and "int_advances_priced" in line
    assert "private to the 'funding' group" in line
    assert "its data is published as advances (funding, owned by Funding" in line  # the way to what was meant
    assert "left out, so not built: analytics" in out
