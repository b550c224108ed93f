"""Numbers read from any file are finite decimals: no ``6_0``, ``inf``, 400-digit TIVs,
overflowing weights, or YAML booleans and strings where numbers belong."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement_index.cli.main import main
from engagement_index.composite.spec import read_pipeline
from engagement_index.composite.structure import read_structure
from engagement_index.io.errors import InputError
from engagement_index.io.readers import parse_number, read_yaml
from engagement_index.ledger.validate import validate
from engagement_index.model.ahp import read_ahp
from engagement_index.model.weights import load_profile
from tests.conftest import ROOT, TINY_LEDGER, snapshot

SIPRI = ROOT / "tests" / "fixtures" / "sipri" / "synthetic-sipri-register.csv"
COMPOSITE = ROOT / "tests" / "fixtures" / "composite"
EQUAL = "pillars: {EDU: 1, DIP: 1, ARM: 1, LAW: 1, INF: 1, FIN: 1}"
PROFILE = "name: p\ntitle: t\ndescription: d\nrationale: r\n{pillars}\n"


@pytest.mark.parametrize("text", ["6_0", "inf", "-inf", "nan", "1e400", "9" * 400, "0x10", ""])
def test_not_a_finite_decimal(text):
    with pytest.raises(ValueError, match="not a"):
        parse_number(text)


@pytest.mark.parametrize(("text", "value"), [(" 12 ", 12.0), ("-0.5", -0.5), ("1.5e3", 1500.0)])
def test_decimals(text, value):
    assert parse_number(text) == value


def test_a_400_digit_tiv_is_an_error_and_nothing_is_written(project, capsys):
    raw = project / "register.csv"
    data = SIPRI.read_bytes().replace(b",94.5,94.5\r\n", b",94.5," + b"9" * 400 + b"\r\n", 1)
    data = data.replace(b",94.5,94.5\n", b",94.5," + b"9" * 400 + b"\n", 1)
    assert b"9" * 400 in data
    raw.write_bytes(data)
    before = snapshot(project)
    assert main(["--root", str(project), "import", "sipri", str(raw)]) == 2
    err = capsys.readouterr().err
    assert f"{raw}:13 [SIPRI TIV of delivered weapons]" in err and "finite number" in err
    assert snapshot(project) == before


def test_6_0_is_not_a_ledger_value(tiny):
    path = tiny / TINY_LEDGER
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",6000,", ",6_0,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = [str(p) for p in validate(tiny).problems]
    assert f"{path}:2 [value]: '6_0' is not a number" in problems


@pytest.mark.parametrize(
    ("pillars", "message"),
    [
        (EQUAL.replace("EDU: 1", "EDU: true"), "pillars.EDU: Input should be a valid number"),
        (EQUAL.replace("EDU: 1", "EDU: '1'"), "pillars.EDU: Input should be a valid number"),
        (EQUAL.replace("EDU: 1", "EDU: .inf"), "pillars.EDU: Input should be a finite number"),
        (EQUAL.replace(": 1", ": 1.0e308"), "the weights overflow when summed"),
        (EQUAL.replace("EDU: 1", "EDU: 6_0"), "pillars.EDU: Input should be a valid number"),
    ],
)
def test_bad_weight_profiles(tmp_path, fw, pillars, message):
    path = tmp_path / "p.yaml"
    path.write_text(PROFILE.format(pillars=pillars), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_profile(fw, str(path))
    assert message in str(exc.value).replace(" [pillars.EDU]:", " pillars.EDU:")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("[EDU, DIP, 2]", "[EDU, DIP, true]"), "ratio True is not a number"),
        (("[EDU, DIP, 2]", "[EDU, DIP, 6_0]"), "is not a number"),
        (("[EDU, DIP, 2]", "[EDU, DIP, '1_0/2']"), "is not a number"),
        (("items: [EDU, DIP, ARM, LAW, INF, FIN]", "items: EDU"), "items must be a list"),
        (("items: [EDU, DIP, ARM, LAW, INF, FIN]", "items: [EDU, 1]"), "items must be a list"),
    ],
)
def test_bad_ahp_files(tmp_path, edit, message):
    text = (ROOT / "weights" / "ahp" / "example.yaml").read_text(encoding="utf-8")
    assert edit[0] in text
    path = tmp_path / "a.yaml"
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("[", r"\[")):
        read_ahp(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("range: [0, 100]", "range: [.nan, .inf]", "finite number"),
        ("methods: [arithmetic, arithmetic]", "methods: [{generalised: .nan}]", "finite number"),
        ("min_share: 0.0", "min_share: true", "valid number"),
    ],
)
def test_bad_pipeline_numbers(tmp_path, old, new, message):
    text = (COMPOSITE / "pipeline.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pipeline.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_pipeline(path)


def test_6_0_is_not_a_structure_weight(tmp_path):
    path = tmp_path / "structure.csv"
    shutil.copy(COMPOSITE / "structure.csv", path)
    path.write_text(path.read_text().replace("i3,P2,2,1", "i3,P2,6_0,1"))
    with pytest.raises(InputError, match=r"structure\.csv:4 \[weight\]: '6_0' is not a number"):
        read_structure(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("uCode,i1,i2,i3\n", "a header and no data rows"),
        ("uCode,i1,i1,i3\nA,1,2,3\n", "column 'i1' appears twice"),
        ("uCode,i1,i2,i3\nA,1,2\n", "row has 3 fields, header has 4"),
    ],
)
def test_bad_composite_data_files(tmp_path, capsys, text, message):
    data = tmp_path / "d.csv"
    data.write_text(text, encoding="utf-8")
    args = ["composite", "--data", str(data), "--structure", str(COMPOSITE / "structure.csv")]
    args += ["--pipeline", str(COMPOSITE / "pipeline.yaml"), "--out", str(tmp_path / "r.csv")]
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_yaml_text_is_data_or_one_input_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("yaml") / "t.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        read_yaml(path)
    except InputError as exc:
        assert all(p.file == str(path) for p in exc.problems)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_yaml_numbers_round_trip(tmp_path_factory, number):
    path = tmp_path_factory.mktemp("yaml") / "t.yaml"
    path.write_text(f"x: {number!r}\n", encoding="utf-8")
    assert read_yaml(path) == {"x": number}
