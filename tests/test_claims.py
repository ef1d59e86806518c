"""The heads lab's live checks (softviz.claims) against independent references.

References: the formulas written out with plain NumPy exponentials, central finite
differences, and closed forms from DESIGN.md §1 — never numbers copied from claims itself.
"""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from softviz import claims, heads, losses
from softviz.gradcheck import numerical_gradient

logit_vectors = st.integers(2, 10).flatmap(
    lambda k: arrays(float, k, elements=st.floats(-8, 8, allow_nan=False))
)


def naive_softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x)
    return e / e.sum()


@given(x=logit_vectors)
def test_the_formula_as_written_is_evaluated_as_written(x):
    e = np.exp(x)
    expected = e * np.array([np.delete(x, i).sum() for i in range(x.size)]) / e.sum() ** 2
    np.testing.assert_allclose(claims.diagonal_as_written(x), expected, rtol=1e-9, atol=1e-300)


@given(x=logit_vectors)
def test_the_corrected_formula_is_p_times_one_minus_p(x):
    p = naive_softmax(x)
    np.testing.assert_allclose(claims.diagonal_corrected(x), p * (1 - p), atol=1e-15)


@given(x=logit_vectors)
def test_finite_differences_agree_with_the_closed_form_diagonal(x):
    p = naive_softmax(x)
    np.testing.assert_allclose(claims.diagonal_finite_difference(x), p * (1 - p), atol=1e-8)


def test_the_check_finds_the_written_formula_wrong_and_the_corrected_one_right():
    check = claims.check_diagonal([1.0, -0.5, 0.3])
    assert not check.saturated
    assert not check.as_written_matches and check.error_as_written > 0.1
    assert check.corrected_matches and check.error_corrected < 1e-9


def test_the_check_runs_on_the_softmax_input_z_over_t():
    z, t = np.array([2.0, -1.0, 0.5, 4.0]), 0.5
    check = claims.check_diagonal(z, t)
    np.testing.assert_allclose(check.x, z / t)
    p = naive_softmax(z / t)
    np.testing.assert_allclose(check.corrected, p * (1 - p), atol=1e-15)


def test_a_saturated_head_is_reported_as_undecidable_not_as_a_match():
    check = claims.check_diagonal([50.0, -50.0], temperature=0.05)  # x = ±1000
    assert check.saturated
    assert np.all(np.isfinite(check.as_written)) and np.all(np.isfinite(check.finite_difference))


@given(z=logit_vectors, t=st.sampled_from([0.1, 1.0, 3.0]))
def test_no_entry_of_the_softmax_jacobian_has_the_wrong_sign(z, t):
    signs = claims.check_signs(z, t)
    k = z.size
    assert signs.wrong_sign == 0
    assert signs.diagonal_positive + signs.diagonal_zero == k
    assert signs.off_diagonal_negative + signs.off_diagonal_zero == k * (k - 1)
    on = np.eye(k, dtype=bool)
    assert np.all(signs.signs[on] >= 0) and np.all(signs.signs[~on] <= 0)


@given(z=arrays(float, 6, elements=st.floats(-3, 3, allow_nan=False)))
def test_away_from_saturation_the_diagonal_is_positive_and_the_rest_negative(z):
    signs = claims.check_signs(z, 1.0)
    np.testing.assert_array_equal(signs.signs, np.where(np.eye(6, dtype=bool), 1, -1))
    assert signs.diagonal_positive == 6 and signs.off_diagonal_negative == 30


def test_underflowed_entries_are_counted_as_zero_not_as_a_sign():
    signs = claims.check_signs([50.0, -50.0, -50.0], temperature=0.05)
    assert signs.wrong_sign == 0
    assert signs.diagonal_zero == 3 and signs.off_diagonal_zero == 6


def test_jacobian_facts_measure_the_structure_design_md_states():
    z = np.array([[1.0, -2.0, 0.5, 3.0, 0.0]])
    soft = claims.jacobian_facts(heads.jacobian("softmax", heads.probabilities("softmax", z))[0])
    assert soft.max_row_sum < 1e-15 and soft.max_column_sum < 1e-15 and soft.asymmetry == 0
    assert soft.rank == 4 and soft.off_diagonal_max > 0.01
    sig = claims.jacobian_facts(heads.jacobian("sigmoid", heads.probabilities("sigmoid", z))[0])
    assert sig.off_diagonal_max == 0 and sig.rank == 5
    saturated = claims.jacobian_facts(np.zeros((3, 3)))
    assert saturated.max_abs == 0 and saturated.rank == 0


def test_the_literal_chain_rule_collapses_to_p_minus_y_for_cross_entropy():
    z, t = np.array([[1.0, -0.5, 0.3, 2.0]]), 0.7
    y = losses.targets(np.array([2]), 4)
    out = losses.head_loss("softmax", "ce", z, y, t)
    p = naive_softmax(z[0] / t)
    literal = claims.chain_rule(out.jacobian[0], out.dL_dp[0])
    np.testing.assert_allclose(literal, (p - y[0]) / t, atol=1e-14)


def test_the_literal_chain_rule_loses_the_signal_where_p_underflows():
    z, y = np.array([[1000.0, -1000.0]]), losses.targets(np.array([1]), 2)
    out = losses.head_loss("softmax", "ce", z, y)
    literal = claims.chain_rule(out.jacobian[0], out.dL_dp[0])
    assert np.all(np.isfinite(literal))
    np.testing.assert_allclose(out.dL_dz[0], [1.0, -1.0])  # p − y, exact
    assert abs(literal[1] - out.dL_dz[0, 1]) > 0.5  # 0 · huge lost it


def test_chain_split_adds_up_to_the_chain_rule():
    rng = np.random.default_rng(3)
    J, g = rng.normal(size=(5, 5)), rng.normal(size=5)
    for j in range(5):
        own, rest = claims.chain_split(J, g, j)
        assert own == pytest.approx(J[j, j] * g[j])
        assert own + rest == pytest.approx((J.T @ g)[j])


@pytest.mark.parametrize("t", [0.05, 1.0, 20.0])
def test_a_two_way_softmax_is_the_sigmoid_of_the_difference(t):
    d = np.linspace(-60, 60, 241)
    two_way = claims.two_way_identity(1.5, d, t)
    with np.errstate(over="ignore"):  # e^{1200} = inf gives the right limit, 0
        reference = 1 / (1 + np.exp(-d / t))
    np.testing.assert_allclose(two_way.sigmoid, reference, atol=1e-15)
    np.testing.assert_allclose(two_way.softmax_p1, two_way.sigmoid, atol=1e-15)
    assert two_way.max_gap < 1e-15


@pytest.mark.parametrize("head", heads.HEADS)
@pytest.mark.parametrize("t", [0.05, 1.0, 20.0])
def test_the_sweep_spans_the_turn_and_the_current_value(head, t):
    z = [1.0, -30.0, 0.3]
    grid = claims.sweep_grid(z, 1, head, t, limit=50.0)
    assert np.all(np.diff(grid) > 0) and grid[0] >= -50 and grid[-1] <= 50
    assert -30.0 in grid
    turn = 0.0 if head == "sigmoid" else t * np.log(np.exp(1.0 / t) + np.exp(0.3 / t))
    assert grid[0] <= max(turn - 10 * t, -50) and grid[-1] >= min(turn + 10 * t, 50)


@pytest.mark.parametrize("head", heads.HEADS)
def test_the_gradient_sweep_matches_finite_differences(head):
    z, y, t = np.array([0.5, -1.0, 2.0]), losses.targets(np.array([1]), 3)[0], 0.8
    grid = np.array([-6.0, -1.0, 0.0, 2.5])
    pushes = claims.gradient_sweep(head, z, y, 1, grid, t)
    for loss in ("ce", "mse"):
        for n, value in enumerate(grid):
            point = z.copy()[None]
            point[0, 1] = value
            numeric = numerical_gradient(
                lambda p=point, kind=loss: float(
                    losses.head_loss(head, kind, p, y[None], t).losses[0]
                ),
                point,
            )
            assert pushes[loss][n] == pytest.approx(abs(numeric[0, 1]), abs=1e-7)


def test_mse_lets_the_push_die_away_where_cross_entropy_keeps_it():
    z, y, t = [0.0, 0.0], losses.targets(np.array([1]), 2)[0], 1.0
    pushes = claims.gradient_sweep("softmax", z, y, 1, np.array([-40.0]), t)
    assert pushes["ce"][0] == pytest.approx(1.0)  # |p1 − 1| / T with p1 ≈ 0
    assert pushes["mse"][0] < 1e-15


def test_timing_reports_real_positive_durations_and_sees_the_dense_jacobian():
    rows = claims.time_heads(ks=(2, 400), repeats=3, min_time=5e-4)
    assert [r.k for r in rows] == [2, 400]
    for r in rows:
        times = [r.sigmoid_forward, r.softmax_forward, r.sigmoid_full, r.softmax_full]
        assert all(np.isfinite(v) and 0 < v < 1 for v in times)
        assert r.forward_ratio == pytest.approx(r.softmax_forward / r.sigmoid_forward)
    # A dense 400 × 400 Jacobian costs far more than a 2 × 2 one (160 000 vs 4 entries).
    assert rows[1].softmax_full > 5 * rows[0].softmax_full


def test_claims_does_not_import_streamlit():
    code = "import sys, softviz.claims; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
