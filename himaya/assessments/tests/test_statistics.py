"""Statistics checked against values worked out by hand (the working is in the comments)."""

import math

import pytest

from himaya.assessments import statistics as st


def test_gains():
    assert st.raw_gain(40, 70) == 30
    assert st.normalised_gain(50, 75) == 0.5  # 25 of the 50 points left
    assert st.normalised_gain(80, 70) == -0.5  # lost 10 of the 20 points left
    assert st.normalised_gain(0, 100) == 1.0


def test_normalised_gain_of_a_perfect_pre_test_is_undefined():
    assert st.normalised_gain(100, 100) is None
    assert st.normalised_gain(100, 80) is None


def test_average_ranks_share_ties():
    assert st.average_ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert st.average_ranks([5, 5, 5]) == [2, 2, 2]


def test_wilcoxon_without_ties_exact():
    # differences 5, -2, 8, 3, 10, 7, -1, 4 → |d| ranks 5, 2, 7, 3, 8, 6, 1, 4
    # W+ = 5+7+3+8+6+4 = 33, W− = 2+1 = 3, T = 3; subsets of {1..8} with sum ≤ 3:
    # {}, {1}, {2}, {3}, {1,2} = 5 of 2^8 = 256, so p = 2 × 5/256 = 0.0390625.
    pre = [50, 60, 40, 70, 30, 55, 65, 45]
    post = [55, 58, 48, 73, 40, 62, 64, 49]
    result = st.wilcoxon_signed_rank(pre, post)
    assert (result.n, result.n_zero, result.w_plus, result.w_minus) == (8, 0, 33, 3)
    assert result.method == "exact"
    assert result.p_value == pytest.approx(10 / 256)
    assert result.effect_size == pytest.approx(30 / 36)


def test_wilcoxon_with_ties_and_zero_differences():
    # differences 0, 2, 2, −1, 3, 3, 3, 0, 4, −2: the two zeros are dropped (n = 8).
    # |d| = 1 | 2 2 2 | 3 3 3 | 4 → ranks 1 | 3 3 3 | 6 6 6 | 8.
    # W+ = 3+3+6+6+6+8 = 32, W− = 1+3 = 4. Normal approximation (ties):
    # mean = 8·9/4 = 18; variance = 8·9·17/24 − [(3³−3)+(3³−3)]/48 = 51 − 1 = 50;
    # z = (32 − 18 − 0.5)/√50 = 1.9092; two-sided p = 2(1 − Φ(1.9092)) ≈ 0.0562.
    pre = [50, 50, 50, 50, 50, 50, 50, 50, 50, 50]
    post = [50, 52, 52, 49, 53, 53, 53, 50, 54, 48]
    result = st.wilcoxon_signed_rank(pre, post)
    assert (result.n, result.n_zero, result.w_plus, result.w_minus) == (8, 2, 32, 4)
    assert result.method == "normal"
    assert result.z == pytest.approx(13.5 / math.sqrt(50))
    assert result.p_value == pytest.approx(0.0562, abs=5e-4)
    assert result.effect_size == pytest.approx(28 / 36)


def test_wilcoxon_all_zero_differences_has_no_test():
    result = st.wilcoxon_signed_rank([60, 70], [60, 70])
    assert result.n == 0 and result.n_zero == 2 and result.p_value is None


def test_wilcoxon_symmetric_small_sample_is_not_significant():
    # differences 1, −2, 3, −4 → W+ = 1+3 = 4, W− = 6, T = 4; subsets of {1..4} with sum ≤ 4:
    # {}, {1}, {2}, {3}, {4}, {1,2}, {1,3} = 7 of 16 → p = 14/16 = 0.875.
    result = st.wilcoxon_signed_rank([0, 0, 0, 0], [1, -2, 3, -4])
    assert (result.w_plus, result.w_minus) == (4, 6)
    assert result.p_value == pytest.approx(14 / 16)


def test_hodges_lehmann():
    # Walsh averages of 1, 2, 3: 1, 1.5, 2, 2, 2.5, 3 → median 2; n = 3 is too small for a 95 % CI.
    hl = st.hodges_lehmann([1, 2, 3])
    assert hl.estimate == 2 and hl.low is None
    # n = 8: K = floor(18 − 1.96·√51) = floor(4.003) = 4 → 4th smallest and 4th largest of 36.
    diffs = [5, -2, 8, 3, 10, 7, -1, 4]
    hl = st.hodges_lehmann(diffs)
    walsh = sorted((diffs[i] + diffs[j]) / 2 for i in range(8) for j in range(i, 8))
    assert (hl.low, hl.high) == (walsh[3], walsh[-4])
    assert hl.low < hl.estimate < hl.high


def test_item_analysis():
    # facility 2/4; rest scores 3, 2, 1, 0: mean 1.5, sd √1.25; mean of those right 2.5
    # → r_pb = (2.5 − 1.5)/√1.25 · √(0.5/0.5) = 0.8944.
    stats = st.item_analysis([1, 1, 0, 0], [3, 2, 1, 0])
    assert stats.facility == 0.5
    assert stats.discrimination == pytest.approx(1 / math.sqrt(1.25))
    assert not stats.flagged
    assert st.item_analysis([1, 1, 1, 1], [3, 2, 1, 0]).flagged  # everyone right: tells nothing
    assert st.item_analysis([0, 0, 1, 1], [3, 2, 1, 0]).flagged  # the weaker ones get it right


from hypothesis import given  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402


def _brute_force_hl(diffs, confidence=0.95):
    from statistics import NormalDist, median

    n = len(diffs)
    walsh = sorted((diffs[i] + diffs[j]) / 2 for i in range(n) for j in range(i, n))
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    k = math.floor(n * (n + 1) / 4 - z * math.sqrt(n * (n + 1) * (2 * n + 1) / 24))
    if k < 1:
        return median(walsh), None, None
    return median(walsh), walsh[k - 1], walsh[len(walsh) - k]


@given(hs.lists(hs.integers(-20, 20).map(lambda x: x * 2.5), min_size=1, max_size=40))
def test_hodges_lehmann_matches_the_brute_force_definition(diffs):
    hl = st.hodges_lehmann(diffs)
    assert (hl.estimate, hl.low, hl.high) == pytest.approx(_brute_force_hl(diffs))
