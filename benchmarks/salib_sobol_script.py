"""The plain-script baseline of ``engagement sensitivity --method sobol``, done with SALib.

The same job as the command, whole process: build the equal-weight model, take its pillar
scores, draw the Saltelli design with SALib (scrambled Sobol sequence, N base samples,
every pillar weight uniform within +/- 50 % of its profile weight, rescaled to sum to
one), score every country's gap on every run, analyse each country's gap with SALib's
``sobol.analyze`` (first-order and total indices, 100 bootstrap resamples) and write one
CSV. Compare whole-process times with ``benchmarks/median5.sh``::

    benchmarks/median5.sh python benchmarks/salib_sobol_script.py --samples 8192
    benchmarks/median5.sh engagement sensitivity --method sobol --samples 8192

Needs SALib (the ``bench`` extra).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import sobol as salib_analyze
from SALib.sample import sobol as salib_sample

from engagement_index.model.engagement import EngagementModel
from engagement_index.sensitivity.scores import PillarScores, profile_vector


def main() -> None:
    """Run the SALib Sobol analysis and write ``salib_sobol.csv``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=8192, help="base sample N")
    parser.add_argument("--resamples", type=int, default=100, help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="/tmp/salib-sobol", help="output folder")
    args = parser.parse_args()

    model = EngagementModel.build()
    scores = PillarScores.from_model(model)
    w0 = profile_vector(model.profile, model.pillars)
    on = np.flatnonzero(w0 > 0)
    names = [scores.pillars[i] for i in on]
    problem = {
        "num_vars": len(on),
        "names": names,
        "bounds": [[w0[i] * 0.5, w0[i] * 1.5] for i in on],
    }
    x = salib_sample.sample(
        problem, args.samples, calc_second_order=False, scramble=True, seed=args.seed
    )
    weights = np.zeros((len(x), len(scores.pillars)))
    weights[:, on] = x
    weights /= weights.sum(axis=1, keepdims=True)
    y = scores.gaps(weights)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for c, country in enumerate(scores.countries):
            if np.ptp(y[:, c]) <= 1e-12 * max(1.0, np.abs(y[:, c]).max()):
                continue  # SALib cannot analyse a constant output
            si = salib_analyze.analyze(
                problem,
                y[:, c],
                calc_second_order=False,
                num_resamples=args.resamples,
                seed=args.seed,
            )
            for j, name in enumerate(names):
                rows.append(
                    {
                        "country": country,
                        "input": name,
                        **{k: si[k][j] for k in ("S1", "S1_conf", "ST", "ST_conf")},
                    }
                )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(out / "salib_sobol.csv", index=False)


if __name__ == "__main__":
    main()
