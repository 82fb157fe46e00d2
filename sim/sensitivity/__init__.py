"""Global sensitivity analysis: which uncertain inputs move each final-year (2025) target gap most.

The inputs are every scalar parameter of the city data whose provenance is `assumption` (sampled
over its plausible `range`) or `calibrated` (its `range`, else its `bounds`), plus the parameters of
the measures the scenario switches on (`policies.NAME.*`, same rule). Each input is sampled
uniformly over its interval; integer-valued inputs (months, counts, levels: an integer in the data
file) are rounded to the nearest integer when applied. Lists, months, place ids, table cells and
zero-width ranges cannot be sampled as one number, and a value the scenario sets itself is part of
the question; `factors` returns them as excluded with the reason, and the output lists them
(excluded.csv), so nothing is skipped silently.

The outcome of a run is, for every target of the final target year, the *gap*
    gap = projected value - target
in the target's unit (persons, percent); cumulative targets (2021-2025 totals) use the sum over the
period. Positive = above the target: good for '>=', '=' and 'about' targets, bad for '<=' ones (the
registered unemployment rate).

Methods (through SALib, Herman & Usher 2017; Iwanaga et al. 2022):

- ``morris``: elementary effects on r trajectories over a 4-level grid (Morris 1991). ``mu_star``,
  the mean absolute effect (Campolongo, Cariboni & Saltelli 2007), is in the gap's unit: the change
  of the gap when the input moves across its whole range (a step of 2/3 of the range, rescaled);
  ``sigma`` large against ``mu_star`` means non-linearity or interactions; ``mu`` keeps the sign.
  r (k + 1) runs for k inputs.
- ``sobol``: first-order ``S1`` and total ``ST`` variance shares from Saltelli's sampling scheme
  (Saltelli 2002; estimators of Saltelli et al. 2010 / Jansen), N (k + 2) runs (no second order).

Common random numbers: every design point runs with the same seeds (seed, seed + 1, ... for the
replicates, averaged), so the difference between two points is the effect of the inputs, not of
the model's own randomness; this makes the elementary effects far less noisy than independent
seeds would. Runs go through `sim.sweep` (local process pool or Dask, one atomic Parquet part per
run, resume).

Noise floor: a few extra runs at the data's own values with different seeds give the standard
deviation sigma of each gap due to the model's randomness alone. For Morris, an input with no effect
would still show mu_star of about 2 sigma / (sqrt(pi R) delta) if the randomness were independent
between points (R replicates averaged, delta = 2/3 the step); under common random numbers this is an
upper bound. For Sobol the floor is the share of the gap's variance that noise (sigma^2 / R) could
explain. `above_noise` says whether an input's index minus its confidence half-width clears the floor.

The package: `inputs` (which data-file parameters are sampled, and what is left out and why;
a sample as scenario overrides), `methods` (SALib's Morris and Sobol samplers and analysers, the table
of indices, the noise floor), `outcomes` (the target gaps), `run` (settings, plan, the runs through
sim.sweep, the analysis of finished runs), `output` (the files, the manifest, the text summary).
"""

from __future__ import annotations

from .inputs import Excluded, Factor, active_policies, factors, overrides
from .methods import (INDEX_COLUMNS, METHODS, MORRIS_LEVELS, RANK_BY, analyse, noise_floor, problem, runs_needed,
                      sample, sensitivity_table)
from .outcomes import final_year, gaps, noise_sd, outcome_summary, outcome_targets
from .output import format_sensitivity, manifest, top, write
from .run import Plan, Settings, analyse_runs, check_out, execute, noise_spec, plan, run_overrides, spec, work_dir

__all__ = ["INDEX_COLUMNS", "METHODS", "MORRIS_LEVELS", "RANK_BY", "Excluded", "Factor", "Plan", "Settings",
           "active_policies", "analyse", "analyse_runs", "check_out", "execute", "factors", "final_year",
           "format_sensitivity", "gaps", "manifest", "noise_floor", "noise_sd", "noise_spec", "outcome_summary",
           "outcome_targets", "overrides", "plan", "problem", "run_overrides", "runs_needed", "sample",
           "sensitivity_table", "spec", "top", "work_dir", "write"]
