"""The US training report's XML edition, the two-edition check and the programme table."""

from __future__ import annotations

import pytest

from engagement_index import InputError, load_framework
from engagement_index.cli.main import main
from engagement_index.importers.derived import write_derived
from engagement_index.importers.programmes import Programmes, programme_name
from engagement_index.importers.us_training import import_us_training

from .conftest import snapshot, swap
from .test_import_us_training import FILES, FIXTURES, INDICATORS, XML2018, XML2019

TSV2018 = FIXTURES / "2018_2019_Western_Hemisphere_fmtrpt.tsv"
LOWER = "without a quantity in the machine-readable edition: the value is a lower bound"

# Worked by hand from the FY2019 XML fixture: every row that is not a zero_listed 0.
EXPECTED_2019 = {
    # IMET-1 2 + PME 1 (military education); Exchange 3 (military diplomacy)
    ("ARG", "mil_students"): ("3", "reported", "2 course rows"),
    ("ARG", "mil_exchange_participants"): ("3", "reported", "1 course row"),
    ("ARG", "us_all_trainees"): ("6", "reported", "3 course rows"),
    # 'St Kitts &amp; Nevis'; DOHS/USCG is law enforcement
    ("KNA", "police_trainees"): ("2", "reported", "1 course row"),
    ("KNA", "us_all_trainees"): ("2", "reported", "1 course row"),
    # 'St Vincent and Grenadines'; Regional Centers; quantity '1,200 '
    ("VCT", "mil_exchange_participants"): ("1200", "reported", "1 course row"),
    ("VCT", "us_all_trainees"): ("1200", "reported", "1 course row"),
    # CTIWFP 4 + ALP 1; INCLE: a blank quantity and 7 -> a lower bound
    ("COL", "mil_students"): ("5", "reported", "2 course rows"),
    ("COL", "police_trainees"): ("7", "at_least", f"2 course rows, 1 {LOWER}"),
    ("COL", "us_all_trainees"): ("12", "at_least", f"4 course rows, 1 {LOWER}"),
}


def _rows(result) -> dict[tuple[str, str, int], dict[str, str]]:
    return {(r["country"], r["indicator"], int(r["period"])): r for r in result.rows}


def test_fy2019_xml_rows_as_computed_by_hand(fw):
    result = import_us_training([XML2019], fw)
    rows = _rows(result)
    got = {
        (c, i): (r["value"], r["status"], r["note"])
        for (c, i, _), r in rows.items()
        if r["status"] != "zero_listed"
    }
    assert got == EXPECTED_2019
    assert len(rows) == 33 * len(INDICATORS)  # Cuba, absent from the file, is zero_listed
    assert rows[("CUB", "mil_students", 2019)]["status"] == "zero_listed"
    assert rows[("ARG", "mil_students", 2019)]["file"] == XML2019.name
    assert result.skipped == {"Aruba": 2}
    text = result.summary(XML2019)
    assert "Program Totals check: 9 blocks checked, 2 do not add up" in text
    assert "Colombia / INCLE - Fiscal Year 2019" in text


def test_fy2018_in_both_editions_agrees_and_the_tsv_is_used(fw):
    tsv_only = import_us_training(FILES, fw)
    both = import_us_training([*FILES, XML2018, XML2019], fw)
    assert both.text().count("\n") == tsv_only.text().count("\n") + 33 * len(INDICATORS)
    fy2018 = {k: r for k, r in _rows(both).items() if k[2] == 2018}
    assert fy2018 == {k: r for k, r in _rows(tsv_only).items() if k[2] == 2018}
    assert both.skipped == {**tsv_only.skipped, "Aruba": 2}
    assert any("agree on all 9 country x programme totals" in n for n in both.notes)


def test_editions_that_disagree_stop_the_import_naming_both_files(project, capsys, tmp_path):
    bad = tmp_path / XML2018.name
    bad.write_text(
        XML2018.read_text().replace("<quantity>4 </quantity>", "<quantity>5 </quantity>")
    )
    with pytest.raises(InputError) as caught:
        import_us_training([TSV2018, bad], load_framework(project))
    [problem] = caught.value.problems
    assert "FY2018 editions disagree on ARG / IMET-X" in problem.message
    assert str(TSV2018) in problem.message and str(bad) in problem.message
    assert "4 trainees" in problem.message and "5 in" in problem.message
    before = snapshot(project)
    assert main(["--root", str(project), "import", "us-training", str(TSV2018), str(bad)]) == 2
    assert snapshot(project) == before


def test_reimport_is_byte_identical_whatever_the_order(fw, tmp_path):
    files = [*FILES, XML2018, XML2019]
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_derived(import_us_training(files, fw), first)
    write_derived(import_us_training(list(reversed(files)), fw), second)
    assert first.read_bytes() == second.read_bytes()


def test_two_files_of_one_edition_and_year_are_refused(fw, tmp_path):
    again = tmp_path / XML2019.name
    again.write_text(XML2019.read_text())
    with pytest.raises(InputError, match="fiscal year 2019 is also given"):
        import_us_training([XML2019, again], fw)


# --- the programme table ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "name", "year"),
    [
        ("IMET-1 - Fiscal Year 2019 Department of State Training", "IMET-1", 2019),
        ("INL - FY 2009 DoS Training", "INL", 2009),
        ("DOHS/USCG - FY 2007 DOHS Training", "DOHS/USCG", 2007),
        (
            "DOS Western Hemisphere Region, Trinidad - Tobago, International Military "
            "Education and Training (IMET),FY04",
            "International Military Education and Training (IMET)",
            None,
        ),
        (
            "Western Hemisphere Region, Colombia, Drug Interdiction and Counter-Drug "
            "Activities, Section 1004, FY03",
            "Drug Interdiction and Counter-Drug Activities, Section 1004",
            None,
        ),
    ],
)
def test_programme_names_are_taken_out_of_both_forms(cell, name, year):
    assert programme_name(cell) == (name, year)


def test_the_table_maps_the_new_programmes_with_an_argued_home(fw):
    table = Programmes(fw)
    homes = {
        "Exchange": "mil_exchange_participants",
        "Regional Centers": "mil_exchange_participants",
        "PME": "mil_students",
        "CTIWFP": "mil_students",
        "ALP": "mil_students",
        "DOHS/USCG": "police_trainees",
        "IMET-D&R": "mil_students",
        "INCLE": "police_trainees",
        "Section 333": "us_all_trainees",
    }
    for name, indicator in homes.items():
        assert (
            table.of(f"{name} - Fiscal Year 2019 Department of Defense Training", "f", 1, "p")
            == indicator
        )
    assert table.indicators() == list(INDICATORS)


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("indicator: mil_exchange_participants", "indicator: exchanges", "indicator", "unknown"),
        ("    - IMET-2\n", "    - IMET-2\n    - IMET-1\n", "programmes", "listed twice"),
        ("  reason: Peace", "  colour: red\n  reason: Peace", "colour", "Extra inputs"),
    ],
)
def test_a_bad_table_names_file_line_and_field(project, old, new, field, words):
    table = project / "indicators" / "us-training-programmes.yaml"
    text = table.read_text()
    assert old in text
    table.write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as caught:
        Programmes(load_framework(project))
    [problem] = caught.value.problems
    assert problem.file == str(table) and problem.line is not None
    assert problem.field == field and words in problem.message


# --- bad XML: one clear error naming file, line and element; nothing written -------------


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


TEXT = XML2019.read_text(encoding="utf-8")
FIRST = _line(TEXT, "<training>")
DOCTYPE = '<?xml version="1.0"?>\n<!DOCTYPE countries [<!ENTITY big "x">]>'
# (name, mutation, encoding, line, field, words in the message)
BAD = [
    ("empty file", lambda t: "", "utf-8", None, None, "empty"),
    (
        "truncated",
        lambda t: t[: len(t) // 2],
        "utf-8",
        TEXT[: len(TEXT) // 2].count("\n") + 1,
        None,
        "malformed XML",
    ),
    (
        "changed element",
        swap("<quantity>", "<qty>"),
        "utf-8",
        FIRST + 5,
        "qty",
        "unexpected element <qty>",
    ),
    (
        "missing element",
        swap("<page_number>1</page_number>\n", ""),
        "utf-8",
        FIRST + 9,
        "page_number",
        "has no <page_number>",
    ),
    (
        "non-numeric quantity",
        swap("<quantity>2 </quantity>", "<quantity>two </quantity>"),
        "utf-8",
        FIRST,
        "quantity",
        "not a number",
    ),
    (
        "unknown country",
        swap('name="Argentina"', 'name="Argentinia"'),
        "utf-8",
        FIRST,
        "country@name",
        "unknown country name 'Argentinia'",
    ),
    (
        "unmapped programme",
        swap('name="PME - ', 'name="Space Cadets - '),
        "utf-8",
        _line(TEXT, "Naval War College") - 1,
        "program@name",
        "'Space Cadets' is not in us-training-programmes.yaml",
    ),
    (
        "fiscal year of a programme",
        swap('name="IMET-1 - Fiscal Year 2019', 'name="IMET-1 - Fiscal Year 2018'),
        "utf-8",
        FIRST,
        "program@name",
        "states fiscal year 2018",
    ),
    ("not UTF-8", swap("Argentina", "Argentína"), "latin-1", 3, None, "not valid utf-8"),
    (
        "DOCTYPE and entity",
        swap('<?xml version="1.0"?>', DOCTYPE),
        "utf-8",
        2,
        None,
        "DOCTYPE is not allowed",
    ),
    (
        "text outside elements",
        swap("<c_name>", "stray <c_name>"),
        "utf-8",
        4,
        "country",
        "unexpected text 'stray'",
    ),
    (
        "no training",
        lambda t: '<?xml version="1.0"?>\n<countries>\n</countries>\n',
        "utf-8",
        None,
        None,
        "truncated",
    ),
]


@pytest.mark.parametrize(
    ("name", "mutate", "encoding", "line", "field", "words"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_xml_names_file_line_element_and_writes_nothing(
    project, capsys, name, mutate, encoding, line, field, words
):
    raw = project / "raw" / XML2019.name
    raw.parent.mkdir()
    raw.write_bytes(mutate(TEXT).encode(encoding))
    with pytest.raises(InputError) as caught:
        import_us_training([FILES[0], raw], load_framework(project))
    [problem] = caught.value.problems
    assert problem.file == str(raw)
    assert (problem.line, problem.field) == (line, field), problem
    assert words in problem.message, problem

    before = snapshot(project)
    assert main(["--root", str(project), "import", "us-training", str(FILES[0]), str(raw)]) == 2
    assert f"error: {problem}" in capsys.readouterr().err
    assert snapshot(project) == before


def test_an_unmapped_programme_in_a_tsv_names_its_line(fw, tmp_path):
    raw = tmp_path / TSV2018.name
    raw.write_text(TSV2018.read_text().replace("FMF - Fiscal", "FMX - Fiscal", 1))
    with pytest.raises(InputError) as caught:
        import_us_training([raw], fw)
    [problem] = caught.value.problems
    text = TSV2018.read_text()
    assert (problem.line, problem.field) == (_line(text, "FMF - Fiscal"), "program")
    assert "'FMX' is not in us-training-programmes.yaml" in problem.message
