"""The weight tuner page (``tuner.html``): it embeds the cells whose aggregation gives the
numbers of ``engagement compare``, loads nothing from the network, keeps text from data
out of its markup and script, and is written by ``engagement tuner``.

The browser recomputing the table is tested in ``test_tuner_browser.py``."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from engagement_index.cli.main import main
from engagement_index.model.weights import WeightProfile
from engagement_index.report.tuner import render_tuner, script_json, tuner_data

pytestmark = pytest.mark.slow  # builds the model

HOSTILE = "</script><script>alert(1)</script> & \u2028 <!--"


@pytest.fixture(scope="module")
def data(model) -> dict:
    return tuner_data(model)


def _json_block(page: str) -> str:
    m = re.search(r'<script type="application/json" id="tuner-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return m.group(1)


def _effective(data: dict, profile: dict) -> np.ndarray:
    """The page's effective weights (pillar share x share within the pillar)."""
    total = sum(profile["pillars"].values())
    pillar_share = {p: w / total for p, w in profile["pillars"].items()}
    v = np.array([profile["indicators"].get(i["id"], 1.0) for i in data["indicators"]])
    eff = np.empty(len(v))
    for pillar, share in pillar_share.items():
        members = np.array([i["pillar"] == pillar for i in data["indicators"]])
        eff[members] = share * v[members] / v[members].sum()
    return eff


def test_embedded_cells_give_the_models_numbers(model, data):
    est, low, high = (np.array(data[k]) for k in ("estimate", "low", "high"))
    focal, reference = (a["code"] for a in data["actors"])
    names = [p["name"] for p in data["profiles"]]  # the shipped ones, and any local draft
    assert {"equal", "gsi-lens", "hard-security"} <= set(names) and names[0] == "equal"
    for profile in data["profiles"]:
        eff = _effective(data, profile)
        cmp = model.compare(WeightProfile(description="", rationale="", **profile))
        cmp = cmp.set_index("country").loc[[c["iso3"] for c in data["countries"]]]
        np.testing.assert_allclose(est[0] @ eff, cmp[focal], atol=1e-4)
        np.testing.assert_allclose(est[1] @ eff, cmp[reference], atol=1e-4)
        np.testing.assert_allclose(low[0] @ eff - high[1] @ eff, cmp["gap_low"], atol=1e-4)
        np.testing.assert_allclose(high[0] @ eff - low[1] @ eff, cmp["gap_high"], atol=1e-4)
    s = model.settings
    assert data["default"] == model.profile.name
    assert data["window"] == f"{s.as_of - s.window + 1}-{s.as_of}"


def test_the_page_loads_nothing_from_the_network(data):
    page = render_tuner(data)
    assert page.count("<script") == 2  # the data block and the tuner's code
    for banned in ("http://", "https://", "fetch(", "XMLHttpRequest", "import(", "url(", "<link"):
        assert banned not in page, banned
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*//""", page, re.I)
    assert not re.search(r"""<(img|iframe|object|embed|audio|video)\b""", page, re.I)


def test_text_from_data_stays_text(data):
    hostile = json.loads(json.dumps(data))
    hostile["countries"][0]["name"] = HOSTILE
    hostile["indicators"][0]["name"] = HOSTILE
    hostile["profiles"][0]["title"] = HOSTILE
    page = render_tuner(hostile)
    assert "<script>alert(1)" not in page and "<!--" not in page
    block = _json_block(page)
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"}
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in block
    assert "\\u0026 \\u2028 \\u003c!--" in block
    assert json.loads(block) == hostile
    # markup the template writes from data is entity-escaped
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page


def test_script_json_refuses_what_json_cannot_hold():
    with pytest.raises(ValueError):
        script_json({"x": float("nan")})


def test_cli_writes_the_tuner_for_any_pair(tmp_path, capsys):
    out = tmp_path / "t.html"
    code = main(["tuner", "--actors", "RUS,USA", "--weights", "hard-security", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    data = json.loads(_json_block(out.read_text(encoding="utf-8")))
    assert [a["code"] for a in data["actors"]] == ["RUS", "USA"]
    assert data["default"] == "hard-security"
    n = len(data["countries"])
    assert np.array(data["estimate"]).shape == (2, n, len(data["indicators"]))
    assert list(tmp_path.iterdir()) == [out]
