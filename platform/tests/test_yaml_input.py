"""YAML users write or import: bounded, no aliases, malformed dates kept as text, typed with one-line errors."""

import datetime as dt

import msgspec
import pytest

from mesh_platform.errors import MeshError
from mesh_platform.yaml_input import MAX_BYTES, parse_yaml, read_yaml, typed

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b]\n"


class Entry(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    size: int = 0


class Settings(msgspec.Struct, forbid_unknown_fields=True):
    entries: list[Entry] = []
    owner: str | None = None


def test_plain_yaml_reads_as_data_with_real_dates():
    assert parse_yaml("when: 2027-06-30\nwhat: [1, two]\n", "x.yml") == {"when": dt.date(2027, 6, 30),
                                                                         "what": [1, "two"]}


def test_an_alias_bomb_is_refused_at_once_in_one_line():
    with pytest.raises(MeshError, match=r"^x.yml line 2: not valid YAML \(aliases \(\*name\) are not allowed"):
        parse_yaml(BOMB, "x.yml")


def test_a_date_that_is_no_date_stays_text():
    assert parse_yaml("expires: 2027-13-45\n", "x.yml") == {"expires": "2027-13-45"}


def test_an_oversize_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yml"
    big.write_text("x: " + "y" * (MAX_BYTES + 1))
    with pytest.raises(MeshError, match="big.yml is over 2 MB"):
        read_yaml(big, "big.yml")
    with pytest.raises(MeshError, match="none.yml: no such file"):
        read_yaml(tmp_path / "none.yml", "none.yml")


@pytest.mark.parametrize("data, message", [
    ({"entries": [{"name": "a", "colour": 1}]}, "s.yml entries[0]: unknown key colour (known: name, size)"),
    ({"entries": [{"size": 1}]}, "s.yml entries[0]: missing name"),
    ({"entries": {"name": "a"}}, "s.yml entries: expected a list, got a mapping"),
    ({"owner": 3}, "s.yml owner: expected text, got a whole number"),
    ({"ownr": "x"}, "s.yml: unknown key ownr (known: entries, owner)"),
])
def test_typed_mistakes_name_their_place_in_one_line(data, message):
    with pytest.raises(MeshError) as caught:
        typed(data, Settings, "s.yml")
    assert str(caught.value) == message


def test_typed_data_converts():
    assert typed({"entries": [{"name": "a", "size": "3"}]}, Settings, "s.yml") == Settings([Entry("a", 3)])
