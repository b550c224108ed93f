"""The evidence ledger: the real ledger is clean and complete enough, bad input is caught."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagement_index import InputError, load_evidence, load_framework, validate
from engagement_index.io.readers import read_csv_records, read_text
from engagement_index.ledger.evidence import LEDGER_COLUMNS, check_ledger
from engagement_index.ledger.quotes import quote_in_text
from engagement_index.ledger.schema import STATUSES, UNSCORED_STATUSES

from .conftest import TINY_LEDGER, snapshot, tiny_project

LEDGER = TINY_LEDGER  # the bad-input catalogue breaks the tiny project


@pytest.fixture(scope="module")
def report():
    """:func:`validate` on the committed project, once for this module."""
    return validate()


def test_real_ledger_is_clean_and_substantial(report):
    assert report.clean, "\n".join(map(str, report.problems))
    ev = report.ledger
    assert len(ev) > 100
    assert set(ev["actor"]) == {"USA", "CHN", "RUS"}
    assert set(ev["pillar"].dropna()) == {"EDU", "DIP", "ARM", "LAW", "INF", "FIN"}
    assert set(ev.loc[ev["pillar"].isna(), "indicator"]) == {"context"}  # no pillar
    assert ev["id"].is_unique


def test_ecu911_conflict_is_kept_and_reported(report):
    conflicts = report.conflicts()
    conflicts = conflicts[conflicts["conflict"] == "ecu911-loan"]
    assert set(conflicts["row"]) == {"aq-gsi-010", "kashin2024-249"}
    assert conflicts.loc[conflicts["scored"], "row"].tolist() == ["aq-gsi-010"]


def test_register_outranks_an_articles_complete_list(report):
    """GUY and TTO: the article's zero is kept, the SIPRI delivery is scored."""
    conflicts = report.conflicts().set_index("row")
    for zero, delivery in (
        ("kashin2024-301", "sipri-at-GUY-CHN-arms_deals-2002"),
        ("kashin2024-323", "sipri-at-TTO-CHN-arms_deals-2015"),
    ):
        assert conflicts.loc[zero, "conflict"] == conflicts.loc[delivery, "conflict"]
        assert not conflicts.loc[zero, "scored"] and conflicts.loc[delivery, "scored"]
        assert conflicts.loc[zero, "value"] == 0 and conflicts.loc[delivery, "value"] == 1


def test_complete_list_documents_zeros_for_the_other_countries(ledger):
    ev = ledger
    supplier = ev[
        (ev.indicator == "arms_supplier") & (ev.actor == "CHN") & (ev.source == "kashin2024")
    ]
    listed = set(supplier.loc[supplier.value == 1, "country"]) - {"LAC"}
    zeros = set(supplier.loc[supplier.status == "zero_listed", "country"])
    # two zeros disagree with the SIPRI register: kept, in a conflict group
    disputed = set(supplier.loc[supplier.status == "conflict", "country"])
    assert listed == {"ARG", "MEX", "BHS", "BOL", "ECU", "PER", "VEN"}
    assert disputed == {"GUY", "TTO"}
    assert len(zeros | disputed) == 24 and not (zeros | disputed) & listed


def test_region_figures_stay_at_region_level(ledger):
    exchanges = ledger[(ledger.indicator == "mil_visits") & (ledger.value == 119)]
    assert exchanges["country"].tolist() == ["LAC"]


def test_undated_period_has_no_start_and_an_end(ledger):
    ev = ledger.set_index("id")
    row = ev.loc["kashin2024-203"]  # "by 2023": ARG among the seven, delivery years unstated
    assert row["period"] == "by 2023" and bool(row["undated"])
    assert pd.isna(row["period_start"]) and row["period_end"] == 2023
    dated = ev.loc["kashin2024-212"]
    assert not dated["undated"] and (dated["period_start"], dated["period_end"]) == (2008, 2008)


def test_unscored_statuses_are_recorded_and_counted(project):
    for status in UNSCORED_STATUSES:
        assert status in STATUSES
    before = int(validate(project).counts("status").get("in_negotiation", 0))
    _edit("aq-gsi-008", status="in_negotiation")(project)
    report = validate(project)
    assert report.clean, "\n".join(map(str, report.problems))
    summary = report.summary()
    n = int(report.ledger["status"].isin(UNSCORED_STATUSES).sum())
    assert f"recorded, never scored ({', '.join(UNSCORED_STATUSES)}): {n} rows" in summary
    assert report.counts("status")["in_negotiation"] == before + 1
    assert "undated flows (period 'by YYYY', attributed to no window)" in summary
    assert "kashin2024-203" in report.undated_flows()  # arms_supplier: a flow
    assert "kashin2024-253" not in report.undated_flows()  # surveillance_systems: a stock
    assert report.ledger.set_index("id").loc["kashin2024-231", "status"] == "pledged"


def test_context_rows_keep_their_unit_and_may_hold_country_ratios(ledger):
    ev = ledger.set_index("id")
    ratio = ev[(ev["indicator"] == "context") & (ev["unit"] == "percent")]
    assert "BRA" in set(ratio["country"])  # a country-level percentage, on `context` only
    trade = ev.loc["kashin2024-287"]
    assert (trade["indicator"], trade["unit"]) == ("context", "USD billion")
    assert (trade["value_canonical"], trade["unit_canonical"]) == (450.0, "USD billion")
    assert pd.isna(trade["pillar"])


def test_money_is_converted_to_the_canonical_unit(ledger):
    ev = ledger.set_index("id")
    assert ev.loc["kashin2024-249", "value_canonical"] == 250_000.0
    assert ev.loc["kashin2024-249", "unit_canonical"] == "USD million"


# --- bad input catalogue --------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict[str, str]], columns: list[str] = LEDGER_COLUMNS) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _edit(row_id: str, **changes: str):
    def mutate(root: Path) -> None:
        path = root / LEDGER
        rows = _rows(path)
        for r in rows:
            if r["id"] == row_id:
                r.update(changes)
        _write(path, rows)

    return mutate


def _duplicate_id(root: Path) -> None:
    path = root / LEDGER
    rows = _rows(path)
    rows[1]["id"] = rows[0]["id"]
    _write(path, rows)


def _drop_column(root: Path) -> None:
    path = root / LEDGER
    _write(path, _rows(path), [c for c in LEDGER_COLUMNS if c != "quote"])


def _indicator_kind(kind: str | None):
    """Change (or, with None, drop) the first indicator's ``kind``."""

    def mutate(root: Path) -> None:
        path = root / "indicators" / "indicators.yaml"
        new = "" if kind is None else f"  kind: {kind}\n"
        path.write_text(
            path.read_text(encoding="utf-8").replace("  kind: flow\n", new, 1), encoding="utf-8"
        )

    return mutate


def _register_group_across_pillars(root: Path) -> None:
    """A conflict group pairing an arms row with a training register row."""
    path = root / "indicators" / "conflicts.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "sipri-at-GUY-CHN-arms_deals-2002", "us-fmtr-GUY-USA-mil_students-2010"
        ),
        encoding="utf-8",
    )


def _empty(root: Path) -> None:
    (root / LEDGER).write_text("", encoding="utf-8")


def _latin1(root: Path) -> None:
    path = root / LEDGER
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


def _malformed_yaml(root: Path) -> None:
    path = root / "indicators" / "indicators.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  pillar: EDU", "  pillar: [EDU", 1),
        encoding="utf-8",
    )


def _ragged(root: Path) -> None:
    path = root / LEDGER
    path.write_text(path.read_text(encoding="utf-8") + "x,y\n", encoding="utf-8")


def _hash(root: Path) -> None:
    doc = root / "seeds" / "beijings-military-diplomacy-gains.txt"
    doc.write_bytes(doc.read_bytes().replace(b"119", b"120"))


def _unit_yaml(root: Path) -> None:
    path = root / "indicators" / "indicators.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("units: [persons]", "units: [persons, people]", 1),
        encoding="utf-8",
    )


def _expected_line(path: Path, line: int | str | None) -> int | None:
    """A line given as a number, a row id (where it starts), "last" or "first-latin1"."""
    if not isinstance(line, str):
        return line
    if line == "first-latin1":
        text = path.read_bytes().decode("latin-1")
        return next(i for i, t in enumerate(text.splitlines(), 1) if any(ord(c) > 127 for c in t))
    lines = path.read_text(encoding="utf-8").splitlines()
    if line == "last":
        return len(lines)
    return next(i for i, text in enumerate(lines, start=1) if text.startswith(f"{line},"))


# (name, mutation, file suffix, field, line or None when the message has no line)
BAD_INPUTS = [
    ("unknown country", _edit("aq-gsi-001", country="Atlantis"), LEDGER, "country", "aq-gsi-001"),
    ("unknown actor", _edit("aq-gsi-001", actor="EU"), LEDGER, "actor", "aq-gsi-001"),
    (
        "unknown indicator",
        _edit("aq-gsi-001", indicator="tanks"),
        LEDGER,
        "indicator",
        "aq-gsi-001",
    ),
    ("unknown source", _edit("aq-gsi-001", source="nyt"), LEDGER, "source", "aq-gsi-001"),
    (
        "quote not in source",
        _edit("aq-gsi-001", quote="China gave Panama 6,000 tanks."),
        LEDGER,
        "quote",
        "aq-gsi-001",
    ),
    ("value not in quote", _edit("aq-gsi-001", value="6001"), LEDGER, "value", "aq-gsi-001"),
    ("negative count", _edit("aq-gsi-001", value="-6000"), LEDGER, "value", "aq-gsi-001"),
    ("NaN value", _edit("aq-gsi-001", value="nan"), LEDGER, "value", "aq-gsi-001"),
    ("infinite value", _edit("aq-gsi-001", value="inf"), LEDGER, "value", "aq-gsi-001"),
    ("non-numeric value", _edit("aq-gsi-001", value="six thousand"), LEDGER, "value", "aq-gsi-001"),
    ("presence not 0/1", _edit("aq-gsi-022", value="2"), LEDGER, "value", "aq-gsi-022"),
    ("reversed period", _edit("aq-gsi-008", period="2024-2012"), LEDGER, "period", "aq-gsi-008"),
    ("malformed period", _edit("aq-gsi-008", period="recently"), LEDGER, "period", "aq-gsi-008"),
    ("undated, no year", _edit("aq-gsi-008", period="by 24"), LEDGER, "period", "aq-gsi-008"),
    (
        "undated, other word",
        _edit("aq-gsi-008", period="before 2024"),
        LEDGER,
        "period",
        "aq-gsi-008",
    ),
    ("indicator kind missing", _indicator_kind(None), "indicators/indicators.yaml", "kind", 10),
    ("indicator kind unknown", _indicator_kind("both"), "indicators/indicators.yaml", "kind", 10),
    (
        "unit not fitting indicator",
        _edit("aq-gsi-001", unit="USD million"),
        LEDGER,
        "unit",
        "aq-gsi-001",
    ),
    ("unknown status", _edit("aq-gsi-001", status="rumoured"), LEDGER, "status", "aq-gsi-001"),
    (
        "conflict without group",
        _edit("aq-gsi-001", status="conflict"),
        LEDGER,
        "status",
        "aq-gsi-001",
    ),
    ("duplicate id", _duplicate_id, LEDGER, "id", 3),
    ("missing column", _drop_column, LEDGER, "quote", 1),
    ("empty file", _empty, LEDGER, None, None),
    ("wrong encoding", _latin1, LEDGER, None, "first-latin1"),
    ("ragged row", _ragged, LEDGER, None, "last"),
    ("malformed YAML", _malformed_yaml, "indicators/indicators.yaml", None, 13),
    (
        "catalogue hash mismatch",
        _hash,
        "seeds/beijings-military-diplomacy-gains.txt",
        "sha256",
        None,
    ),
    (
        "unknown unit in framework",
        _unit_yaml,
        "indicators/indicators.yaml",
        "mil_students.units",
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "mutate", "file", "field", "line"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_gives_one_clear_problem(tiny, name, mutate, file, field, line):
    mutate(tiny)
    report = validate(tiny)
    assert len(report.problems) == 1, "\n".join(map(str, report.problems))
    [problem] = report.problems
    assert problem.file.endswith(file)
    assert problem.field == field
    assert problem.line == _expected_line(tiny / file, line)
    assert problem.message


@pytest.mark.slow
def test_a_register_conflict_group_must_share_actor_and_pillar(project):
    """The tiny project has no register rows: this one breaks a copy of the full project."""
    _register_group_across_pillars(project)
    report = validate(project)
    assert len(report.problems) == 1, "\n".join(map(str, report.problems))
    [problem] = report.problems
    assert problem.file.endswith("indicators/conflicts.yaml")
    assert problem.field == "guy-chn-arms-delivery.rows"


def test_alias_in_country_column_is_resolved(tiny):
    _edit("aq-gsi-026", country="Columbia")(tiny)
    ev = load_evidence(tiny)
    assert ev.set_index("id").loc["aq-gsi-026", "country"] == "COL"


@pytest.mark.parametrize("args", [["validate"], ["evidence", "--format", "csv"]])
@pytest.mark.slow
def test_cli_bad_input_prints_no_traceback_and_writes_nothing(tiny, args):
    _edit("aq-gsi-001", country="Atlantis")(tiny)
    before = snapshot(tiny)
    result = subprocess.run(
        [sys.executable, "-m", "engagement_index.cli", "--root", str(tiny), *args],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr
    assert "aq-gsi.csv:2 [country]" in result.stderr
    assert snapshot(tiny) == before


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_csv_reader_never_fails_with_anything_but_input_error(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "ledger.csv"
    path.write_text(content, encoding="utf-8")
    try:
        read_csv_records(path, ["id", "value"])
    except InputError as exc:
        assert all(p.file == str(path) for p in exc.problems)


# --- one corrupted cell in the tiny project: reported at its file, line and field ---------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=20)
YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?|by \d{4}")


def _not_a_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


def _reversed_period(low: int, step: int) -> str:
    return f"{low + step}-{low}"


def _junk(fw, source_text: str) -> dict[str, st.SearchStrategy[str]]:
    """For each checked field, text that the checks must refuse (or an empty cell)."""
    return {
        "country": TEXT.filter(lambda s: fw.resolve_country(s) is None),
        "actor": TEXT.filter(lambda s: s.strip() not in fw.actors),
        "indicator": TEXT.filter(lambda s: s.strip() not in fw.indicators),
        "period": TEXT.filter(lambda s: not YEARS.fullmatch(s.strip()))
        | st.builds(_reversed_period, st.integers(1000, 8999), st.integers(1, 999)),
        "value": TEXT.filter(_not_a_number)
        | st.sampled_from(["nan", "inf", "-inf", "NaN"])
        | st.floats(max_value=-1e-9, allow_infinity=False).map(repr),
        "unit": TEXT.filter(lambda s: s.strip() not in fw.units),
        "status": TEXT.filter(lambda s: s.strip() not in STATUSES),
        "source": TEXT.filter(lambda s: s.strip() not in fw.sources),
        "quote": TEXT.filter(lambda s: not quote_in_text(s.strip(), source_text) or not s.strip()),
    }


def _write_lines(path: Path, rows: list[dict[str, str]]) -> list[int]:
    """Write a ledger file; return the line on which each row starts."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=LEDGER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    starts = []
    for row in rows:
        starts.append(buf.getvalue().count("\n") + 1)
        writer.writerow(row)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return starts


@pytest.fixture(scope="module")
def tiny_checked(tmp_path_factory):
    """A tiny project, its framework (loaded once) and its ledger rows."""
    root = tiny_project(tmp_path_factory.mktemp("corrupt") / "tiny")
    fw = load_framework(root)
    return fw, _rows(root / TINY_LEDGER), _junk(fw, read_text(fw.source_path("aq-gsi")))


FIELDS = ["id", "country", "actor", "indicator", "period", "value", "unit", "status", "source"]


@pytest.mark.parametrize("field", [*FIELDS, "quote"])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_one_corrupted_cell_is_reported_at_its_file_line_and_field(tiny_checked, field, data):
    fw, rows, junk = tiny_checked
    i = data.draw(st.integers(0, len(rows) - 1), label="row")
    bad = [dict(r) for r in rows]
    if field == "id":  # a duplicate of an earlier row's id, or none
        i = max(i, 1)
        bad[i]["id"] = data.draw(st.sampled_from([r["id"] for r in rows[:i]] + ["", " "]))
    else:
        bad[i][field] = data.draw(junk[field], label="junk")
    path = fw.paths.root / TINY_LEDGER
    lines = _write_lines(path, bad)
    ledger, problems = check_ledger(fw)
    assert [(p.file, p.line, p.field) for p in problems] == [(str(path), lines[i], field)]
    assert problems[0].message
    assert list(ledger["id"]) == [r["id"] for k, r in enumerate(rows) if k != i]
