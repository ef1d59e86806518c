"""Heads and their Jacobians against finite differences and the closed-form facts."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from softviz import heads
from softviz.gradcheck import numerical_jacobian

logit_vectors = st.integers(2, 10).flatmap(
    lambda k: arrays(float, k, elements=st.floats(-20, 20, allow_nan=False))
)
temperatures = st.sampled_from([0.1, 0.5, 1.0, 2.0, 7.0])


@pytest.mark.parametrize("head", heads.HEADS)
@given(z=logit_vectors, t=temperatures)
def test_jacobian_matches_finite_differences(head, z, t):
    p = heads.probabilities(head, z[None], t)
    analytic = heads.jacobian(head, p, t)[0]
    numeric = numerical_jacobian(lambda v: heads.probabilities(head, v[None], t)[0], z)
    np.testing.assert_allclose(analytic, numeric, atol=1e-7)


@given(z=logit_vectors, t=temperatures)
def test_softmax_jacobian_structure(z, t):
    p = heads.probabilities("softmax", z[None], t)
    J = heads.jacobian("softmax", p, t)[0]
    k = len(z)
    np.testing.assert_allclose(J, J.T, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(J.sum(axis=1), 0, atol=1e-12)
    assert np.linalg.eigvalsh(J).min() > -1e-12  # positive semi-definite
    off_diagonal = J[~np.eye(k, dtype=bool)]
    assert np.all(off_diagonal <= 0) and np.all(np.diag(J) >= 0)
    np.testing.assert_allclose(np.diag(J), p[0] * (1 - p[0]) / t, atol=1e-15)


def test_softmax_jacobian_of_a_batch_is_diag_p_minus_p_p_transposed_per_row():
    p = heads.softmax(np.random.default_rng(1).normal(size=(3, 4)))
    expected = [np.diag(row) - np.outer(row, row) for row in p]
    for layout in (np.ascontiguousarray, np.asfortranarray):
        np.testing.assert_allclose(heads.softmax_jacobian(layout(p)), expected, atol=1e-16)


def test_softmax_jacobian_has_rank_k_minus_one():
    rng = np.random.default_rng(0)
    for k in range(2, 11):
        p = heads.probabilities("softmax", rng.normal(size=(1, k)))
        assert np.linalg.matrix_rank(heads.jacobian("softmax", p)[0]) == k - 1


@given(z=logit_vectors, t=temperatures)
def test_sigmoid_jacobian_is_diagonal(z, t):
    p = heads.probabilities("sigmoid", z[None], t)
    J = heads.jacobian("sigmoid", p, t)[0]
    np.testing.assert_array_equal(J[~np.eye(len(z), dtype=bool)], 0)


def test_softmax_ignores_a_constant_shift_and_temperature_scales_the_jacobian():
    z = np.array([[1.0, -2.0, 0.5, 3.0]])
    np.testing.assert_allclose(
        heads.probabilities("softmax", z), heads.probabilities("softmax", z + 123.0)
    )
    p = heads.probabilities("softmax", z)
    np.testing.assert_allclose(heads.jacobian("softmax", p, 4.0), heads.jacobian("softmax", p) / 4)


def test_two_way_softmax_is_sigmoid_of_the_logit_difference():
    z = np.random.default_rng(1).normal(scale=5, size=(50, 2))
    p = heads.probabilities("softmax", z)
    q = heads.sigmoid(z[:, 1] - z[:, 0])
    np.testing.assert_allclose(p[:, 1], q, atol=1e-15)
    expected = (q * (1 - q))[:, None, None] * np.array([[1, -1], [-1, 1]])
    np.testing.assert_allclose(heads.jacobian("softmax", p), expected, atol=1e-15)


@pytest.mark.parametrize("head", heads.HEADS)
def test_huge_logits_stay_finite(head):
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    p = heads.probabilities(head, z, 0.05)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(heads.jacobian(head, p, 0.05)))


def test_bad_heads_are_refused_with_a_message():
    with pytest.raises(ValueError, match="unknown head"):
        heads.probabilities("tanh", np.zeros((1, 2)))
    with pytest.raises(ValueError, match="at least 2 outputs"):
        heads.probabilities("softmax", np.zeros((1, 1)))
    with pytest.raises(ValueError, match="temperature"):
        heads.probabilities("sigmoid", np.zeros((1, 2)), temperature=0.0)
