"""The US presence importer (troopdata) on synthetic files with every pitfall of the data."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from engagement_index import InputError, load_framework, validate
from engagement_index.cli.main import main
from engagement_index.importers.derived import write_derived
from engagement_index.importers.us_presence import GUARD_MARINES, import_files

from .conftest import ROOT, header_only, only_declared_years_missing, snapshot, swap

# The synthetic files are committed with a `.synthetic` suffix so that they are never
# mistaken for the raw files; the tests read copies under their real names.
_COPIES = tempfile.TemporaryDirectory(prefix="troopdata-fixtures-")
FIXTURES = Path(_COPIES.name)
for _synthetic in (ROOT / "tests" / "fixtures" / "troopdata").glob("*.synthetic"):
    shutil.copy(_synthetic, FIXTURES / _synthetic.name.removesuffix(".synthetic"))
TROOPS = FIXTURES / "troopdata-rebuild-country-year.csv"
SITES = FIXTURES / "basedata.csv"
FILES = [TROOPS, SITES]

# Worked by hand from the fixtures: id suffix -> (value, words the note must hold).
EXPECTED = {
    # 26 active duty, 10 of them marines (at most 20): the guard is subtracted -> 16
    "ARG-USA-mil_personnel-2019": ("16", "less 10 of 10 Marine Corps members"),
    # 'Antigua' (iso3c NA) and 'Antigua & Barbuda' are one country: 117 + 3, less 3 marines
    "ATG-USA-mil_personnel-1981": ("117", "troops_ad 120 ('Antigua' and 'Antigua & Barbuda')"),
    # before 1959 Guantanamo was held with the Cuban government's consent: counted
    "CUB-USA-mil_personnel-1958": ("10851", "less 20 of 1200 Marine Corps members"),
    # from 1959: excluded, with the reason
    "CUB-USA-mil_personnel-2019": ("0", "troops_ad 847 ('Cuba'); all excluded"),
    "DMA-USA-mil_personnel-2019": ("0", "troops_ad 0"),
    "GUY-USA-mil_personnel-2019": ("2", "less 9 of 9 Marine Corps members"),
    # a Marine unit beyond the guard counts: 474 less 20 of 113 marines
    "HND-USA-mil_personnel-2019": ("454", "troops_ad 474 ('Honduras'); less 20 of 113"),
    # only marines, fewer than the threshold: an embassy guard, no engagement
    "JAM-USA-mil_personnel-2019": ("0", "less 9 of 9 Marine Corps members"),
    # no service breakdown: nothing subtracted, said in the note
    "VEN-USA-mil_personnel-2003": ("21", "no service breakdown"),
    # 'Bahamas, The' (quoted name with a comma)
    "BHS-USA-military_sites-2019": ("1", "1 base; sites: 'Andros Island'"),
    # latin-1 'Concón'
    "CHL-USA-military_sites-2019": ("1", "'Fuerte Aguayo NB, Concón'"),
    # basename NA: an unnamed site; a lily pad and a funded site
    "CRI-USA-military_sites-2019": ("2", "1 funded site, 1 lily pad; sites: 'unnamed site at"),
    # 'Guantanamo Bay<TAB>Cuba' excluded, with the reason
    "CUB-USA-military_sites-2019": ("0", "none counted; excluded: 'Guantanamo Bay Cuba'"),
    # one site flagged both lily pad and funded site counts once
    "PER-USA-military_sites-2019": ("1", "1 funded site, 1 lily pad"),
}


@pytest.fixture(scope="module")
def result(fw):
    return import_files(FILES, fw)


def test_rows_match_the_hand_computed_values(result):
    rows = {r["id"].removeprefix("us-presence-"): r for r in result.rows}
    assert set(rows) == set(EXPECTED)
    for key, (value, note) in EXPECTED.items():
        assert rows[key]["value"] == value, key
        assert note in rows[key]["note"], (key, rows[key]["note"])
        assert rows[key]["status"] == "reported"
    assert "Guantanamo Bay Naval Base is held" in rows["CUB-USA-mil_personnel-2019"]["note"]
    assert GUARD_MARINES == 20


def test_out_of_scope_names_are_counted(result):
    assert result.skipped == {"Greece": 1, "Puerto Rico": 1, "Cameroon": 1, "Korea, South": 1}


def test_reimport_is_byte_identical_whatever_the_file_order(fw, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_derived(import_files(FILES, fw), first)
    write_derived(import_files(list(reversed(FILES)), fw), second)
    assert first.read_bytes() == second.read_bytes()
    assert b"\r" not in first.read_bytes()


def test_imported_rows_pass_validate(project):
    assert main(["--root", str(project), "import", "us-presence", *map(str, FILES)]) == 0
    report = validate(project)
    assert only_declared_years_missing(report, "us-presence"), "\n".join(map(str, report.problems))
    assert (report.ledger["source"] == "us-presence").sum() == len(EXPECTED)


# --- bad input: each a clear error naming file, line and field; nothing written ----------


def _cut_last_row(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:-1]) + ",".join(lines[-1].split(",")[:4]) + "\n"


# (name, file, mutation of its text, encoding written, line, field)
BAD = [
    ("empty file", TROOPS, lambda text: "", "utf-8", None, None),
    ("truncated row", TROOPS, _cut_last_row, "utf-8", 13, "region"),
    ("no data rows", TROOPS, header_only, "utf-8", 2, None),
    ("changed header", TROOPS, swap(",troops_ad,", ",troops,"), "utf-8", 1, "troops_ad"),
    ("non-numeric count", TROOPS, swap(",474,", ",474a,"), "utf-8", 10, "troops_ad"),
    ("decimal year", TROOPS, swap("Jamaica,2019", "Jamaica,2019.5"), "utf-8", 11, "year"),
    (
        "unknown country",
        TROOPS,
        swap("Honduras,", "Hondurass,"),
        "utf-8",
        10,
        "countryname",
    ),
    ("iso3c disagrees", TROOPS, swap(",91,HND,", ",91,HTI,"), "utf-8", 10, "iso3c"),
    ("negative count", TROOPS, swap(",26,10,", ",26,-10,"), "utf-8", 2, "army_ad"),
    ("repeated year", TROOPS, swap("Dominica,2019", "Argentina,2019"), "utf-8", 7, "year"),
    ("not UTF-8", TROOPS, swap("Honduras", "Hondur\u00e1s"), "latin-1", 10, None),
    ("sites empty", SITES, lambda text: "", "latin-1", None, None),
    ("sites truncated", SITES, _cut_last_row, "latin-1", 9, "lat"),
    ("sites header", SITES, swap(",lilypad,", ",lily_pad,"), "latin-1", 1, "lilypad"),
    (
        "sites flag",
        SITES,
        swap(",0,0,1\nCosta", ",0,0,yes\nCosta"),
        "latin-1",
        4,
        "fundedsite",
    ),
    (
        "sites no flag",
        SITES,
        swap("Caldera,9.912169,-84.713904,0,0,1", "Caldera,9.912169,-84.713904,0,0,0"),
        "latin-1",
        6,
        "base",
    ),
    ("sites unknown", SITES, swap("Peru,", "Peruu,"), "latin-1", 9, "countryname"),
    ("sites coordinate", SITES, swap("24.706381", "24.7N"), "latin-1", 2, "lat"),
    ("sites as UTF-8", SITES, lambda text: text, "utf-8", 4, None),
]


@pytest.mark.parametrize(
    ("name", "which", "mutate", "encoding", "line", "field"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_input_names_file_line_field_and_writes_nothing(
    project, capsys, name, which, mutate, encoding, line, field
):
    raw = project / "raw" / which.name
    raw.parent.mkdir()
    text = which.read_bytes().decode("latin-1" if which == SITES else "utf-8")
    raw.write_bytes(mutate(text).encode(encoding))
    other = [p for p in FILES if p != which]
    with pytest.raises(InputError) as caught:
        import_files([raw, *other], load_framework(project))
    [problem] = caught.value.problems
    assert problem.file == str(raw)
    assert (problem.line, problem.field) == (line, field), problem
    assert problem.message

    before = snapshot(project)
    assert main(["--root", str(project), "import", "us-presence", str(raw), *map(str, other)]) == 2
    assert f"error: {problem}" in capsys.readouterr().err
    assert snapshot(project) == before


def test_wrong_or_missing_files_write_nothing(project, capsys, tmp_path):
    renamed = tmp_path / "troops.csv"
    shutil.copy(TROOPS, renamed)
    before = snapshot(project)
    for paths in ([renamed, SITES], [TROOPS], [TROOPS, SITES, TROOPS]):
        assert main(["--root", str(project), "import", "us-presence", *map(str, paths)]) == 2
        err = capsys.readouterr().err
        assert "unexpected file name" in err or "missing input" in err or "also given" in err
    assert snapshot(project) == before


def test_a_failed_import_leaves_the_committed_file_untouched(project, tmp_path):
    assert main(["--root", str(project), "import", "us-presence", *map(str, FILES)]) == 0
    derived = project / "indicators" / "derived" / "us-presence.csv"
    good = derived.read_bytes()
    bad = tmp_path / TROOPS.name
    bad.write_text(TROOPS.read_text().replace(",474,", ",x,"))
    assert main(["--root", str(project), "import", "us-presence", str(bad), str(SITES)]) == 2
    assert derived.read_bytes() == good
    assert not list(derived.parent.glob("*.tmp*"))
