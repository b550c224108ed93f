"""The AidData GCDF importer on a synthetic file with every pitfall of the data README."""

from __future__ import annotations

import shutil

import pytest

from engagement_index import InputError, load_framework, validate
from engagement_index.cli.main import main
from engagement_index.importers.china_finance import DATASET, import_china_finance
from engagement_index.importers.china_finance_review import is_syndicated, linked_ids, proposes
from engagement_index.importers.derived import Derived, write_derived
from engagement_index.ledger.datasets import load_registry

from .conftest import ROOT, snapshot, swap

FIXTURES = ROOT / "tests" / "fixtures" / "aiddata"
FIXTURE = FIXTURES / "synthetic-gcdf3-final_input.csv"
PROJECTS = FIXTURES / "synthetic-china-finance-projects.csv"
REJECTED = FIXTURES / "synthetic-china-finance-rejected.csv"
MONEY, PRESENCE = "USD million constant 2021", "presence"
SCANNER = "AidData record 10007 (ports and scanners; Completion; USD 4304580.63 constant 2021)"

# Worked by hand from the fixture: id -> (value, unit).
EXPECTED = {
    "china-finance-ARG-CHN-security_grants-2016": ("59.04022542", MONEY),
    # Safe City phase 1 (the README's known figure) and phase 2: linked, each its own grant
    "china-finance-SUR-CHN-security_grants-2018": ("12.85896196", MONEY),
    "china-finance-SUR-CHN-security_grants-2019": ("5.61782306", MONEY),
    # 4839820.25948809 + 1000000.0 (a title with a quoted comma) in one cell
    "china-finance-BOL-CHN-police_equipment_value-2017": ("5.83982026", MONEY),
    # 10008 repeats 10007 (the same scanner): 2011 only, no 2013 row
    "china-finance-BOL-CHN-police_equipment_value-2011": ("4.30458063", MONEY),
    # no amount stated: a presence, never an amount
    "china-finance-TTO-CHN-police_equipment-2019": ("1", PRESENCE),
    # two banks' records of one $60 million syndicated loan, both stating the total: 60
    "china-finance-JAM-CHN-security_loans-2016": ("60", MONEY),
    # two banks' own shares of a $50 million syndicated loan: 30 + 20
    "china-finance-GUY-CHN-security_loans-2015": ("50", MONEY),
    "china-finance-ECU-CHN-ship_visits-2018": ("1", PRESENCE),
    "china-finance-ECU-CHN-mil_visits-2019": ("1", PRESENCE),
    # a loan with no amount: a presence of the system it pays for
    "china-finance-ECU-CHN-surveillance_systems-2012": ("1", PRESENCE),
}


@pytest.fixture(scope="module")
def result(fw) -> Derived:
    return import_china_finance(FIXTURE, fw, PROJECTS, REJECTED)


@pytest.fixture
def lists(project):
    """A project whose reviewed lists are the fixture's."""
    datasets = project / "indicators" / "datasets"
    shutil.copy(PROJECTS, datasets / "china-finance-projects.csv")
    shutil.copy(REJECTED, datasets / "china-finance-rejected.csv")
    return project


def test_fixture_is_utf8_with_quoted_commas():
    text = FIXTURE.read_bytes().decode("utf-8")
    assert "Neuquén" in text and '"Chinese Government donates 20 police vehicles worth $1,' in text


def test_every_row_as_computed_by_hand(result):
    got = {r["id"]: (r["value"], r["unit"]) for r in result.rows}
    assert got == EXPECTED


def test_rows_are_reported_chinese_and_carry_provenance(result):
    for r in result.rows:
        assert (r["actor"], r["status"], r["source"]) == ("CHN", "reported", DATASET)
        assert r["dataset"] == load_registry()[DATASET].name
        assert r["file"] == FIXTURE.name
        assert "ade7c80" in r["version"] and "GCDF 3.0" in r["version"]
        assert "china-finance-projects.csv" in r["rule"]
        assert "unknown, not zero" in r["rule"]


def test_notes_name_every_record_and_what_repeats_it(result):
    notes = {r["id"]: r["note"] for r in result.rows}
    assert notes["china-finance-BOL-CHN-police_equipment_value-2011"] == (
        f"{SCANNER}; record 10008 repeats its money, not counted"
    )
    assert "record 10010 repeats its money" in notes["china-finance-JAM-CHN-security_loans-2016"]
    assert "no amount stated: presence" in notes["china-finance-TTO-CHN-police_equipment-2019"]


def test_silence_is_unknown_not_zero(result):
    assert all(float(r["value"]) > 0 for r in result.rows)
    # Peru, Trinidad and Tobago's school and Cuba's hotel are in the file but not selected
    assert {r["country"] for r in result.rows} == {"ARG", "SUR", "BOL", "TTO", "JAM", "GUY", "ECU"}
    assert "countries with no record in this subset (unknown, not zero): ATG" in result.notes[2]


def test_out_of_scope_codes_and_regions_are_counted_not_kept(result):
    assert result.skipped == {"AGO": 1, "Africa, regional": 1}


def test_summary_counts_candidates_and_decisions(result):
    assert result.notes[1] == (
        "security rule: 17 candidates proposed; reviewed: 15 selected (2 repeat another "
        "record's money, not counted), 2 rejected"
    )


@pytest.mark.parametrize(
    ("title", "ids"),
    [
        ("Project (Linked to Project ID#54576)", {54576}),
        ("Grant (linked to #72079, #72076, and #72080)", {72079, 72076, 72080}),
        ("Fund (Linked to Project ID#37829, 37804, 37808)", {37829, 37804, 37808}),
        ("Greenhouse [linked to Project #56170 & #56148]", {56170, 56148}),
        ("Team (Subproject of #69439)", {69439}),
        ("Hospital (links: #56429, #56274)", {56429, 56274}),
        ("$40 million grant for 1,572 Street Lights", set()),
        ("Linden Hospital Complex donation of 2019", set()),
    ],
)
def test_linked_ids(title, ids):
    assert linked_ids(title) == ids


def test_rule_proposes_by_word_or_sector():
    assert proposes("Donates 200 motorcycles to the Police Service", "HEALTH")
    assert proposes("Miramar Hotel Project", "TRADE POLICIES AND REGULATIONS")
    assert not proposes("Road, Bridge and Drainage Project", "TRANSPORT AND STORAGE")
    assert not proposes("China Harbour Engineering donates a basketball court", "EDUCATION")
    assert not proposes("Transport support for sports", "EDUCATION")
    assert is_syndicated("ICBC contributes to $50 million Syndicated loan")


def test_reimport_is_byte_identical_and_matches_the_rows(lists, tmp_path):
    outs = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for out in outs:
        command = ["--root", str(lists), "import", "china-finance", str(FIXTURE)]
        assert main([*command, "--out", str(out)]) == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()
    built = import_china_finance(FIXTURE, load_framework(lists))
    assert outs[0].read_bytes() == built.text().encode()


def test_imported_rows_pass_validate(lists):
    assert main(["--root", str(lists), "import", "china-finance", str(FIXTURE)]) == 0
    written = lists / "indicators" / "derived" / "china-finance.csv"
    assert written.read_text(encoding="utf-8").count("\n") == len(EXPECTED) + 1
    report = validate(lists)
    assert report.clean, "\n".join(map(str, report.problems))
    ledger = report.ledger[report.ledger["source"] == DATASET]
    safe_city = ledger.loc[ledger["id"] == "china-finance-SUR-CHN-security_grants-2018"].iloc[0]
    assert safe_city["value_canonical"] == pytest.approx(12.85896196)


def test_write_is_atomic(result, tmp_path, monkeypatch):
    target = tmp_path / "china-finance.csv"
    target.write_text("before\n", encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("engagement_index.io.atomic.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_derived(result, target)
    assert target.read_text(encoding="utf-8") == "before\n"
    assert [p.name for p in tmp_path.iterdir()] == ["china-finance.csv"]


# --- bad input: each a clear error naming file, line and field; nothing written ----------

SCANNER_ROW = "10007,4304580.63469447,China Donates Customs Control Scanner"


def _truncate_mid_row(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:5]) + lines[5][:60] + "\n"


# (name, mutation of the fixture text, line, field)
BAD = [
    ("empty file", lambda text: "", None, None),
    ("truncated row", _truncate_mid_row, 6, "AidData.Record.ID"),
    ("no data rows", lambda text: text.splitlines(keepends=True)[0], 2, None),
    ("changed header", swap("Recipient.ISO-3,", "ISO3,"), 1, "Recipient.ISO-3"),
    (
        "extra column",
        swap("Completion.Date.(MM/DD/YYYY)\n", "Completion.Date.(MM/DD/YYYY),Note\n"),
        1,
        "column 18",
    ),
    (
        "non-numeric amount",
        swap(SCANNER_ROW, "10007,4.3 million,China Donates Customs Control Scanner"),
        8,
        "Amount.(Constant.USD.2021)",
    ),
    (
        "unknown country code",
        swap(",Suriname,SUR,", ",Suriname,SRX,"),
        3,
        "Recipient.ISO-3",
    ),
    (
        "code and name disagree",
        swap(",Suriname,SUR,", ",Suriname,GUY,"),
        3,
        "Recipient.ISO-3",
    ),
    ("malformed year", swap(",SUR,,2018,", ",SUR,,20l8,"), 3, "Commitment.Year"),
    (
        "date not ISO",
        swap("2016-02-01", "02/01/2016"),
        2,
        "Actual.Implementation.Start.Date.(MM/DD/YYYY)",
    ),
    ("record id twice", swap(",10003,5617823", ",10002,5617823"), 4, "AidData.Record.ID"),
    (
        "unreviewed candidate",
        swap("Road, Bridge and Drainage Project", "Road and Police Station Project"),
        19,
        "AidData.Record.ID",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "line", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_line_field_and_writes_nothing(
    lists, capsys, name, mutate, line, field
):
    raw = lists / "raw" / "final_input.csv"
    raw.parent.mkdir()
    raw.write_bytes(mutate(FIXTURE.read_bytes().decode("utf-8")).encode("utf-8"))
    with pytest.raises(InputError) as caught:
        import_china_finance(raw, load_framework(lists))
    [problem] = caught.value.problems
    assert problem.file == str(raw)
    assert (problem.line, problem.field) == (line, field)
    assert problem.message

    before = snapshot(lists)
    assert main(["--root", str(lists), "import", "china-finance", str(raw)]) == 2
    assert f"error: {problem}" in capsys.readouterr().err
    assert snapshot(lists) == before


def test_wrong_encoding_names_the_line(lists):
    raw = lists / "final_input.csv"
    raw.write_bytes(FIXTURE.read_bytes().decode("utf-8").encode("latin-1"))
    with pytest.raises(InputError, match="not valid utf-8") as caught:
        import_china_finance(raw, load_framework(lists))
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (str(raw), 2)


def test_file_cut_inside_a_quoted_field_is_an_error(lists):
    raw = lists / "final_input.csv"
    text = FIXTURE.read_text(encoding="utf-8")
    raw.write_text(text[: text.index("police vehicles worth $1,") + 10], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_china_finance(raw, load_framework(lists))
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (str(raw), 6)


# --- the reviewed lists: a wrong decision is named by list, line and field --------------


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


LIST_BAD = [
    ("link left blank", "projects", ",repeats 10007,", ",,", 9, "link"),
    ("repeats an unlinked record", "projects", ",repeats 10007,", ",repeats 10002,", 9, "link"),
    (
        "own with nothing to link",
        "projects",
        "space,security_grants,,",
        "space,security_grants,own,",
        2,
        "link",
    ),
    ("malformed link", "projects", ",repeats 10007,", ",same as 10007,", 9, "link"),
    (
        "syndicated share left blank",
        "projects",
        "security_loans,own,'syndicated loan for Port of G",
        "security_loans,,'syndicated loan for Port of G",
        12,
        "link",
    ),
    ("unknown classification", "projects", ",space,", ",rockets,", 2, "classification"),
    (
        "money indicator for a presence",
        "projects",
        "police_equipment,,'motor",
        "police_equipment_value,,'motor",
        7,
        "indicator",
    ),
    (
        "presence indicator for an amount",
        "projects",
        ",space,security_grants,",
        ",space,space_facilities,",
        2,
        "indicator",
    ),
    (
        "title changed since the review",
        "projects",
        "Phase 1 of Safe City",
        "Phase I of Safe City",
        3,
        "title",
    ),
    ("amount changed since the review", "projects", "12858961.9602907", "12858961.96", 3, "amount"),
    ("not a candidate", "rejected", "10020,CUB", "10018,CUB", 3, "record_id"),
    ("empty reason", "rejected", "hotel (sector filter only)", "", 3, "reason"),
    ("in both lists", "rejected", "10020,CUB,2001", "10001,ARG,2016", 3, "record_id"),
]


@pytest.mark.parametrize(
    ("name", "which", "old", "new", "line", "field"), LIST_BAD, ids=[b[0] for b in LIST_BAD]
)
def test_bad_review_names_list_line_field(lists, name, which, old, new, line, field):
    path = lists / "indicators" / "datasets" / f"china-finance-{which}.csv"
    _edit(path, old, new)
    with pytest.raises(InputError) as caught:
        import_china_finance(FIXTURE, load_framework(lists))
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), line, field)


def test_a_candidate_dropped_from_the_review_stops_the_import(lists):
    path = lists / "indicators" / "datasets" / "china-finance-rejected.csv"
    path.write_text("".join(path.read_text(encoding="utf-8").splitlines(True)[:2]), "utf-8")
    with pytest.raises(InputError, match=r"record 10020 .* in neither") as caught:
        import_china_finance(FIXTURE, load_framework(lists))
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (str(FIXTURE), 21)
