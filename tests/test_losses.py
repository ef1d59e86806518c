"""Losses: ∂L/∂z against finite differences, the label encodings of DESIGN.md, stability."""

import itertools

import numpy as np
import pytest

from softviz import heads, losses
from softviz.gradcheck import numerical_gradient, relative_error

COMBOS = [("sigmoid", "ce"), ("sigmoid", "bce"), ("sigmoid", "mse"), ("softmax", "ce"),
          ("softmax", "mse")]  # fmt: skip


@pytest.mark.parametrize(
    ("head", "loss", "k"),
    [(h, loss, k) for h, loss in COMBOS for k in (1, 2, 3, 7) if not (h == "softmax" and k == 1)],
)
@pytest.mark.parametrize("t", [0.3, 1.0, 2.5])
def test_dL_dz_and_dL_dp_match_finite_differences(head, loss, k, t):
    rng = np.random.default_rng(k)
    z = rng.normal(scale=2, size=(6, k))
    y = losses.targets(rng.integers(0, max(k, 2), size=6), k)
    out = losses.head_loss(head, loss, z, y, t)
    numeric_z = numerical_gradient(lambda: losses.head_loss(head, loss, z, y, t).losses.sum(), z)
    assert relative_error(out.dL_dz, numeric_z) < 1e-7
    # ∂L/∂p checked on the loss written on probabilities; every loss here is a sum of
    # per-entry terms, so each entry gets a step scaled to its distance from 0 and 1.
    kind = losses.resolve_loss(head, loss)
    per_entry = {"ce": lambda p: -y * np.log(p),
                 "bce": lambda p: -(y * np.log(p) + (1 - y) * np.log1p(-p)),
                 "mse": lambda p: 0.5 * (p - y) ** 2}[kind]  # fmt: skip
    p = out.probs
    eps = 1e-6 if kind == "mse" else 1e-4 * np.minimum(p, 1 - p)
    p_plus, p_minus = p + eps, p - eps  # divide by the step as actually represented
    numeric_p = (per_entry(p_plus) - per_entry(p_minus)) / (p_plus - p_minus)
    assert relative_error(out.dL_dp, numeric_p) < 1e-6
    chain = np.einsum("nkj,nk->nj", out.jacobian, out.dL_dp)
    np.testing.assert_allclose(out.dL_dz, chain, atol=1e-9)


def test_cross_entropy_collapses_to_p_minus_y():
    z = np.array([[2.0, -1.0, 0.5]])
    y = losses.targets(np.array([1]), 3)
    out = losses.head_loss("softmax", "ce", z, y)
    np.testing.assert_allclose(out.dL_dz, out.probs - y, atol=1e-15)


def test_mse_gradient_vanishes_when_confidently_wrong():
    y = losses.targets(np.array([1]), 1)
    confident_wrong = losses.head_loss("sigmoid", "mse", np.array([[-12.0]]), y)
    ce = losses.head_loss("sigmoid", "ce", np.array([[-12.0]]), y)
    assert abs(confident_wrong.dL_dz[0, 0]) < 1e-5 < 0.99 < abs(ce.dL_dz[0, 0])


def test_target_encodings_follow_the_design_table():
    t = np.array([0, 1, 1])
    np.testing.assert_array_equal(losses.targets(t, 1), [[0], [1], [1]])
    np.testing.assert_array_equal(losses.targets(t, 2), [[1, 0], [0, 1], [0, 1]])
    np.testing.assert_array_equal(losses.targets(np.array([2]), 4), [[0, 0, 1, 0]])
    assert losses.resolve_loss("sigmoid", "ce") == "bce"


def test_labels_of_every_integer_kind_are_accepted_and_out_of_range_ones_refused():
    for y in (np.array([0, 2, 1], np.uint8), np.array([0, 2, 1], ">i4"), [0.0, 2.0, 1.0]):
        np.testing.assert_array_equal(losses.targets(y, 3), np.eye(3)[[0, 2, 1]])
    np.testing.assert_array_equal(losses.targets(np.array([True, False]), 1), [[1], [0]])
    assert losses.targets(np.array([], int), 3).shape == (0, 3)
    for bad in (np.array([0, -1]), np.array([-128], np.int8), np.array([3], np.uint16)):
        with pytest.raises(ValueError, match="labels must lie in 0 … 2"):
            losses.targets(bad, 3)


@pytest.mark.parametrize(("head", "loss"), COMBOS)
def test_head_loss_does_not_depend_on_memory_layout(head, loss):
    # The network hands the head column-major logits and targets (MLP._output_layer).
    rng = np.random.default_rng(5)
    z = rng.normal(scale=2, size=(6, 3))
    y = np.eye(3)[rng.integers(0, 3, size=6)]
    rows = losses.head_loss(head, loss, np.ascontiguousarray(z), np.ascontiguousarray(y), 0.7)
    cols = losses.head_loss(head, loss, np.asfortranarray(z), np.asfortranarray(y), 0.7)
    for name in ("losses", "probs", "jacobian", "dL_dp", "dL_dz"):
        np.testing.assert_allclose(getattr(cols, name), getattr(rows, name), rtol=1e-14)


def test_losses_match_their_textbook_definitions():
    z = np.array([[0.3, -1.2]])
    y = losses.targets(np.array([1]), 2)
    p = heads.softmax(z)
    assert losses.head_loss("softmax", "ce", z, y).losses[0] == pytest.approx(-np.log(p[0, 1]))
    q = heads.sigmoid(z)
    bce = -(y * np.log(q) + (1 - y) * np.log(1 - q)).sum()
    assert losses.head_loss("sigmoid", "ce", z, y).losses[0] == pytest.approx(bce)


@pytest.mark.parametrize(("head", "loss"), COMBOS)
def test_logits_of_1e4_give_finite_losses_and_gradients(head, loss):
    for z in itertools.product([1e4, -1e4], repeat=2):
        for label in (0, 1):
            y = losses.targets(np.array([label]), 2)
            out = losses.head_loss(head, loss, np.array([z]), y)
            for value in (out.losses, out.dL_dz, out.dL_dp, out.jacobian):
                assert np.all(np.isfinite(value)), (z, label, value)


def test_bad_labels_and_losses_are_refused():
    with pytest.raises(ValueError, match="labels must lie in 0 … 1"):
        losses.targets(np.array([0, 2]), 1)
    with pytest.raises(ValueError, match="whole numbers"):
        losses.targets(np.array([0.5]), 2)
    with pytest.raises(ValueError, match="unknown loss"):
        losses.resolve_loss("softmax", "hinge")
    with pytest.raises(ValueError, match="needs a sigmoid head"):
        losses.resolve_loss("softmax", "bce")
