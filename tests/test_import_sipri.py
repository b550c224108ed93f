"""The SIPRI trade-register importer on a synthetic register with every pitfall."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement_index import InputError, load_framework, validate
from engagement_index.cli.main import main
from engagement_index.importers.derived import Derived, format_value, output_path, write_derived
from engagement_index.importers.sipri import import_sipri

from .conftest import ROOT, only_declared_years_missing, snapshot, swap

FIXTURE = ROOT / "tests" / "fixtures" / "sipri" / "synthetic-sipri-register.csv"
FLAGGED = "1 of 1 deals carry a '?' uncertainty flag"
PLAIN = "0 of 1 deals carry a '?' uncertainty flag"
ZERO = "TIV '0' (between 0 and 0.5), counted as 0"

# Worked by hand from the fixture: id -> (value, note).
EXPECTED = {
    # 94.5 over 2008; 2009 -> 47.25 a year; flagged
    "sipri-at-VEN-CHN-arms_tiv-2008": ("47.25", FLAGGED),
    "sipri-at-VEN-CHN-arms_tiv-2009": ("47.25", FLAGGED),
    "sipri-at-VEN-CHN-arms_tiv-2010": ("63", PLAIN),
    # 184 over 2012; 2013; 2014 -> 184 / 3 a year, exact round-trip text
    "sipri-at-VEN-CHN-arms_tiv-2012": (repr(184 / 3), FLAGGED),
    "sipri-at-VEN-CHN-arms_tiv-2013": (repr(184 / 3), FLAGGED),
    "sipri-at-VEN-CHN-arms_tiv-2014": (repr(184 / 3), FLAGGED),
    "sipri-at-VEN-CHN-arms_deals-2008": ("1", FLAGGED),
    "sipri-at-VEN-CHN-arms_deals-2010": ("1", PLAIN),
    "sipri-at-VEN-CHN-arms_deals-2012": ("1", FLAGGED),
    # Russia and the Soviet Union are both RUS; a '0' TIV with a year is a delivery of 0
    "sipri-at-VEN-RUS-arms_tiv-1991": ("0", f"{PLAIN}; 1 with {ZERO}"),
    "sipri-at-VEN-RUS-arms_deals-1991": ("1", f"{PLAIN}; 1 with {ZERO}"),
    "sipri-at-VEN-RUS-arms_tiv-2006": ("10", FLAGGED),
    "sipri-at-VEN-RUS-arms_tiv-2007": ("10", FLAGGED),
    "sipri-at-VEN-RUS-arms_tiv-2008": ("10", FLAGGED),
    "sipri-at-VEN-RUS-arms_deals-2006": ("1", FLAGGED),
    "sipri-at-CUB-RUS-arms_tiv-1961": ("25", FLAGGED),
    "sipri-at-CUB-RUS-arms_tiv-1962": ("25", FLAGGED),
    "sipri-at-CUB-RUS-arms_deals-1961": ("1", FLAGGED),
    "sipri-at-CUB-RUS-arms_tiv-2021": ("0", f"{PLAIN}; 1 with {ZERO}"),
    "sipri-at-CUB-RUS-arms_deals-2021": ("1", f"{PLAIN}; 1 with {ZERO}"),
    # 'Saint Vincent' is SIPRI's name for VCT
    "sipri-at-VCT-USA-arms_tiv-2014": ("3", PLAIN),
    "sipri-at-VCT-USA-arms_deals-2014": ("1", PLAIN),
    # two deals start in 2015: one '0' TIV (flagged), one 3 over 2015; 2016
    "sipri-at-PER-USA-arms_tiv-2015": (
        "1.5",
        f"1 of 2 deals carry a '?' uncertainty flag; 1 with {ZERO}",
    ),
    "sipri-at-PER-USA-arms_tiv-2016": ("1.5", PLAIN),
    "sipri-at-PER-USA-arms_deals-2015": (
        "2",
        f"1 of 2 deals carry a '?' uncertainty flag; 1 with {ZERO}",
    ),
    # blank TIV with years listed: a deal, but no TIV row
    "sipri-at-MEX-USA-arms_deals-2019": ("1", f"{FLAGGED}; 1 with no TIV identified"),
    "sipri-at-TTO-CHN-arms_tiv-2014": ("16", PLAIN),
    "sipri-at-TTO-CHN-arms_deals-2014": ("1", PLAIN),
    "sipri-at-KNA-USA-arms_tiv-2002": ("0.6", PLAIN),
    "sipri-at-KNA-USA-arms_deals-2002": ("1", PLAIN),
}


@pytest.fixture(scope="module")
def result(fw) -> Derived:
    return import_sipri(FIXTURE, fw)


def test_fixture_is_latin1_as_sipri_exports_it():
    with pytest.raises(UnicodeDecodeError):
        FIXTURE.read_bytes().decode("utf-8")


def test_every_row_as_computed_by_hand(result):
    got = {r["id"]: (r["value"], r["note"]) for r in result.rows}
    assert got == EXPECTED


def test_rows_carry_provenance(result):
    for r in result.rows:
        assert r["source"] == "sipri-at"
        assert r["dataset"] == "SIPRI Arms Transfers Database, trade register"
        assert r["file"] == "synthetic-sipri-register.csv"
        assert r["version"] == "Data generated: 1 January 2026 10:00:00 AM"
        assert r["status"] == "reported"
        assert r["unit"] == {"arms_tiv": "TIV million", "arms_deals": "deals"}[r["indicator"]]
        assert "Soviet Union" in r["rule"]
        assert r["id"] == "-".join(
            ["sipri-at", r["country"], r["actor"], r["indicator"], r["period"]]
        )


def test_summing_a_deals_rows_gives_its_register_total(result):
    tiv = {r["id"]: float(r["value"]) for r in result.rows if r["indicator"] == "arms_tiv"}
    venezuela_china = sum(v for k, v in tiv.items() if k.startswith("sipri-at-VEN-CHN-"))
    assert venezuela_china == pytest.approx(94.5 + 63 + 184, rel=1e-12)


def test_out_of_scope_recipients_are_counted_not_kept(result):
    assert result.skipped == {"Contras (Nicaragua)*": 1, "Spain": 1}
    assert {r["country"] for r in result.rows} == {"VEN", "CUB", "VCT", "PER", "MEX", "TTO", "KNA"}


def test_values_round_trip():
    for v in (0.0, 3.0, 47.25, 184 / 3, 1e-7, 123456789.125):
        assert float(format_value(v)) == v
    assert format_value(3.0) == "3"


def test_reimport_is_byte_identical(fw, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_derived(import_sipri(FIXTURE, fw), first)
    write_derived(import_sipri(FIXTURE, fw), second)
    assert first.read_bytes() == second.read_bytes()
    assert b"\r" not in first.read_bytes()
    write_derived(import_sipri(FIXTURE, fw), first)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.slow
def test_imported_rows_pass_validate(project):
    assert main(["--root", str(project), "import", "sipri", str(FIXTURE)]) == 0
    report = validate(project)
    assert report.problems, "the fixture covers fewer years than the registry declares"
    assert only_declared_years_missing(report, "sipri-at"), "\n".join(map(str, report.problems))
    derived = report.ledger[report.ledger["source"] == "sipri-at"]
    assert len(derived) == len(EXPECTED)


@pytest.mark.parametrize(
    "out",
    [
        "indicators/evidence/aq-gsi.csv",
        "indicators/evidence/new.csv",
        "indicators/derived/us-fmtr.csv",
        "indicators/countries.csv",
    ],
)
def test_refuses_to_write_curated_or_other_files(project, out):
    fw = load_framework(project)
    with pytest.raises(InputError, match="refusing to write"):
        output_path(fw.paths, "sipri-at", project / out)


def test_writes_its_own_file_or_outside_indicators(project, tmp_path):
    fw = load_framework(project)
    own = project / "indicators" / "derived" / "sipri-at.csv"
    assert output_path(fw.paths, "sipri-at") == own.resolve()
    assert output_path(fw.paths, "sipri-at", own) == own.resolve()
    assert output_path(fw.paths, "sipri-at", tmp_path / "x.csv") == (tmp_path / "x.csv").resolve()


# --- bad input: each a clear error naming file, line and field; nothing written ----------

LAST = (
    "Saint Kitts and Nevis,United States,2000,,1,,Dauntless,patrol craft,1,,2002,New,,0.6,0.6,0.6\n"
)


def _header_only(text: str) -> str:
    return "".join(text.splitlines(keepends=True)[:12])


def _preamble_only(text: str) -> str:
    return "".join(text.splitlines(keepends=True)[:5])


# (name, mutation of the fixture text, line, field)
BAD = [
    ("empty file", lambda text: "", None, None),
    (
        "truncated row",
        swap(LAST, "Saint Kitts and Nevis,United States,2000,,1,,Dauntless,patrol craft\n"),
        30,
        "Number delivered",
    ),
    ("no data rows", _header_only, 13, None),
    ("truncated in the preamble", _preamble_only, 6, None),
    (
        "changed header",
        swap(",Year(s) of delivery,", ",Years of delivery,"),
        12,
        "Year(s) of delivery",
    ),
    (
        "moved flag column",
        swap("Year of order, ,Number ordered", "Year of order,Number ordered, "),
        12,
        "column 4 ('?' flag)",
    ),
    (
        "extra column",
        swap("SIPRI TIV of delivered weapons\n", "SIPRI TIV of delivered weapons,Notes\n"),
        12,
        "column 17",
    ),
    (
        "non-numeric TIV",
        swap("5.25,94.5,94.5\n", "5.25,94.5,n/a\n"),
        13,
        "SIPRI TIV of delivered weapons",
    ),
    (
        "unknown country",
        swap("Venezuela,China,2007", "Venezuala,China,2007"),
        13,
        "Recipient",
    ),
    (
        "malformed delivery years",
        swap("2008; 2009,New", "2008; 20x9,New"),
        13,
        "Year(s) of delivery",
    ),
    (
        "TIV without a delivery year",
        swap("2,,2014,New,Aid,1.5,3,3", "2,,,New,Aid,1.5,3,3"),
        20,
        "Year(s) of delivery",
    ),
    (
        "flag that is not '?'",
        swap("Venezuela,China,2007,?", "Venezuela,China,2007,x"),
        13,
        "column 4 ('?' flag)",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "line", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_line_field_and_writes_nothing(
    project, capsys, name, mutate, line, field
):
    raw = project / "raw" / "trade-register.csv"
    raw.parent.mkdir()
    raw.write_bytes(mutate(FIXTURE.read_bytes().decode("latin-1")).encode("latin-1"))
    with pytest.raises(InputError) as caught:
        import_sipri(raw, load_framework(project))
    [problem] = caught.value.problems
    assert problem.file == str(raw)
    assert (problem.line, problem.field) == (line, field)
    assert problem.message

    before = snapshot(project)
    assert main(["--root", str(project), "import", "sipri", str(raw)]) == 2
    assert f"error: {problem}" in capsys.readouterr().err
    assert snapshot(project) == before


def test_out_of_scope_list_may_not_hold_one_of_the_33(project):
    listed = project / "indicators" / "datasets" / "sipri-at-out-of-scope.txt"
    listed.write_text(listed.read_text(encoding="utf-8") + "Saint Vincent\n", encoding="utf-8")
    with pytest.raises(InputError, match="one of the 33 countries") as caught:
        import_sipri(FIXTURE, load_framework(project))
    assert caught.value.problems[0].file == str(listed)


@pytest.mark.slow
def test_cli_as_a_subprocess(project, tmp_path):
    import subprocess
    import sys

    raw = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, raw)
    command = [sys.executable, "-m", "engagement_index.cli", "--root", str(project), "import"]
    done = subprocess.run([*command, "sipri", str(raw)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "sipri-at: wrote 30 rows to indicators/derived/sipri-at.csv" in done.stdout
    assert "out of scope, skipped: 2 rows of 2 names" in done.stdout
    written = project / "indicators" / "derived" / "sipri-at.csv"
    assert (
        written.read_bytes()
        == Derived("sipri-at", import_sipri(raw, load_framework(project)).rows).text().encode()
    )

    raw.write_bytes(raw.read_bytes().replace(b"Venezuela,China,2007", b"Venezuala,China,2007"))
    before = snapshot(project)
    done = subprocess.run([*command, "sipri", str(raw)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{raw}:13 [Recipient]: unknown country name 'Venezuala'" in done.stderr
    assert snapshot(project) == before


def test_output_path_outside_the_project_is_allowed(project, tmp_path):
    out = tmp_path / "elsewhere" / "sipri.csv"
    assert main(["--root", str(project), "import", "sipri", str(FIXTURE), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("id,country,actor,indicator,period,value")


def test_refusal_through_the_cli_writes_nothing(project, capsys):
    before = snapshot(project)
    out = project / "indicators" / "evidence" / "aq-gsi.csv"
    assert main(["--root", str(project), "import", "sipri", str(FIXTURE), "--out", str(out)]) == 2
    assert "refusing to write" in capsys.readouterr().err
    assert snapshot(project) == before


@settings(max_examples=80, deadline=None)
@given(cell=st.integers(0, 15), junk=st.text(max_size=30))
def test_junk_in_any_cell_gives_input_error_or_rows(fw, tmp_path_factory, cell, junk):
    raw = tmp_path_factory.mktemp("fuzz") / "register.csv"
    lines = FIXTURE.read_bytes().decode("latin-1").splitlines(keepends=True)
    fields = lines[13].rstrip("\n").split(",")
    fields[cell] = junk
    lines[13] = ",".join(fields) + "\n"
    raw.write_bytes("".join(lines).encode("latin-1", errors="replace"))
    try:
        result = import_sipri(raw, fw)
    except InputError as exc:
        assert all(p.file == str(raw) for p in exc.problems)
    else:
        assert all(r["id"].startswith("sipri-at-") for r in result.rows)
