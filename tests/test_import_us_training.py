"""The US training-report importer on synthetic report files with every pitfall."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement_index import InputError, load_framework, validate
from engagement_index.cli.main import main
from engagement_index.importers.derived import write_derived
from engagement_index.importers.us_training import fiscal_year, import_us_training, quantity

from .conftest import ROOT, header_only, only_declared_years_missing, snapshot, swap

# The synthetic report files are committed with a `.synthetic` suffix, so that they are
# never mistaken for raw report files; the tests read copies under their real names.
_COPIES = tempfile.TemporaryDirectory(prefix="fmtrpt-fixtures-")
FIXTURES = Path(_COPIES.name)
for _synthetic in (ROOT / "tests" / "fixtures" / "fmtrpt").glob("*.synthetic"):
    shutil.copy(_synthetic, FIXTURES / _synthetic.name.removesuffix(".synthetic"))
FILES = sorted(FIXTURES.glob("*_Western_Hemisphere_fmtrpt.tsv"))
FY2018 = "2018_2019_Western_Hemisphere_fmtrpt.tsv"
XML2018 = FIXTURES / "2018_2019_Western_Hemisphere_fmtrpt_dedup.xml"
XML2019 = FIXTURES / "2019_2020_Western_Hemisphere_fmtrpt_dedup.xml"
INDICATORS = ("mil_exchange_participants", "mil_students", "police_trainees", "us_all_trainees")
LOWER = "without a quantity in the machine-readable edition: the value is a lower bound"

# Worked by hand from the fixtures: (country, indicator, fiscal year) -> (value, status, note)
# for every row that is not a zero_listed 0.
EXPECTED = {
    # FY2018: IMET-1 3 + 2, IMET-X 4 (Program Totals rows not counted), CTFP fellowship 6
    ("ARG", "mil_students", 2018): ("15", "reported", "4 course rows"),
    ("ARG", "us_all_trainees", 2018): ("15", "reported", "4 course rows"),
    # 'International Military Education and Training (IMET)'; INCLE quantity '1,200'
    ("COL", "mil_students", 2018): ("2", "reported", "1 course row"),
    ("COL", "police_trainees", 2018): ("1200", "reported", "1 course row"),
    ("COL", "us_all_trainees", 2018): ("1202", "reported", "2 course rows"),
    ("KNA", "us_all_trainees", 2018): ("1", "reported", "1 course row"),  # 'St Kitts & Nevis'
    ("TTO", "police_trainees", 2018): ("5", "reported", "1 course row"),  # 'Trinidad -Tobago'
    ("TTO", "us_all_trainees", 2018): ("5", "reported", "1 course row"),
    ("BLZ", "mil_students", 2018): ("1", "reported", "1 course row"),  # 'Belize (UK)', IMET-D&R
    ("BLZ", "us_all_trainees", 2018): ("1", "reported", "1 course row"),
    # FY2006 ('cost' header): 'Bolivia INC' is Bolivia
    ("BOL", "mil_students", 2006): ("4", "reported", "1 course row"),
    ("BOL", "police_trainees", 2006): ("7", "reported", "1 course row"),
    ("BOL", "us_all_trainees", 2006): ("11", "reported", "2 course rows"),
    # blank quantity -> lower bound; '1 39529-7099' (spilt location text) -> 1
    ("PER", "mil_students", 2006): ("10", "at_least", f"2 course rows, 1 {LOWER}"),
    ("PER", "us_all_trainees", 2006): ("11", "at_least", f"3 course rows, 1 {LOWER}"),
    ("ATG", "mil_students", 2006): ("2", "reported", "1 course row"),
    ("ATG", "us_all_trainees", 2006): ("2", "reported", "1 course row"),
    ("VCT", "mil_students", 2006): ("1", "reported", "1 course row"),
    ("VCT", "us_all_trainees", 2006): ("1", "reported", "1 course row"),
    # a quantity that is only a ZIP code gives no quantity
    ("MEX", "us_all_trainees", 2006): ("4", "at_least", f"2 course rows, 1 {LOWER}"),
    # a stated 0 is reported, not zero_listed
    ("GTM", "us_all_trainees", 2006): ("0", "reported", "1 course row"),
    # FY2004: older programme names; '150 Tres Esquinas' -> 150; IMET 10 + CT fellowship 3
    ("ARG", "mil_students", 2004): ("13", "reported", "2 course rows"),
    ("ARG", "us_all_trainees", 2004): ("13", "reported", "2 course rows"),
    ("MEX", "police_trainees", 2004): ("53", "reported", "1 course row"),
    ("MEX", "us_all_trainees", 2004): ("53", "reported", "1 course row"),
    ("TTO", "mil_students", 2004): ("2", "reported", "1 course row"),  # 'Trinidad - Tobago'
    ("TTO", "us_all_trainees", 2004): ("2", "reported", "1 course row"),
    ("PER", "us_all_trainees", 2004): ("150", "reported", "1 course row"),
    ("COL", "police_trainees", 2004): ("1020", "reported", "1 course row"),
    ("COL", "us_all_trainees", 2004): ("1032", "reported", "2 course rows"),
    ("CHL", "mil_students", 2004): ("1", "reported", "1 course row"),  # Service Academies
    ("CHL", "us_all_trainees", 2004): ("1", "reported", "1 course row"),
    ("MEX", "mil_students", 2006): ("4", "reported", "1 course row"),  # CTFP fellowship
}
# Haiti FY2006: its only course (Regional Centers) gives no quantity -> no row (unknown).
UNKNOWN = {("HTI", "us_all_trainees", 2006), ("HTI", "mil_exchange_participants", 2006)}


@pytest.fixture(scope="module")
def rows(fw) -> dict[tuple[str, str, int], dict[str, str]]:
    result = import_us_training(FILES, fw)
    return {(r["country"], r["indicator"], int(r["period"])): r for r in result.rows}


def test_every_row_as_computed_by_hand(rows):
    got = {
        k: (r["value"], r["status"], r["note"])
        for k, r in rows.items()
        if r["status"] != "zero_listed"
    }
    assert got == EXPECTED


def test_every_other_country_of_a_year_present_is_zero_listed(fw, rows):
    expected = (
        {(c, i, y) for c in fw.countries for i in INDICATORS for y in (2004, 2006, 2018)}
        - set(EXPECTED)
        - UNKNOWN
    )
    zeros = {k for k, r in rows.items() if r["status"] == "zero_listed"}
    assert zeros == expected
    assert all(rows[k]["value"] == "0" for k in zeros)


def test_a_fiscal_year_not_in_the_input_stays_missing(rows):
    assert {y for _, _, y in rows} == {2004, 2006, 2018}


def test_rows_carry_provenance(rows):
    r = rows[("ARG", "mil_students", 2018)]
    assert r["id"] == "us-fmtr-ARG-USA-mil_students-2018"
    assert (r["actor"], r["unit"], r["source"]) == ("USA", "persons", "us-fmtr")
    assert r["file"] == FY2018
    assert r["version"] == "FMT_Volume-I_FY2018_2019"
    assert rows[("BOL", "mil_students", 2006)]["version"] == "92089.htm"
    assert "IMET" in r["rule"] and "Program Totals" in r["rule"]


def test_summary_reports_totals_check_skips_and_quirks(fw):
    result = import_us_training(FILES, fw)
    assert result.skipped == {
        "Turks and Caicos": 2,
        "Netherlands Antilles": 1,
        "Sint Maarten": 1,
        "Cayman Islands (UK)": 1,
    }
    text = result.summary(Path("out.csv"))
    assert "fiscal years read: FY2004, FY2006, FY2018" in text
    assert "course rows with no quantity (counted as lower bounds): 3 (FY2006 3)" in text
    assert "quantities read from a cell with spilt location text: 2" in text
    assert "Program Totals check: 9 blocks checked, 1 do not add up" in text
    assert (
        f"{FY2018}:8 Argentina / CTFP - Fiscal Year 2018 Department of Defense Training: "
        "courses add up to 6, Program Totals row says 7"
    ) in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", (12, False)),
        (" 1,200 ", (1200, False)),
        ("", (None, False)),
        ("39529-7099", (None, False)),
        ("1 39529-7099", (1, True)),
        ("150 Tres Esquinas", (150, True)),
    ],
)
def test_quantity_cells(text, expected):
    assert quantity(Path("f.tsv"), 2, text) == expected


@pytest.mark.parametrize("text", ["twelve", "12a", "1.5", "-3", "1,2", "12,0000", "n/a"])
def test_quantity_that_is_not_a_number_is_an_error(text):
    with pytest.raises(InputError) as caught:
        quantity(Path("f.tsv"), 7, text)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("f.tsv", 7, "quantity")


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("2018_2019_Western_Hemisphere_fmtrpt.tsv", 2018),
        ("2001_2002_Western_Hemisphere_fmtrpt.tsv", 2001),
    ],
)
def test_fiscal_year_is_the_first_number_of_the_name(name, year):
    assert fiscal_year(Path(name)) == year


@pytest.mark.parametrize(
    "name",
    [
        "2018_2020_Western_Hemisphere_fmtrpt.tsv",
        "FY2018_Western_Hemisphere_fmtrpt.tsv",
        "2018_2019_Africa_fmtrpt.tsv",
        "2018_2019_Western_Hemisphere_fmtrpt.csv",
    ],
)
def test_unexpected_file_name_is_an_error(name):
    with pytest.raises(InputError, match="unexpected file name"):
        fiscal_year(Path(name))


def test_reimport_is_byte_identical(fw, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_derived(import_us_training(FILES, fw), first)
    write_derived(import_us_training(list(reversed(FILES)), fw), second)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.slow
def test_imported_rows_pass_validate(project):
    assert main(["--root", str(project), "import", "us-training", *map(str, FILES)]) == 0
    report = validate(project)
    assert report.problems, "the fixture covers fewer years than the registry declares"
    assert only_declared_years_missing(report, "us-fmtr"), "\n".join(map(str, report.problems))
    assert (report.ledger["source"] == "us-fmtr").sum() == 3 * 33 * 4 - len(UNKNOWN)


# --- bad input: each a clear error naming file, line and field; nothing written ----------


def _cut_last_row(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:-1]) + "\t".join(lines[-1].split("\t")[:8]) + "\n"


# (name, mutation of the FY2018 file's text, line, field)
BAD = [
    ("empty file", lambda text: "", None, None),
    ("truncated row", _cut_last_row, 20, "quantity"),
    ("no data rows", header_only, 2, None),
    ("changed header", swap("\tquantity\t", "\tqty\t"), 1, "quantity"),
    ("missing column", swap("\tlocation\tquantity", "\tquantity"), 1, "location"),
    ("non-numeric quantity", swap("\t3\t$12,739 ", "\tthree\t$12,739 "), 2, "quantity"),
    ("unknown country", swap("Colombia\tINCLE", "Columbiaa\tINCLE"), 9, "country"),
    ("not UTF-8", lambda text: text.replace("Aérea", "A\udce9rea", 1), 2, None),
]


@pytest.mark.parametrize(("name", "mutate", "line", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_line_field_and_writes_nothing(
    project, capsys, name, mutate, line, field
):
    raw = project / "raw" / FY2018
    raw.parent.mkdir()
    text = (FIXTURES / FY2018).read_text(encoding="utf-8")
    raw.write_bytes(mutate(text).encode("utf-8", errors="surrogateescape"))
    with pytest.raises(InputError) as caught:
        import_us_training([FILES[0], raw], load_framework(project))
    [problem] = caught.value.problems
    assert problem.file == str(raw)
    assert (problem.line, problem.field) == (line, field)
    assert problem.message

    before = snapshot(project)
    assert main(["--root", str(project), "import", "us-training", str(FILES[0]), str(raw)]) == 2
    assert f"error: {problem}" in capsys.readouterr().err
    assert snapshot(project) == before


def test_unexpected_file_name_and_repeated_year_write_nothing(project, capsys, tmp_path):
    renamed = tmp_path / "western_hemisphere_2018.tsv"
    shutil.copy(FIXTURES / FY2018, renamed)
    again = tmp_path / "copy" / FY2018
    again.parent.mkdir()
    shutil.copy(FIXTURES / FY2018, again)
    before = snapshot(project)
    for paths in ([renamed], [FIXTURES / FY2018, again]):
        assert main(["--root", str(project), "import", "us-training", *map(str, paths)]) == 2
        err = capsys.readouterr().err
        assert "unexpected file name" in err or "fiscal year 2018 is also given by" in err
    assert snapshot(project) == before


@pytest.mark.slow
def test_cli_as_a_subprocess(project):
    command = [sys.executable, "-m", "engagement_index.cli", "--root", str(project), "import"]
    done = subprocess.run(
        [*command, "us-training", *map(str, FILES)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "us-fmtr: wrote 394 rows to indicators/derived/us-fmtr.csv" in done.stdout
    assert "Program Totals check: 9 blocks checked, 1 do not add up" in done.stdout
    assert "Turks and Caicos (2)" in done.stdout


@settings(max_examples=80, deadline=None)
@given(cell=st.integers(0, 10), junk=st.text(max_size=30))
def test_junk_in_any_cell_gives_input_error_or_rows(fw, tmp_path_factory, cell, junk):
    raw = tmp_path_factory.mktemp("fuzz") / FY2018
    lines = (FIXTURES / FY2018).read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[3].rstrip("\n").split("\t")
    fields[cell] = junk
    lines[3] = "\t".join(fields) + "\n"
    raw.write_text("".join(lines), encoding="utf-8", errors="replace")
    try:
        result = import_us_training([raw], fw)
    except InputError as exc:
        assert all(p.file == str(raw) for p in exc.problems)
    else:
        assert all(r["id"].startswith("us-fmtr-") for r in result.rows)
