"""Scenario files: an edit of every row must say so, periods run forwards, an added
presence is 0 or 1, cited ids exist."""

from __future__ import annotations

import pytest

from engagement_index.io.errors import InputError
from engagement_index.scenarios import read_scenario

HEAD = "name: s\ntitle: t\ndescription: d\nrationale: r\nsources: [{source}]\nedits:\n"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("{op: set, value: 0}", "edits every ledger row; say `all: true`"),
        ("{op: scale, factor: 2}", "edits every ledger row"),
        ("{op: remove, country: VEN, period: 2019-2010}", "period 2019-2010 ends before"),
        (
            "{op: add, country: VEN, actor: CHN, indicator: police_stations, period: '2025', "
            "value: 7, unit: presence, hypothetical: true}",
            "a presence is 0 or 1",
        ),
        ("{op: set, country: VEN, value: true}", "Input should be a valid number"),
    ],
)
def test_bad_edits(tmp_path, fw, edit, message):
    path = tmp_path / "s.yaml"
    path.write_text(HEAD.format(source="aq-gsi") + f"  - {edit}\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_scenario(path, fw)


def test_all_true_edits_every_row(tmp_path, fw):
    path = tmp_path / "s.yaml"
    path.write_text(HEAD.format(source="aq-gsi") + "  - {op: scale, factor: 2, all: true}\n")
    assert read_scenario(path, fw).edits[0].all


def test_unknown_cited_ids(tmp_path, fw, ledger):
    path = tmp_path / "s.yaml"
    path.write_text(HEAD.format(source="aq-gsi-999") + "  - {op: remove, country: VEN}\n")
    ids = set(ledger["id"])
    with pytest.raises(InputError, match="'aq-gsi-999' is neither a ledger id nor a source"):
        read_scenario(path, fw, ids)
    path.write_text(HEAD.format(source="aq-gsi-022") + "  - {op: remove, country: VEN}\n")
    assert read_scenario(path, fw, ids).sources == ["aq-gsi-022"]
