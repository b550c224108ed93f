"""``engagement sensitivity``: uncertainty, Sobol, one-at-a-time and tipping-point runs.

Options are checked before the model is built; bad input writes nothing (exit 2). CSV
outputs go atomically into ``--out`` (default ``reports/sensitivity``), a summary table
to the terminal, a progress bar to standard error on a terminal.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from engagement_index.cli.model import add_model_options, model_from
from engagement_index.cli.options import (
    BYTES_PER_RESAMPLE_AND_SAMPLE,
    MEMORY_BUDGET,
    add_force,
    bootstrap,
    fraction,
    output_dir,
    positive,
    refuse_protected,
    samples,
    seed,
)

if TYPE_CHECKING:
    import numpy as np

    from engagement_index.sensitivity.scores import PillarScores

METHODS = ("uncertainty", "sobol", "factors", "oat", "tipping")
DEFAULT_SAMPLES = {
    "uncertainty": 10_000,
    "sobol": 1024,
    "factors": 256,
    "oat": 101,
    "tipping": None,
}
SOBOL_DESIGNS = ("sobol", "factors")
"""Methods whose base sample size must be a power of two."""


def _check(args: argparse.Namespace) -> None:
    from engagement_index.io.errors import InputError, Problem

    problems = []

    def bad(option: str, message: str) -> None:
        problems.append(Problem(option, None, None, message))

    n = args.samples  # ranges and the memory guard: checked by argparse (cli/options.py)
    if args.method in SOBOL_DESIGNS and n is not None and n & (n - 1):
        bad("--samples", f"Sobol needs a power of two base sample size, e.g. 1024 (got {n})")
    if args.method in SOBOL_DESIGNS:
        base = n or DEFAULT_SAMPLES[args.method]
        if args.bootstrap * base * BYTES_PER_RESAMPLE_AND_SAMPLE > MEMORY_BUDGET:
            most = MEMORY_BUDGET // (BYTES_PER_RESAMPLE_AND_SAMPLE * base)
            bad("--bootstrap", f"at most {most:,} resamples with {base:,} base samples (memory)")
    if args.method == "tipping" and n is not None:
        bad("--samples", "tipping points are exact: --samples does not apply")
    if args.vary_methods and args.method != "uncertainty":
        bad("--vary-methods", "applies to --method uncertainty only")
    if problems:
        raise InputError(problems)


def _run(args: argparse.Namespace, model, scores: PillarScores, w0: np.ndarray):
    """(result, {file name: table}, summary table) of the chosen method."""
    n = args.samples or DEFAULT_SAMPLES[args.method]
    if args.method == "uncertainty":
        from engagement_index.sensitivity.methods import method_choices
        from engagement_index.sensitivity.uncertainty import uncertainty

        scenarios = method_choices(model, progress=True) if args.vary_methods else None
        r = uncertainty(
            scores, w0, n, args.sampler, args.concentration, args.spread, args.seed, scenarios
        )
        cols = ["country", "leader", "gap", "gap_p05", "gap_p50", "gap_p95", "p_focal_leads"]
        cols += ["rank_gap", "rank_gap_p05", "rank_gap_p95"]
        files = {"uncertainty.csv": r.countries, "uncertainty_region.csv": r.region}
        return r, files, r.countries[cols]
    if args.method == "sobol":
        from engagement_index.sensitivity.sobol import sobol_analysis

        r = sobol_analysis(scores, w0, n, args.bootstrap, args.spread, args.seed, progress=True)
        return r, {"sobol.csv": r.table}, _total_indices(r.table, r.settings["inputs"])
    if args.method == "factors":
        from engagement_index.sensitivity.factors import factor_drivers
        from engagement_index.sensitivity.sobol import SobolResult

        t = factor_drivers(model, n, args.bootstrap, args.spread, args.seed, progress=True)
        inputs = list(dict.fromkeys(t["input"]))
        r = SobolResult(t, {"inputs": inputs, **t.attrs})
        return r, {"factors.csv": t}, _total_indices(t, inputs)
    if args.method == "oat":
        import pandas as pd

        from engagement_index.sensitivity.oat import oat

        r = oat(scores, w0, n)
        t = r.tornado
        flips = t[t["leader_changes"]].groupby("country", sort=False)["pillar"].agg(" ".join)
        summary = pd.DataFrame({"country": scores.countries})
        summary["pillars_whose_sweep_flips_the_leader"] = summary["country"].map(flips).fillna("-")
        return r, {"oat.csv": r.sweep, "oat_tornado.csv": t}, summary
    from engagement_index.sensitivity.tipping import tipping_points

    r = tipping_points(scores, w0, seed=args.seed)
    cols = ["country", "leader", "gap", "flips", "distance", "new_leader", "method", "verified"]
    return r, {"tipping.csv": r.table}, r.table[cols]


def _total_indices(table, inputs: list[str]):
    """The terminal summary of a Sobol table: one row per country, ``ST_<input>``."""
    import numpy as np

    summary = table.pivot(index="country", columns="input", values="ST")
    summary = summary.loc[list(dict.fromkeys(table["country"])), inputs]
    summary = summary.map(lambda v: "NaN" if np.isnan(v) else f"{v:.2f}")
    summary.columns = [f"ST_{c}" for c in summary.columns]
    return summary.reset_index()


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    import io

    from engagement_index.io.atomic import write_together
    from engagement_index.io.export import render
    from engagement_index.sensitivity.scores import PillarScores, profile_vector

    _check(args)
    refuse_protected(args, args.out)
    model = model_from(args)
    scores = PillarScores.from_model(model)
    w0 = profile_vector(model.profile, model.pillars)
    result, files, summary = _run(args, model, scores, w0)
    out = Path(args.out)
    outputs: dict[Path, str | bytes] = {out / n: render(t, "csv") for n, t in files.items()}
    if args.plot:
        png = io.BytesIO()
        result.plot().savefig(png, format="png", dpi=120)
        outputs[out / f"{args.method}.png"] = png.getvalue()
    written = write_together(outputs)  # every CSV and the chart, or none
    print(render(summary, "table"), end="")
    if args.method == "uncertainty":
        print(render(result.region, "table"), end="")
    if args.method == "factors":
        left_out = ", ".join(result.settings["readings left out"]) or "none"
        print(f"note: readings left out of the design (some country has no gap): {left_out}")
    print(
        f"recipe {model.recipe_hash()}: weights {model.profile.name}, method {args.method}, "
        f"seed {args.seed}"
    )
    for path in written:
        print(f"wrote {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``engagement sensitivity`` to the CLI."""
    p = sub.add_parser(
        "sensitivity",
        help="uncertainty, Sobol indices (weights; weights and method choices), "
        "one-at-a-time sweeps, tipping points",
    )
    p.add_argument("--method", required=True, choices=METHODS)
    add_model_options(p)
    p.add_argument(
        "--samples",
        type=samples,
        help="draws (uncertainty, default 10000), base sample N, a power of two (sobol, "
        "default 1024; factors, default 256), grid points per pillar (oat, default 101)",
    )
    p.add_argument("--seed", type=seed, default=0, help="random seed (same seed, same numbers)")
    p.add_argument(
        "--out", type=output_dir, default="reports/sensitivity", help="output folder for the CSVs"
    )
    p.add_argument("--sampler", choices=["dirichlet", "uniform"], default="dirichlet")
    p.add_argument(
        "--concentration", type=positive, default=50.0, help="Dirichlet total concentration"
    )
    p.add_argument(
        "--spread",
        type=fraction,
        default=0.5,
        help="relative half-width of uniform weights (uniform sampler, sobol, factors), "
        "0.5 = +/-50%%",
    )
    p.add_argument(
        "--bootstrap", type=bootstrap, default=100, help="bootstrap resamples (sobol, factors)"
    )
    p.add_argument(
        "--vary-methods",
        action="store_true",
        help="uncertainty: also draw the method choices: policy, normaliser, aggregator, "
        "window length, presence rule, one source left out (builds 24 models)",
    )
    p.add_argument("--plot", action="store_true", help="also save the figure as PNG")
    add_force(p)
    p.set_defaults(func=_cmd_sensitivity)
