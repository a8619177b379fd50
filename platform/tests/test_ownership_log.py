"""The ownership log as a spreadsheet opens it: a cell that would run as a formula (CSV injection) is stored
with a single quote in front, and reading the log gives every text back exactly as typed."""

import csv

import pytest

from mesh_platform.ownership_log import LOG_FILE, OwnershipChange, read_log, with_changes

FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]
PLAIN = ["payments owns the checkout", "it's 'quoted'", "a - b", "'already quoted", "''=x"]


def logged(tmp_path, reasons: list[str]) -> list[list[str]]:
    changes = [OwnershipChange("2026-11-23", "stg_payments", "stg_payments", "legacy", "payments", 12, reason)
               for reason in reasons]
    (tmp_path / LOG_FILE).write_text(with_changes(tmp_path, changes), encoding="utf-8")
    with (tmp_path / LOG_FILE).open(newline="", encoding="utf-8") as file:
        return list(csv.reader(file))[1:]


@pytest.mark.parametrize("reason", FORMULAS)
def test_a_formula_is_stored_as_text_and_read_back_as_typed(tmp_path, reason):
    rows = logged(tmp_path, [reason])
    assert rows[0][-1] == "'" + reason  # what a spreadsheet sees: text, not a formula
    assert [change.reason for change in read_log(tmp_path)] == [reason]


@pytest.mark.parametrize("reason", PLAIN)
def test_other_text_is_stored_as_it_is_and_read_back_as_typed(tmp_path, reason):
    rows = logged(tmp_path, [reason])
    assert rows[0][-1] == (reason if not reason.startswith("'") else "'" + reason)
    assert not rows[0][-1].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert [change.reason for change in read_log(tmp_path)] == [reason]


def test_every_text_cell_is_neutralised_not_only_the_reason(tmp_path):
    change = OwnershipChange("2026-11-23", "=model", "+new", "-from", "@to", 3, "why")
    (tmp_path / LOG_FILE).write_text(with_changes(tmp_path, [change]), encoding="utf-8")
    stored = (tmp_path / LOG_FILE).read_text().splitlines()[1]
    assert stored == "2026-11-23,'=model,'+new,'-from,'@to,3,why"
    assert read_log(tmp_path) == [change]


def test_rows_appended_later_keep_the_earlier_ones_byte_for_byte(tmp_path):
    first = OwnershipChange("2026-11-23", "a", "a", "legacy", "payments", 1, "\r=1 with a return\r inside")
    second = OwnershipChange("2026-11-24", "b", "b", "legacy", "payments", 2, "-1 later")
    (tmp_path / LOG_FILE).write_text(with_changes(tmp_path, [first]), encoding="utf-8", newline="")
    before = (tmp_path / LOG_FILE).read_bytes()
    (tmp_path / LOG_FILE).write_text(with_changes(tmp_path, [second]), encoding="utf-8", newline="")
    assert (tmp_path / LOG_FILE).read_bytes().startswith(before)
    assert read_log(tmp_path) == [first, second]
