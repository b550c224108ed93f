from pathlib import Path

import pytest

from engagement_index import InputError, load_framework


def test_framework_loads_with_33_countries_and_every_pillar_used():
    fw = load_framework()
    assert len(fw.countries) == 33
    assert {i.pillar for i in fw.indicators.values() if i.scored} == set(fw.pillars)
    # only the unscored `context` indicator has no pillar; every indicator has a kind
    assert [i.id for i in fw.indicators.values() if i.pillar is None] == ["context"]
    assert {i.kind for i in fw.indicators.values()} == {"flow", "stock"}
    assert set(fw.sources) == {"diplomat-ven", "rucn-ven", "aq-gsi", "aq-mildip", "kashin2024"}


def test_a_scored_indicator_needs_a_pillar():
    from pydantic import ValidationError

    from engagement_index.ledger.schema import Indicator

    spec = load_framework().indicators["context"].model_dump()
    with pytest.raises(ValidationError, match="a scored indicator needs a pillar"):
        Indicator.model_validate({**spec, "scored": True})


@pytest.mark.parametrize(
    ("label", "iso3"),
    [
        ("Columbia", "COL"),
        ("colombia", "COL"),
        ("Saint Vincent", "VCT"),
        ("the bahamas", "BHS"),
        ("LAC", "LAC"),
        ("Atlantis", None),
    ],
)
def test_country_names_and_aliases_resolve(label, iso3):
    assert load_framework().resolve_country(label) == iso3


def test_every_scored_indicator_names_a_measure_for_usa_and_china():
    for ind in (i for i in load_framework().indicators.values() if i.scored):
        assert {"USA", "CHN"} <= set(ind.measures), ind.id


@pytest.mark.data
def test_seeds_are_byte_identical_to_shared_copies():
    shared = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is absent: nothing to compare the copies with")
    fw = load_framework()
    for source in fw.sources.values():
        assert (shared / source.original_file).read_bytes() == fw.source_path(
            source.id
        ).read_bytes()


def test_hash_mismatch_is_reported(project: Path):
    doc = project / "seeds" / "chinas-quiet-security-push.txt"
    doc.write_bytes(doc.read_bytes() + b" ")
    with pytest.raises(InputError) as err:
        load_framework(project)
    [problem] = err.value.problems
    assert problem.field == "sha256" and problem.file.endswith("chinas-quiet-security-push.txt")


def test_a_key_written_twice_in_yaml_is_an_error_naming_its_line(tmp_path):
    from engagement_index.io.readers import read_yaml

    path = tmp_path / "profile.yaml"
    path.write_text("name: x\npillars:\n  EDU: 1\n  DIP: 2\n  EDU: 5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_yaml(path)
    [problem] = err.value.problems
    assert problem.line == 5 and "duplicate key 'EDU' (first at line 3)" in problem.message
