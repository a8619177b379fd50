"""`mesh access` on a copy of the reference mesh: an agreement revoked, requested again and approved, with the
check and the generated grants following each step; mistakes refused in one line; the listing."""

import json

import pytest

from mesh_platform.cli import main

ADVANCES_YML = "models/funding/marts/advances.yml"


def open_findings(capsys, root, *codes: str) -> list[dict]:
    code = main(["check", "--format", "json", "--project-dir", str(root)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    found = [f for f in findings if f["rule"] in codes and f["status"] == "open"]
    assert code == (1 if found else 0)
    return found


def access(capsys, root, *args: str) -> tuple[int, str, str]:
    code = main(["access", *args, "--project-dir", str(root)])
    out, err = capsys.readouterr()
    return code, out, err


def test_revoke_request_approve_and_the_check_and_grants_follow_each_step(project_copy, capsys):
    root = project_copy
    assert open_findings(capsys, root, "ACC004", "ACC006") == []  # the reference mesh: every edge agreed

    assert access(capsys, root, "revoke", "partners__advances", "--by", "funding-ops@lender.example")[0] == 0
    assert "mesh_partners" not in (root / ADVANCES_YML).read_text()
    (found,) = open_findings(capsys, root, "ACC004", "ACC006")
    assert found["node"] == "model.mesh.int_advances_joined_to_partners" and "was revoked" in found["message"]

    code, out, _ = access(capsys, root, "request", "advances", "--for", "partners", "--purpose",
                          "Commissions: the advances each partner referred.", "--until", "2099-12-31",
                          "--by", "me@x.io")
    assert code == 0 and "mesh access approve partners__advances" in out
    agreement = (root / "models/funding/access/partners__advances.access.yml").read_text()
    assert {"status: requested", "until: 2099-12-31", "requested_by: me@x.io"} <= set(agreement.splitlines())
    (found,) = open_findings(capsys, root, "ACC004", "ACC006")
    assert "only requested" in found["message"] and "mesh access approve partners__advances" in found["message"]

    assert access(capsys, root, "approve", "partners__advances", "--by", "funding-ops@lender.example")[0] == 0
    assert "grants: {select: [mesh_analytics, mesh_collections, mesh_partners]}" in (root / ADVANCES_YML).read_text()
    assert "decided_by: funding-ops@lender.example" in \
        (root / "models/funding/access/partners__advances.access.yml").read_text()
    assert open_findings(capsys, root, "ACC004", "ACC006") == []


@pytest.mark.parametrize(("args", "expected"), [
    (["request", "nothing", "--for", "analytics", "--purpose", "x"], "no data product named 'nothing'"),
    (["request", "advances", "--for", "funding", "--purpose", "x"], "funding owns advances"),
    (["request", "advances", "--for", "analytics", "--purpose", "x"], "already exists (approved)"),
    (["request", "merchants", "--for", "analytics", "--purpose", "x", "--columns", "merchant_id,pin"],
     "merchants has no column pin"),
    (["request", "merchants", "--for", "analytics", "--purpose", "x", "--until", "2020-01-01"], "in the past"),
    (["approve", "analytics__advances"], "analytics__advances is approved; only a requested agreement can be"),
    (["revoke", "nobody__nothing"], "no access agreement nobody__nothing"),
])
def test_mistakes_are_refused_in_one_line_and_nothing_is_written(project_copy, capsys, args, expected):
    before = sorted(path.read_text() for path in project_copy.glob("models/*/access/*"))
    code, _, err = access(capsys, project_copy, *args)
    assert code == 2 and expected in err and err.count("\n") == 1
    assert sorted(path.read_text() for path in project_copy.glob("models/*/access/*")) == before


def test_list_shows_the_agreements_a_domain_produces_or_consumes(project_copy, capsys):
    code, out, _ = access(capsys, project_copy, "list", "--domain", "funding", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {row["id"] for row in rows} == {
        "analytics__advances", "collections__advances", "partners__advances",  # funding produces
        "funding__applications", "funding__merchants"}  # funding consumes
    merchants = next(row for row in rows if row["id"] == "funding__merchants")
    assert (merchants["producer"], merchants["columns"], merchants["until"], merchants["state"]) == \
        ("merchants", ["merchant_id"], "2027-12-31", "approved")


def test_a_purpose_is_shown_as_typed_in_the_table(project_copy, capsys):
    purpose = "Reads [bold]advances[/bold] weekly."
    assert access(capsys, project_copy, "request", "repayments", "--for", "funding", "--purpose", purpose,
                  "--by", "me@x.io")[0] == 0
    code, out, _ = access(capsys, project_copy, "list", "--product", "repayments")
    assert code == 0 and "[bold]advances[/bold]" in " ".join(out.split())


def test_grants_edited_by_hand_are_caught_and_regenerated(project_copy, capsys):
    path = project_copy / ADVANCES_YML
    generated = path.read_text()
    path.write_text(generated.replace("mesh_partners]", "mesh_partners, mesh_legacy]"))
    (found,) = open_findings(capsys, project_copy, "ACC006")
    assert found["node"] == "model.mesh.advances.v1"
    assert access(capsys, project_copy, "grants", "--check")[0] == 1
    assert access(capsys, project_copy, "grants")[0] == 0
    assert path.read_text() == generated
    assert access(capsys, project_copy, "grants", "--check")[0] == 0
