"""The check's cache (target/mesh-check-cache/): hits, invalidation on any change, and no harm when damaged."""

import json
import os
import time

import msgspec
import pytest
from fixture_manifests import manifest, model

from mesh_platform.check import manifest_cache
from mesh_platform.check.cache_file import CACHE_DIR, read_cache, write_cache
from mesh_platform.check.cache_key import key_path
from mesh_platform.check.facts import extract
from mesh_platform.check.manifest_cache import cached_facts, file_stamp, read_facts
from mesh_platform.check.relation_cache import FILE as RELATIONS
from mesh_platform.check.relation_cache import RelationCache, sql_key
from mesh_platform.cli import main

SQL = ["select * from main.some_table", 'select * from "db"."ops"."b" join raw.x using (id)']
READ = [{"main.some_table"}, {"ops.b", "raw.x"}]
HARDCODED = 'select * from "db"."ops"."b"'  # a model of ops read by name, not through ref()


def write_manifest(folder, sql: str = HARDCODED):
    data = manifest(model("a", "sales", compiled_code=sql), model("b", "ops", access="public"))
    path = folder / "manifest.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def settled(monkeypatch):
    """Facts are stored from manifests still for 50 ms (not 2 s), so tests need not wait long."""
    monkeypatch.setattr(manifest_cache, "SETTLE_NS", 50_000_000)

    def wait():
        time.sleep(0.1)

    return wait


def check_report(path, capsys) -> dict:
    main(["check", "--manifest", str(path), "--format", "json"])
    return json.loads(capsys.readouterr().out)


def acc002(report: dict) -> list[str]:
    return [finding["related"] for finding in report["findings"] if finding["rule"] == "ACC002"]


def tables_read(cache: RelationCache, sqls: list[str], dialect: str = "duckdb") -> list[set[str]]:
    keyed = {sql_key(dialect, sql): sql for sql in sqls}
    read = cache.tables_read(keyed, dialect)
    return [read[key] for key in keyed]


def test_relations_are_parsed_once_then_read_from_the_cache(tmp_path):
    first = RelationCache(tmp_path)
    assert tables_read(first, SQL) == READ
    assert (first.hits, first.misses) == (0, 2)
    again = RelationCache(tmp_path)
    assert tables_read(again, SQL) == READ
    assert (again.hits, again.misses) == (2, 0)


def test_a_changed_statement_or_dialect_is_parsed_afresh(tmp_path):
    tables_read(RelationCache(tmp_path), SQL)
    cache = RelationCache(tmp_path)
    assert tables_read(cache, [SQL[0], "select * from main.other_table"]) == [READ[0], {"main.other_table"}]
    assert (cache.hits, cache.misses) == (1, 1)
    tables_read(cache, SQL[:1], "postgres")
    assert (cache.hits, cache.misses) == (0, 1)


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # truncated
    lambda data: data[:-3] + bytes(b ^ 0xFF for b in data[-3:]),  # flipped bytes
    lambda data: b"not a cache at all",
    lambda data: b"",
])
def test_a_damaged_relations_file_is_ignored_and_rewritten(tmp_path, damage):
    tables_read(RelationCache(tmp_path), SQL)
    path = tmp_path / RELATIONS
    path.write_bytes(damage(path.read_bytes()))
    cache = RelationCache(tmp_path)
    assert tables_read(cache, SQL) == READ
    assert cache.misses == 2
    rebuilt = RelationCache(tmp_path)
    tables_read(rebuilt, SQL)
    assert rebuilt.misses == 0


def test_a_cache_file_stamped_by_other_code_is_not_read(tmp_path):
    write_cache(tmp_path / "x.msgpack", b"parser 1", b"payload")
    assert bytes(read_cache(tmp_path / "x.msgpack", b"parser 1")) == b"payload"
    assert read_cache(tmp_path / "x.msgpack", b"parser 2") is None
    assert read_cache(tmp_path / "missing.msgpack", b"parser 1") is None


def test_facts_are_stored_for_a_settled_manifest_and_read_back(tmp_path, settled):
    path = write_manifest(tmp_path)
    settled()
    facts = read_facts(path, tmp_path / CACHE_DIR)
    assert facts == extract(json.loads(path.read_text()))
    assert cached_facts(path, tmp_path / CACHE_DIR) == facts


def test_a_manifest_written_just_now_is_not_cached(tmp_path):
    """Another write within one tick of the file system's clock would keep the same times: wait for SETTLE_NS."""
    path = write_manifest(tmp_path)
    read_facts(path, tmp_path / CACHE_DIR)
    assert cached_facts(path, tmp_path / CACHE_DIR) is None


def test_a_rewritten_manifest_is_read_afresh_even_at_the_same_size(tmp_path, settled, capsys):
    path = write_manifest(tmp_path)
    settled()
    assert acc002(check_report(path, capsys)) == ["ops.b"]
    assert acc002(check_report(path, capsys)) == ["ops.b"]  # from the cache
    assert cached_facts(path, tmp_path / CACHE_DIR) is not None
    size = path.stat().st_size
    write_manifest(tmp_path, HARDCODED.replace('"b"', '"c"'))
    assert path.stat().st_size == size
    assert cached_facts(path, tmp_path / CACHE_DIR) is None
    assert acc002(check_report(path, capsys)) == ["ops.c"]


def test_warm_and_cold_reports_are_the_same(tmp_path, settled, capsys):
    path = write_manifest(tmp_path)
    settled()
    cold = check_report(path, capsys)
    assert (tmp_path / CACHE_DIR / manifest_cache.FILE).is_file() and (tmp_path / CACHE_DIR / RELATIONS).is_file()
    assert check_report(path, capsys) == cold


@pytest.mark.parametrize("damage", [lambda data: data[:100], lambda data: data[:-1] + b"\x00", lambda data: b"x"])
def test_a_damaged_facts_file_is_ignored_and_rebuilt(tmp_path, settled, capsys, damage):
    path = write_manifest(tmp_path)
    settled()
    cold = check_report(path, capsys)
    facts_file = tmp_path / CACHE_DIR / manifest_cache.FILE
    facts_file.write_bytes(damage(facts_file.read_bytes()))
    assert cached_facts(path, tmp_path / CACHE_DIR) is None
    assert check_report(path, capsys) == cold
    assert cached_facts(path, tmp_path / CACHE_DIR) is not None  # rebuilt


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, settled, capsys):
    path = write_manifest(tmp_path)
    (tmp_path / CACHE_DIR).write_text("a file where the cache folder would be")
    settled()
    assert acc002(check_report(path, capsys)) == ["ops.b"]


def test_a_manifest_whose_facts_msgpack_cannot_hold_is_checked_uncached(tmp_path, settled, capsys):
    huge = model("b", "ops", access="public")
    huge["config"]["meta"] = {"sla": {"max_staleness_hours": 2 ** 70}}  # JSON allows it; msgpack does not
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest(model("a", "sales", compiled_code=HARDCODED), huge)))
    settled()
    assert acc002(check_report(path, capsys)) == ["ops.b"]
    assert cached_facts(path, tmp_path / CACHE_DIR) is None


def test_an_entry_rewritten_to_hide_a_violation_is_not_trusted(tmp_path, settled, capsys, monkeypatch):
    path = write_manifest(tmp_path)
    settled()
    assert acc002(check_report(path, capsys)) == ["ops.b"]  # computed, and cached under this user's key
    (tmp_path / "clean").mkdir()
    clean = read_facts(write_manifest(tmp_path / "clean", "select 1 as x"), tmp_path / "clean" / CACHE_DIR)
    # whoever can write the folder forges an entry for this very manifest: facts without the violation, stamped
    # right and sealed, but with a key of their own
    mine = os.environ["XDG_CACHE_HOME"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    forged = msgspec.msgpack.encode(clean)
    write_cache(tmp_path / CACHE_DIR / manifest_cache.FILE, file_stamp(path, path.stat()), forged)
    assert cached_facts(path, tmp_path / CACHE_DIR) == clean  # a good forgery: its maker would read it back
    monkeypatch.setenv("XDG_CACHE_HOME", mine)
    assert cached_facts(path, tmp_path / CACHE_DIR) is None
    assert acc002(check_report(path, capsys)) == ["ops.b"]
    assert cached_facts(path, tmp_path / CACHE_DIR) is not None  # recomputed and sealed afresh


def test_the_key_is_made_private_and_a_key_others_may_read_seals_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    write_cache(tmp_path / "x.msgpack", b"parser 1", b"payload")
    assert key_path() == tmp_path / "xdg" / "mesh" / "check-cache.key"
    assert key_path().stat().st_mode & 0o777 == 0o600 and key_path().stat().st_size == 32
    assert bytes(read_cache(tmp_path / "x.msgpack", b"parser 1")) == b"payload"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "shared"))
    key_path().parent.mkdir(parents=True)
    key_path().write_bytes(b"k" * 32)
    key_path().chmod(0o644)
    write_cache(tmp_path / "y.msgpack", b"parser 1", b"payload")
    assert not (tmp_path / "y.msgpack").exists()
    assert read_cache(tmp_path / "x.msgpack", b"parser 1") is None
