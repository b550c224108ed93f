"""One broken ledger file gives its own problems, with file and line, and the other files
are still checked: ``engagement validate`` exits 1 with the problems, no traceback."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement_index.cli.main import main
from engagement_index.io.errors import InputError
from engagement_index.io.readers import MAX_FIELD, read_csv_collect, read_csv_records

BROKEN = "indicators/evidence/aq-gsi.csv"
OTHER = "indicators/evidence/kashin2024.csv"
LONG_ROW = (
    'aq-gsi-999,ECU,CHN,police_equipment,2023,1,items,reported,aq-gsi,"'
    + "x" * 200_000
    + '",note\n'
)


def _lines(text: str, line: int, edit) -> str:
    lines = text.split("\n")
    lines[line - 1] = edit(lines[line - 1])
    return "\n".join(lines)


def _column(text: str, edit) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(edit(row) for row in rows)
    return out.getvalue()


CASES = {
    "empty": (lambda t: "", "file is empty", None),
    "bom": (lambda t: "\ufeff" + t, "byte-order mark", 1),
    "latin-1": (lambda t: _lines(t, 3, lambda s: s + "\udce9"), "is not valid utf-8", 3),
    "missing column": (lambda t: _column(t, lambda r: r[:-1]), "missing column(s) note", 1),
    "ragged row": (lambda t: _lines(t, 3, lambda s: s + ",x"), "row has 12 fields", 3),
    "duplicate column": (
        lambda t: _column(t, lambda r: [*r, r[0]]),
        "column 'id' appears twice",
        1,
    ),
    "200,000 characters": (lambda t: t + LONG_ROW, "field larger than field limit", None),
    "extra column": (lambda t: _column(t, lambda r: [*r, "x"]), "unknown column(s) x", 1),
    "NUL byte": (lambda t: _lines(t, 3, lambda s: s.replace(",", ",\x00", 1)), "NUL", 3),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_file_is_reported_and_the_others_still_checked(project, capsys, case):
    mutate, message, line = CASES[case]
    path = project / BROKEN
    text = mutate(path.read_text(encoding="utf-8"))
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    other = project / OTHER  # a second, independent problem that must still be found
    other.write_text(
        _lines(other.read_text(encoding="utf-8"), 2, lambda s: s.replace(",LAC,", ",XXX,", 1)),
        encoding="utf-8",
    )
    assert main(["--root", str(project), "validate"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    mine = [e for e in err.splitlines() if e.startswith(str(path))]
    assert mine and message in mine[0], err
    if line is not None:
        assert mine[0].startswith(f"{path}:{line}")
    assert f"{project / OTHER}:2 [country]: unknown country or region 'XXX'" in err
    assert "ledger:" in out  # the rows that loaded are summarised


def test_conflict_check_is_skipped_with_a_note(project, capsys):
    path = project / BROKEN
    path.write_text(_lines(path.read_text(encoding="utf-8"), 2, lambda s: s + ",x"), "utf-8")
    assert main(["--root", str(project), "validate"]) == 1
    err = capsys.readouterr().err
    assert "note: conflict groups (conflicts.yaml) not checked" in err
    assert "KeyError" not in err


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a,b\n1,2,3\n4,5\n", "row has 3 fields", 2),
        ("a,b\n1,2\n3," + "y" * (MAX_FIELD + 1) + "\n", "at most 100,000", 3),
        ("a,a\n1,2\n", "appears twice", 1),
        ("\ufeffa,b\n1,2\n", "byte-order mark", 1),
    ],
)
def test_reader_collects_problems_and_keeps_good_rows(tmp_path, text, message, line):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    records, problems = read_csv_collect(path, ["a"])
    assert len(problems) == 1 and message in problems[0].message and problems[0].line == line
    if line > 1:
        assert [n for n, _ in records] == [n for n in (2, 3) if n != line]
    with pytest.raises(InputError, match=r"t\.csv"):
        read_csv_records(path, ["a"])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_records_or_problems_never_an_exception(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    records, problems = read_csv_collect(path, ["a"])
    assert all(p.file == str(path) and p.message for p in problems)
    assert all(set(rec) >= {"a"} for _, rec in records)


CELL = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=20)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(CELL, CELL), max_size=8))
def test_well_formed_rows_round_trip(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows([("a", "b"), *rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    records, problems = read_csv_collect(path, ["a", "b"], exact=True)
    kept = [r for r in rows if any(c.strip() for c in r)]  # blank rows are skipped
    assert not problems
    assert [(rec["a"], rec["b"]) for _, rec in records] == kept
