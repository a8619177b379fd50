"""mask_pii's key: an HMAC the public cannot reverse, a key that never lands in SQL, artifacts or logs, and no
build without a usable key outside the demo target."""

import hashlib
import hmac
import os
import stat

import pytest
from conftest import query

from mesh_platform.cli import main
from mesh_platform.errors import MeshError
from mesh_platform.masking import KEY_VARIABLE
from mesh_platform.masking.key import mask, masking_key

KEY = "k3y-that-must-never-leak-7f1c2e9a"


def test_the_mask_is_an_hmac_of_the_normalised_value():
    assert mask(b"k" * 20, " Ann@Example.COM ") == hmac.new(b"k" * 20, b"ann@example.com", hashlib.sha256).hexdigest()
    assert mask(b"k" * 20, None) is None
    assert mask(b"k" * 20, "a") != hashlib.sha256(b"a").hexdigest()  # not a plain hash anyone can recompute


@pytest.mark.parametrize("value, message", [("", "is empty"), ("   ", "is empty"), ("short", "is too short")])
def test_an_empty_or_short_key_is_refused(monkeypatch, value, message):
    monkeypatch.setenv(KEY_VARIABLE, value)
    with pytest.raises(MeshError, match=message):
        masking_key("/tmp/never-used")


def test_without_a_key_only_the_demo_target_makes_one_of_its_own(monkeypatch, tmp_path):
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    with pytest.raises(MeshError, match=f"no masking key: set {KEY_VARIABLE}"):
        masking_key(None)
    path = tmp_path / "mesh.duckdb.pii-key"
    first = masking_key(str(path))
    assert len(first) == 64 and masking_key(str(path)) == first  # made once, then read back
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.integration
def test_a_target_that_is_not_the_demo_one_does_not_build_without_a_key(project_copy, monkeypatch, capsys):
    profiles = project_copy / "profiles.yml"
    profiles.write_text(profiles.read_text().replace("demo_key_file:", "not_a_demo_key_file:"))
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    assert main(["build", "--quiet", "--project-dir", str(project_copy)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mesh: no masking key: set {KEY_VARIABLE}") and err.count("\n") == 1
    assert not (project_copy / "warehouse" / "mesh.duckdb").exists()  # stopped before anything ran


@pytest.mark.integration
def test_the_key_is_in_no_artifact_log_or_report(built_copy, monkeypatch, capsys):
    monkeypatch.setenv(KEY_VARIABLE, KEY)
    assert main(["nightly", "--quiet", "--project-dir", str(built_copy)]) in (0, 1)
    capsys.readouterr()
    hashed = query(built_copy, "select email_hash from merchants.merchants_v1 where email_hash is not null limit 1")
    email = query(built_copy, "select email from merchants.stg_crm__merchants "
                              "order by merchant_id limit 1")[0][0]
    assert hashed and len(hashed[0][0]) == 64
    leaked = []
    for folder in ("target", "logs"):
        for path in (built_copy / folder).rglob("*"):
            if path.is_file() and KEY.encode() in path.read_bytes():
                leaked.append(str(path.relative_to(built_copy)))
    assert leaked == []
    assert any((built_copy / "target" / "nightly").iterdir())  # the nightly's run folder was searched too
    assert mask(KEY.encode(), email) in {row[0] for row in query(built_copy, "select email_hash from "
                                                                  "merchants.merchants_v1")}
    assert os.environ[KEY_VARIABLE] == KEY
