"""The MLP against finite differences, the binary identity of DESIGN.md §1, and its errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from softviz.activations import ACTIVATIONS
from softviz.datasets import make_dataset
from softviz.gradcheck import check_network_gradients, numerical_gradient, relative_error
from softviz.heads import sigmoid
from softviz.network import MLP, accuracy
from softviz.optim import SGD

COMBOS = [("sigmoid", "ce"), ("sigmoid", "bce"), ("sigmoid", "mse"), ("softmax", "ce"),
          ("softmax", "mse")]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    combo=st.sampled_from(COMBOS),
    activation=st.sampled_from(sorted(ACTIVATIONS)),
    n=st.integers(1, 6),
    d=st.integers(1, 5),
    hidden=st.integers(0, 5),
    k=st.integers(1, 5),
    temperature=st.sampled_from([0.5, 1.0, 3.0]),
    seed=st.integers(0, 10_000),
)
def test_every_gradient_matches_finite_differences(
    combo, activation, n, d, hidden, k, temperature, seed
):
    head, loss = combo
    k = max(k, 2) if head == "softmax" else k
    net = MLP(d, hidden, k, head, loss, activation, temperature, seed=seed)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    # Keep ReLU pre-activations away from the kink, where finite differences straddle it.
    if hidden and activation == "relu":
        a = X @ net.params["W1"].T + net.params["b1"]
        net.params["b1"] += np.where(np.abs(a).min(axis=0) < 1e-3, 0.1, 0.0)
    y = rng.integers(0, max(k, 2), size=n)
    errors = check_network_gradients(net, X, y)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize(("head", "loss"), COMBOS)
def test_trace_records_the_chain_rule(head, loss):
    net = MLP(4, 3, 3, head, loss, "tanh", temperature=0.7, seed=2)
    X = np.random.default_rng(0).normal(size=(5, 4))
    tr = net.forward_backward(X, np.array([0, 1, 2, 1, 0]))
    assert tr.jacobian.shape == (5, 3, 3) and tr.logits.shape == tr.probs.shape == (5, 3)
    np.testing.assert_allclose(tr.dL_dz, np.einsum("nkj,nk->nj", tr.jacobian, tr.dL_dp))
    np.testing.assert_allclose(tr.loss, tr.example_losses.mean())
    # The batch gradient on W2 is the mean of the per-example outer products δ hᵀ.
    outer = np.einsum("nk,nh->nkh", tr.dL_dz, tr.hidden).mean(axis=0)
    np.testing.assert_allclose(tr.grads["W2"], outer)
    # dL/dz against finite differences on the logits themselves.
    z = tr.logits.copy()
    from softviz.losses import head_loss

    numeric = numerical_gradient(lambda: head_loss(head, loss, z, tr.targets, 0.7).losses.sum(), z)
    assert relative_error(tr.dL_dz, numeric) < 1e-7


def _matched_pair(hidden: int, seed: int = 3):
    """A softmax-2 net and a sigmoid-1 net with w = w1 − w0, b = b1 − b0, same hidden layer."""
    soft = MLP(2, hidden, 2, "softmax", "ce", "tanh", seed=seed)
    sig = MLP(2, hidden, 1, "sigmoid", "ce", "tanh", seed=seed + 1)
    params = {key: value.copy() for key, value in soft.params.items()}
    params["W2"] = soft.params["W2"][[1]] - soft.params["W2"][[0]]
    params["b2"] = soft.params["b2"][[1]] - soft.params["b2"][[0]]
    sig.params = params
    return soft, sig


@pytest.mark.parametrize("hidden", [0, 6])
def test_two_way_softmax_and_sigmoid_give_the_same_loss_and_hidden_gradient(hidden):
    soft, sig = _matched_pair(hidden)
    data = make_dataset("xor", n_samples=60, seed=1)
    ts, tg = (
        soft.forward_backward(data.X_train, data.y_train),
        sig.forward_backward(data.X_train, data.y_train),
    )
    assert ts.loss == pytest.approx(tg.loss, abs=1e-12)
    np.testing.assert_allclose(ts.probs[:, 1], tg.probs[:, 0], atol=1e-12)
    np.testing.assert_allclose(ts.grads["W2"][1], -ts.grads["W2"][0], atol=1e-15)
    np.testing.assert_allclose(ts.grads["W2"][1], tg.grads["W2"][0], atol=1e-12)
    if hidden:
        np.testing.assert_allclose(ts.grads["W1"], tg.grads["W1"], atol=1e-12)
    q = sigmoid(ts.logits[:, 1] - ts.logits[:, 0])
    expected = (q * (1 - q))[:, None, None] * np.array([[1, -1], [-1, 1]])
    np.testing.assert_allclose(ts.jacobian, expected, atol=1e-15)


@pytest.mark.parametrize("hidden", [0, 6])
def test_softmax_at_half_the_output_rate_follows_sigmoid_step_for_step(hidden):
    soft, sig = _matched_pair(hidden)
    data = make_dataset("moons", n_samples=80, seed=4)
    soft_opt = SGD(0.5, lr_scale={"W2": 0.5, "b2": 0.5})
    sig_opt = SGD(0.5)
    sum_before = soft.params["W2"].sum(axis=0).copy()
    for _ in range(200):
        ts = soft.forward_backward(data.X_train, data.y_train)
        tg = sig.forward_backward(data.X_train, data.y_train)
        assert abs(ts.loss - tg.loss) < 1e-9
        soft_opt.step(soft.params, ts.grads)
        sig_opt.step(sig.params, tg.grads)
    # w1 + w0 never moves; w1 − w0 is the sigmoid's w.
    np.testing.assert_allclose(soft.params["W2"].sum(axis=0), sum_before, atol=1e-12)
    np.testing.assert_allclose(
        soft.params["W2"][1] - soft.params["W2"][0], sig.params["W2"][0], atol=1e-9
    )


def test_at_one_shared_rate_the_softmax_output_layer_moves_twice_as_far():
    soft, sig = _matched_pair(0)
    X, y = np.array([[0.3, -1.0]]), np.array([1])
    before = soft.params["W2"][1] - soft.params["W2"][0]
    ts = soft.train_step(X, y, lr=0.1)
    tg = sig.train_step(X, y, lr=0.1)
    np.testing.assert_allclose(
        soft.params["W2"][1] - soft.params["W2"][0] - before, -2 * 0.1 * tg.grads["W2"][0]
    )
    assert ts.loss == pytest.approx(tg.loss)


def test_default_network_learns_the_object_dataset():
    data = make_dataset("object", seed=0)
    net = MLP(data.n_features, 16, 2, "softmax", "ce", "relu", seed=0)
    rng = np.random.default_rng(0)
    for _ in range(300):
        batch = rng.choice(len(data.X_train), 64, replace=False)
        net.train_step(data.X_train[batch], data.y_train[batch], lr=0.1)
    assert accuracy(net.predict_proba(data.X_test), data.y_test) >= 0.95


def test_huge_weights_give_finite_losses_and_gradients():
    for head, loss in COMBOS:
        net = MLP(2, 0, 2, head, loss, seed=0)
        net.params = {"W2": np.array([[1e4, 0.0], [-1e4, 0.0]]), "b2": np.zeros(2)}
        tr = net.forward_backward(np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([1, 0]))
        assert tr.is_finite
        assert tr.loss > 1e3 if loss != "mse" else tr.loss == pytest.approx(1.0)


def test_momentum_and_weight_decay_follow_their_formulas():
    params = {"W2": np.array([[1.0]]), "b2": np.array([1.0])}
    grads = {"W2": np.array([[0.5]]), "b2": np.array([0.5])}
    opt = SGD(0.1, momentum=0.9, weight_decay=0.2)
    opt.step(params, grads)
    opt.step(params, grads)
    v1 = 0.5 + 0.2 * 1.0
    w1 = 1.0 - 0.1 * v1
    v2 = 0.9 * v1 + 0.5 + 0.2 * w1
    assert params["W2"][0, 0] == pytest.approx(w1 - 0.1 * v2)
    assert params["b2"][0] == pytest.approx(1.0 - 0.1 * 0.5 - 0.1 * (0.9 * 0.5 + 0.5))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"head": "tanh"}, "unknown head"),
        ({"loss": "hinge"}, "unknown loss"),
        ({"activation": "gelu"}, "unknown activation"),
        ({"head": "softmax", "n_outputs": 1}, "at least 2 outputs"),
        ({"n_hidden": -1}, "n_hidden must be"),
        ({"n_inputs": 0}, "n_inputs must be"),
        ({"temperature": -1.0}, "temperature"),
    ],
)
def test_bad_construction_is_refused_with_a_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MLP(**({"n_inputs": 2, "n_hidden": 0, "n_outputs": 2} | kwargs))


def test_bad_calls_are_refused_with_a_message():
    net = MLP(2, 3, 1, "sigmoid", "ce")
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="3 rows but y has 2"):
        net.forward_backward(X, np.array([0, 1]))
    with pytest.raises(ValueError, match="labels must lie in 0 … 1"):
        net.forward_backward(X, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="NaN or infinite"):
        net.forward_backward(np.array([[np.nan, 0.0]] * 3), np.array([0, 1, 0]))
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        net.forward_backward(np.zeros((3, 5)), np.array([0, 1, 0]))
    with pytest.raises(ValueError, match="learning rate"):
        net.train_step(X, np.array([0, 1, 0]), lr=float("inf"))
    with pytest.raises(ValueError, match="shape"):
        net.params = {k: np.zeros(1) for k in net.params}
