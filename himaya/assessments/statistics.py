"""Learning-gain statistics, written out so that every figure can be checked by hand.

- raw gain: post − pre (percentage points);
- normalised gain (Hake): g = (post − pre) / (100 − pre), undefined when pre = 100;
- Wilcoxon signed-rank test on paired scores: zero differences dropped (Wilcoxon's method),
  tied |differences| get their average rank, two-sided p from the exact distribution of W+ when
  n ≤ 25 and there are no ties, otherwise from the normal approximation with tie correction
  and continuity correction;
- effect size: matched-pairs rank-biserial correlation r = (W+ − W−) / (W+ + W−);
- Hodges–Lehmann estimate of the median difference (median of the Walsh averages) with its
  confidence interval from the order statistics of the Walsh averages.
- item analysis: facility (share correct) and discrimination (point-biserial correlation of the
  item with the rest of the test).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist, fmean

EXACT_MAX_N = 25


def raw_gain(pre: float, post: float) -> float:
    return post - pre


def normalised_gain(pre: float, post: float) -> float | None:
    """Hake's g; None when the pre-test was perfect (nothing left to gain)."""
    if pre >= 100:
        return None
    return (post - pre) / (100 - pre)


def average_ranks(values: list[float]) -> list[float]:
    """Ranks 1..n of the values, ties sharing the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        rank = (i + j + 2) / 2
        for k in range(i, j + 1):
            ranks[order[k]] = rank
        i = j + 1
    return ranks


@lru_cache(maxsize=64)
def _exact_counts(n: int) -> tuple[int, ...]:
    """Number of sign assignments giving each value of W+ for ranks 1..n (no ties)."""
    top = n * (n + 1) // 2
    counts = [1] + [0] * top
    for rank in range(1, n + 1):
        for total in range(top, rank - 1, -1):
            counts[total] += counts[total - rank]
    return tuple(counts)


@dataclass
class WilcoxonResult:
    n: int  # pairs with a non-zero difference
    n_zero: int
    w_plus: float
    w_minus: float
    statistic: float  # min(W+, W−)
    z: float | None
    p_value: float | None
    method: str  # "exact" or "normal"
    effect_size: float | None  # matched-pairs rank-biserial correlation


def wilcoxon_signed_rank(pre: list[float], post: list[float]) -> WilcoxonResult:
    if len(pre) != len(post):
        raise ValueError("pre and post must be paired")
    differences = [b - a for a, b in zip(pre, post, strict=True)]
    non_zero = [d for d in differences if d != 0]
    n = len(non_zero)
    n_zero = len(differences) - n
    if n == 0:
        return WilcoxonResult(0, n_zero, 0.0, 0.0, 0.0, None, None, "none", None)
    ranks = average_ranks([abs(d) for d in non_zero])
    w_plus = sum(r for r, d in zip(ranks, non_zero, strict=True) if d > 0)
    w_minus = sum(r for r, d in zip(ranks, non_zero, strict=True) if d < 0)
    statistic = min(w_plus, w_minus)
    effect = (w_plus - w_minus) / (w_plus + w_minus)
    has_ties = len({abs(d) for d in non_zero}) < n
    if n <= EXACT_MAX_N and not has_ties:
        counts = _exact_counts(n)
        total = 2**n
        tail = sum(counts[: int(statistic) + 1]) / total
        return WilcoxonResult(
            n, n_zero, w_plus, w_minus, statistic, None, min(1.0, 2 * tail), "exact", effect
        )
    mean = n * (n + 1) / 4
    tie_groups: dict[float, int] = {}
    for value in (abs(d) for d in non_zero):
        tie_groups[value] = tie_groups.get(value, 0) + 1
    tie_term = sum(t**3 - t for t in tie_groups.values()) / 48
    variance = n * (n + 1) * (2 * n + 1) / 24 - tie_term
    if variance <= 0:
        return WilcoxonResult(n, n_zero, w_plus, w_minus, statistic, None, None, "normal", effect)
    deviation = w_plus - mean
    correction = 0.5 * math.copysign(1, deviation) if deviation else 0.0
    z = (deviation - correction) / math.sqrt(variance)
    p = 2 * (1 - NormalDist().cdf(abs(z)))
    return WilcoxonResult(n, n_zero, w_plus, w_minus, statistic, z, min(1.0, p), "normal", effect)


@dataclass
class HodgesLehmann:
    estimate: float
    low: float | None
    high: float | None
    confidence: float


def hodges_lehmann(differences: list[float], confidence: float = 0.95) -> HodgesLehmann | None:
    """Median of the Walsh averages (d_i + d_j)/2, i ≤ j, with a distribution-free interval:
    the K-th smallest and K-th largest Walsh averages, K from the normal approximation of the
    signed-rank distribution (Hollander & Wolfe)."""
    n = len(differences)
    if n == 0:
        return None
    walsh = _WalshAverages(differences)
    total = walsh.total
    if total % 2:
        estimate = walsh.kth(total // 2 + 1)
    else:
        estimate = (walsh.kth(total // 2) + walsh.kth(total // 2 + 1)) / 2
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    k = math.floor(n * (n + 1) / 4 - z * math.sqrt(n * (n + 1) * (2 * n + 1) / 24))
    if k < 1:
        return HodgesLehmann(estimate, None, None, confidence)
    return HodgesLehmann(estimate, walsh.kth(k), walsh.kth(total - k + 1), confidence)


class _WalshAverages:
    """The n(n+1)/2 Walsh averages (d_i + d_j)/2, i ≤ j, kept as (value, multiplicity) from the
    distinct differences: scores take few distinct values, so a cohort of 5,000 needs a few
    thousand pairs of values instead of 12.5 million averages."""

    def __init__(self, differences: list[float]):
        counts: dict[float, int] = {}
        for d in differences:
            counts[d] = counts.get(d, 0) + 1
        values = sorted(counts)
        pairs: dict[float, int] = {}
        for a_index, a in enumerate(values):
            ca = counts[a]
            pairs[a] = pairs.get(a, 0) + ca * (ca + 1) // 2
            for b in values[a_index + 1 :]:
                mid = (a + b) / 2
                pairs[mid] = pairs.get(mid, 0) + ca * counts[b]
        self.items = sorted(pairs.items())
        self.total = sum(c for _v, c in self.items)

    def kth(self, k: int) -> float:
        """The k-th smallest Walsh average, k from 1."""
        seen = 0
        for value, count in self.items:
            seen += count
            if seen >= k:
                return value
        return self.items[-1][0]


@dataclass
class ItemStats:
    facility: float | None  # share of respondents who got it right
    discrimination: float | None  # point-biserial correlation with the rest score
    flagged: bool


def item_analysis(item_scores: list[int], rest_scores: list[float]) -> ItemStats:
    """Facility and discrimination of one item: item_scores are 0/1 per respondent, rest_scores
    their total on the other items. Flags items that are too easy or hard (facility < 0.2 or
    > 0.95) or that do not discriminate (r < 0.2)."""
    n = len(item_scores)
    if n == 0:
        return ItemStats(None, None, False)
    facility = sum(item_scores) / n
    discrimination = None
    if n >= 3 and 0 < facility < 1:
        mean_rest = fmean(rest_scores)
        sd_rest = math.sqrt(sum((x - mean_rest) ** 2 for x in rest_scores) / n)
        if sd_rest > 0:
            mean_right = fmean([r for r, s in zip(rest_scores, item_scores, strict=True) if s])
            discrimination = (
                (mean_right - mean_rest) / sd_rest * math.sqrt(facility / (1 - facility))
            )
    flagged = (
        facility < 0.2 or facility > 0.95 or (discrimination is not None and discrimination < 0.2)
    )
    return ItemStats(facility, discrimination, flagged)
