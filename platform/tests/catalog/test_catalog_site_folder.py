"""`mesh catalog --output DIR` replaces or removes only folders it wrote: DIR, DIR.partial and DIR.old."""

from __future__ import annotations

import pytest
from small_catalog import small_catalog

from mesh_platform.catalog.site import write_site
from mesh_platform.catalog.site_folder import MARKER, is_catalog
from mesh_platform.errors import MeshError


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    return small_catalog(tmp_path_factory.mktemp("small") / "mesh")


def tree(folder) -> dict[str, str]:
    return {str(path.relative_to(folder)): path.read_text() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("suffix", [".partial", ".old"])
def test_a_folder_beside_the_output_that_the_catalog_did_not_write_is_refused_and_kept(catalog, tmp_path, suffix):
    output = tmp_path / "site"
    write_site(catalog, {}, output)
    before = tree(output)
    mine = tmp_path / f"site{suffix}"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(MeshError) as refused:
        write_site(catalog, {}, output)
    assert str(refused.value) == (f"{mine} exists and was not written by `mesh catalog`; move it away or choose "
                                  f"another --output")
    assert tree(mine) == {"notes.txt": "mine"} and tree(output) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(["site", f"site{suffix}"])


def test_the_catalogs_own_leftovers_of_an_interrupted_run_are_replaced(catalog, tmp_path):
    output = tmp_path / "site"
    write_site(catalog, {}, output)
    for suffix in (".partial", ".old"):  # as a run killed between its steps leaves them
        leftover = tmp_path / f"site{suffix}"
        leftover.mkdir()
        (leftover / MARKER).write_text((output / MARKER).read_text())
        (leftover / "index.html").write_text("half")
    write_site(catalog, {}, output)
    assert [path.name for path in tmp_path.iterdir()] == ["site"]
    assert is_catalog(output) and "half" not in (output / "index.html").read_text()


def test_a_folder_that_is_not_a_catalog_is_never_overwritten(catalog, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(MeshError, match="is not a catalog written by `mesh catalog`; choose another --output"):
        write_site(catalog, {}, tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    write_site(catalog, {}, empty)  # an empty folder is fine
    assert is_catalog(empty) and (empty / "index.html").is_file()
