"""The weight tuner (``tuner.html``): one self-contained page whose script re-scores the
compared pair under any weights, in the browser, opened from disk.

The scorecards have no script; the tuner is the one page with one. It embeds what the
Python model computed, not raw data: the normalised estimate, low and high of every cell
of the focal and the reference actor (:meth:`EngagementModel.bounded
<engagement_index.model.engagement.EngagementModel.bounded>`, points 0-100), the pillar
of every indicator and every named weight profile. Its script aggregates them as the
model does (fixed goalposts, unknown cells counted as nothing, weighted arithmetic means
of indicators into pillars and of pillars into the composite)::

    eff_i      = (w_p / sum_q w_q) * (v_i / sum_{j in p} v_j)   (a zero sum: equal shares)
    C[a, c]    = sum_i eff_i estimate[a, c, i]                  (composite, points)
    gap_low    = sum_i eff_i low[focal, c, i]  - sum_i eff_i high[reference, c, i]
    gap_high   = sum_i eff_i high[focal, c, i] - sum_i eff_i low[reference, c, i]

so its composites and gaps equal ``engagement compare --weights`` (policy ``zero``,
normaliser ``goalposts``) and its verdict classes those of
:mod:`engagement_index.model.verdicts`, which never depend on the policy.

The data are written as JSON into a ``<script type="application/json">`` block with
``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes, so no text from
data can close the block or open markup; the script places every text with
``textContent``. Nothing is loaded from the network.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup

from engagement_index.io.atomic import write_text
from engagement_index.model.engagement import EngagementModel
from engagement_index.model.weights import WeightProfile, list_profiles
from engagement_index.report.html import environment

TUNER = "tuner.html"
"""File name of the tuner page in a report directory."""
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _profile(profile: WeightProfile) -> dict:
    return {
        "name": profile.name,
        "title": profile.title,
        "pillars": dict(profile.pillars),
        "indicators": dict(profile.indicators),
    }


def tuner_data(model: EngagementModel) -> dict:
    """Everything the tuner page computes from, as plain JSON-able data.

    Parameters
    ----------
    model : EngagementModel
        Its compared pair, window and profile (the page's default preset); the other
        presets are the named profiles of ``weights/``.

    Returns
    -------
    dict
        ``actors`` (focal, reference: code, name, short, colour), ``countries`` (iso3,
        name), ``pillars`` (id, name), ``indicators`` (id, name, pillar), ``estimate``,
        ``low`` and ``high`` (nested lists [actor][country][indicator], normalised points
        0-100, at full precision so that the page's verdicts are the model's),
        ``profiles``, ``default`` (the model's profile name), ``window`` and
        ``data_version``.
    """
    fw = model.framework
    bounded = model.bounded()
    cells = bounded.cells
    profiles = {model.profile.name: model.profile}
    for p in list_profiles(fw):
        profiles.setdefault(p.name, p)
    s = model.settings
    return {
        "actors": [
            {"code": a.code, "name": a.name, "short": a.short, "colour": a.colour}
            for a in model.pair
        ],
        "countries": [{"iso3": c, "name": fw.countries[c].name} for c in cells.countries],
        "pillars": [{"id": p, "name": fw.pillars[p].name} for p in fw.pillars],
        "indicators": [
            {"id": i, "name": fw.indicators[i].name, "pillar": fw.indicators[i].pillar}
            for i in cells.indicators
        ],
        **{name: getattr(bounded, name).tolist() for name in ("estimate", "low", "high")},
        "profiles": [_profile(p) for p in profiles.values()],
        "default": model.profile.name,
        "window": f"{s.as_of - s.window + 1}-{s.as_of}",
        "data_version": model.project.data_version,
    }


def script_json(data: dict) -> Markup:
    """``data`` as JSON safe inside a ``<script>`` block (``<``, ``>``, ``&``, U+2028 and
    U+2029 escaped; ``JSON.parse`` reads them back unchanged).

    Raises
    ------
    ValueError
        For a NaN or infinite number (not JSON).
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Markup("".join(_JSON_ESCAPES.get(ch, ch) for ch in text))


def render_tuner(data: dict) -> str:
    """The tuner page for ``data``.

    Parameters
    ----------
    data : dict
        What the page embeds (:func:`tuner_data`); every text in it is escaped.

    Returns
    -------
    str
        The whole HTML page, script and style inline.
    """
    script = files("engagement_index.report").joinpath("templates", "tuner.js")
    focal, reference = data["actors"]
    return (
        environment()
        .get_template(TUNER)
        .render(
            data=data,
            focal=focal,
            reference=reference,
            data_json=script_json(data),
            script=Markup(script.read_text(encoding="utf-8")),
        )
    )


def write_tuner(model: EngagementModel, out: str | Path) -> Path:
    """Write the tuner page of ``model`` to ``out`` atomically.

    Parameters
    ----------
    model : EngagementModel
        The model whose cells, pair and profile the page embeds.
    out : str or Path
        The page's file.

    Returns
    -------
    Path
        ``out``.
    """
    target = Path(out)
    write_text(target, render_tuner(tuner_data(model)))
    return target


__all__ = ["TUNER", "render_tuner", "script_json", "tuner_data", "write_tuner"]
