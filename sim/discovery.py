"""Scenario discovery over a forecast's ensemble: which inputs' ranges decide whether a target is met.

For every scenario and target whose P(met) is neither near 0 nor near 1 (between `lo` and `hi`, and with
at least MIN_CASES runs of the rarer outcome), the
draws' input values are the cases and the runs' outcome (met or missed) the class; the rarer outcome is
the one of interest ("missed" when the target is met in most draws). Three steps, the last two
maintained implementations from EMA Workbench (Kwakkel 2017):

1. **screen**: an input goes on only when its Spearman rank correlation with the draw's share of runs
   of interest is significant at `alpha` after Holm's (1979) correction over all the inputs (at most
   `keep`, the strongest). Without this, PRIM on ~170 inputs and a few dozen draws finds a "condition"
   in pure noise about two times in five; with it, about one in twenty. No input passing is an answer:
   nothing inside the ranges decides the target as far as these draws can tell;
2. **PRIM** (`analysis.prim`, Friedman and Fisher 1999; its use for scenario discovery, Bryant and
   Lempert 2010): every point of the peeling trajectory restricting at most `max_dims` inputs keeps
   only its restrictions whose quasi-p-value is at most `max_qp` (Bryant and Lempert 2010), and the box
   is the one of these with the best balance of coverage (the share of cases of interest inside the
   box) and density (the share of the box's cases that are of interest), their harmonic mean; when no
   restriction is significant there is no box, which is an answer (no input range decides it);
3. **CART** (`analysis.cart`, Breiman et al. 1984) as a cross-check on the same inputs: of the leaves
   (each holding at least `mass_min` of the cases), the one with the best harmonic mean of coverage and
   density.

Coverage and density are in-sample, on the ensemble's draws: read them with the number of draws and the
quasi-p-values. The quasi-p-values treat runs as independent, while the runs of one draw share its
inputs: with several seeds per draw they overstate significance somewhat. One row per restriction (a
box restricting nothing gets one row without an input).
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from .runner import TARGET_KEYS

LO, HI = 0.05, 0.95       # P(met) outside this band: nothing to discover
KEEP, MAX_DIMS, MAX_QP, MASS_MIN, ALPHA = 3, 3, 0.05, 0.05, 0.05
MIN_CASES = 5             # fewer runs of the rarer outcome: too few to say which conditions produce it


def _ema():
    """EMA Workbench's analysis modules, imported quietly (it warns about optional extras it does not need)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("EMA").setLevel(logging.ERROR)
        from ema_workbench.analysis import cart, prim
        from ema_workbench.analysis import scenario_discovery_util as sdutil
    return prim, cart, sdutil


def cases(rows: pd.DataFrame, table: pd.DataFrame, inputs: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """x: each run's draw's values of `inputs` (one row per run); y: whether the run met the target."""
    x = table.set_index("draw").loc[rows["draw"], inputs].reset_index(drop=True).astype(float)
    return x, rows["met"].to_numpy(bool)


def screen(x: pd.DataFrame, y: np.ndarray, draw: np.ndarray, keep: int = KEEP, alpha: float = ALPHA) -> list[str]:
    """The inputs (at most `keep`, strongest first) whose Spearman rank correlation with the draw's share of
    runs of interest is significant at `alpha` after Holm's correction over all the inputs (draws are the
    independent units: the runs of a draw share its inputs)."""
    from scipy.stats import spearmanr

    share = pd.Series(y.astype(float)).groupby(draw).mean()
    first = pd.DataFrame(x).groupby(draw).first().loc[share.index]
    tests = {c: spearmanr(first[c], share) for c in first.columns if first[c].nunique() > 1}
    ranked = sorted(tests, key=lambda c: tests[c].pvalue)
    kept = []
    for i, c in enumerate(ranked):                    # Holm: the i-th smallest p against alpha / (m - i)
        if not tests[c].pvalue <= alpha / (len(ranked) - i):
            break
        kept.append(c)
    return sorted(kept, key=lambda c: -abs(tests[c].statistic))[:keep]


def prim_box(x: pd.DataFrame, y: np.ndarray, max_dims: int = MAX_DIMS, max_qp: float = MAX_QP,
             mass_min: float = MASS_MIN) -> dict:
    """PRIM's chosen box (module docstring): coverage, density, mass and the restrictions {input: (low,
    high, quasi-p)} of the inputs it restricts. Each point of the peeling trajectory restricting at most
    `max_dims` inputs is reduced to its significant restrictions (quasi-p <= max_qp); the best of them by
    the harmonic mean of coverage and density is the box (no restriction when none is significant)."""
    prim, _, sdutil = _ema()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prim.Prim(x, y, mass_min=mass_min)
        box = p.find_box()
    best = {"method": "prim", **_stats(np.ones(len(y), dtype=bool), y), "restrictions": {}, "f": -1.0}
    for i in box.peeling_trajectory.index[box.peeling_trajectory["res_dim"].between(1, max_dims)]:
        lims = box.box_lims[i]
        dims = list(sdutil._determine_restricted_dims(lims, p.box_init))
        qp = box._calculate_quasi_p(i, dims)
        kept = {d: (*_sides(lims[d], p.box_init[d]), float(max(qp[d]))) for d in dims if max(qp[d]) <= max_qp}
        stats = _stats(_inside(x, {d: v[:2] for d, v in kept.items()}), y)
        f = 2 * stats["coverage"] * stats["density"] / (stats["coverage"] + stats["density"])
        if kept and stats["mass"] >= mass_min and f > best["f"]:
            best = {"method": "prim", **stats, "restrictions": kept, "f": f}
    return {k: v for k, v in best.items() if k != "f"}


def cart_leaf(x: pd.DataFrame, y: np.ndarray, mass_min: float = MASS_MIN) -> dict:
    """CART's best leaf by the harmonic mean of coverage and density (as PRIM's box), with its restrictions
    {input: (low, high, nan)}."""
    _, cart, sdutil = _ema()
    if x.shape[1] == 1:             # ema_workbench 3.0's CART indexes names by the leaves' feature -2: needs 2 columns
        x = x.assign(_constant=0.0)
    tree = cart.CART(x, y, mass_min=max(mass_min, 1.5 / len(y)))      # a leaf holds at least one case
    tree.build_tree()
    init = sdutil._make_box(x)
    leaves = []
    for lims in tree.boxes:
        dims = list(sdutil._determine_restricted_dims(lims, init))
        kept = {d: (*_sides(lims[d], init[d]), np.nan) for d in dims}
        stats = _stats(_inside(x, {d: v[:2] for d, v in kept.items()}), y)
        f = 2 * stats["coverage"] * stats["density"] / (stats["coverage"] + stats["density"] or 1)
        leaves.append((f, {"method": "cart", **stats, "restrictions": kept}))
    return max(leaves, key=lambda leaf: leaf[0])[1]


def _sides(lim: pd.Series, init: pd.Series) -> tuple[float, float]:
    """A restriction's bounds, -inf or inf on a side the box does not restrict (its limit is the data's)."""
    low, high = float(lim.iloc[0]), float(lim.iloc[1])
    return (low if low > float(init.iloc[0]) else -np.inf), (high if high < float(init.iloc[1]) else np.inf)


def _bound(d: str, low: float, high: float) -> str:
    if np.isinf(low):
        return f"{d} <= {high:.4g}"
    return f"{d} >= {low:.4g}" if np.isinf(high) else f"{low:.4g} <= {d} <= {high:.4g}"


def _inside(x: pd.DataFrame, limits: dict[str, tuple[float, float]]) -> np.ndarray:
    keep = np.ones(len(x), dtype=bool)
    for d, (low, high) in limits.items():
        keep &= (x[d] >= low).to_numpy() & (x[d] <= high).to_numpy()
    return keep


def _stats(inside: np.ndarray, y: np.ndarray) -> dict:
    return {"coverage": float((inside & y).sum() / max(y.sum(), 1)), "density": float(y[inside].mean()) if inside.any() else 0.0,
            "mass": float(inside.mean()), "base_rate": float(y.mean())}


def discover(rows: pd.DataFrame, table: pd.DataFrame, inputs_of: dict[str, list[str]], lo: float = LO,
             hi: float = HI) -> pd.DataFrame:
    """discovery.csv: for every scenario and target with lo < P(met) < hi, the PRIM box and the CART leaf
    of the rarer outcome, one row per restriction."""
    out = []
    for (scen, *keys), g in rows.groupby(["scenario", *TARGET_KEYS], sort=False):
        p = float(g["met"].mean())
        if not lo < p < hi or not inputs_of.get(scen):
            continue
        x, met = cases(g, table, inputs_of[scen])
        interest, y = ("met", met) if p <= 0.5 else ("missed", ~met)
        if y.sum() < MIN_CASES:
            continue
        chosen = screen(x, y, g["draw"].to_numpy())
        if not chosen:
            out += _rows(NOTHING | _stats(np.ones(len(y), dtype=bool), y), head(scen, keys, p, interest, g))
            continue
        for found in (prim_box(x[chosen], y), cart_leaf(x[chosen], y)):
            out += _rows(found, head(scen, keys, p, interest, g))
    return pd.DataFrame(out)


NOTHING = {"method": "screen", "restrictions": {}}


def head(scen: str, keys, p: float, interest: str, g: pd.DataFrame) -> dict:
    return {"scenario": scen, **dict(zip(TARGET_KEYS, keys, strict=True)), "prob_met": p, "outcome_of_interest": interest,
            "runs": len(g), "draws": g["draw"].nunique()}


def _rows(found: dict, head: dict) -> list[dict]:
    stats = {k: found[k] for k in ("method", "coverage", "density", "mass", "base_rate")}
    rule = " and ".join(_bound(d, lo, hi) for d, (lo, hi, _) in found["restrictions"].items()) or "(no restriction)"
    if not found["restrictions"]:
        return [{**head, **stats, "input": "", "low": np.nan, "high": np.nan, "quasi_p": np.nan, "rule": rule}]
    return [{**head, **stats, "input": d, "low": lo, "high": hi, "quasi_p": qp, "rule": rule}
            for d, (lo, hi, qp) in found["restrictions"].items()]


def sentence(group: pd.DataFrame) -> str:
    """One discovery row group (a scenario, target and method) as a sentence for the report."""
    r = group.iloc[0]
    if r["method"] == "screen":
        return ("no input is significantly related to the outcome over these draws (Spearman, Holm-corrected): "
                "nothing inside the ranges decides it as far as they can tell")
    if not r["input"] or r["input"] != r["input"]:
        return "no input range with a significant effect (every restriction's quasi-p-value above the threshold)"
    return (f"{r['outcome_of_interest']} in {r['density']:.0%} of the runs where {r['rule']} "
            f"(coverage {r['coverage']:.0%}, {r['mass']:.0%} of the runs; {r['outcome_of_interest']} in "
            f"{r['base_rate']:.0%} of all runs)")
