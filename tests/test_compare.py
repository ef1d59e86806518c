"""The lockstep pairs of /compare against the identities of DESIGN.md §1 and independent checks."""

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from softviz import compare, heads
from softviz.compare import (
    SIGMOID,
    SIGMOID_DOUBLE,
    SOFTMAX,
    SOFTMAX_HALF,
    RaceRun,
    binary_pair,
    gradient_curve,
    kway_pair,
    loss_pair,
    margin,
    margin_view,
    matched_sigmoid,
    push_ratio,
)
from softviz.gradcheck import numerical_gradient, numerical_jacobian
from softviz.heads import softmax
from softviz.network import MLP, accuracy
from softviz.settings import Settings
from softviz.training import HISTORY_KEYS, build_dataset, build_network

CURVES = ("train_loss", "test_loss", "train_acc", "test_acc")


def _curve_gap(pair, first: int, second: int) -> float:
    a, b = pair.sides[first].history, pair.sides[second].history
    return max(float(np.abs(a.column(key) - b.column(key)).max()) for key in CURVES)


@pytest.mark.parametrize("hidden", [0, 8])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_matched_rates_make_the_curves_agree_over_a_real_minibatch_run(hidden, momentum):
    settings = Settings(dataset="moons", hidden=hidden, activation="tanh", lr=0.5, batch=32,
                        momentum=momentum, seed=5)  # fmt: skip
    pair = binary_pair(settings, match=True)
    soft, sig = pair.a.net, pair.b.net
    sum_before = soft.params["W2"].sum(axis=0).copy()
    batch_losses = []
    for _ in range(300):
        assert pair.step(1) == 1
        assert pair.a.last_trace.X is pair.b.last_trace.X  # one batch, fed to both
        batch_losses.append(pair.a.last_trace.loss - pair.b.last_trace.loss)
    assert pair.steps == 300 and len(pair.a.history.rows) == 301
    assert _curve_gap(pair, 0, 1) < 1e-9
    assert pair.largest_loss_gap() < 1e-9 and pair.largest_accuracy_gap() == 0.0
    assert np.abs(batch_losses).max() < 1e-9
    assert pair.largest_test_probability_gap() < 1e-9
    p_soft, p_sig = pair.grid_probabilities()
    assert np.abs(p_soft[:, 1] - p_sig[:, 0]).max() < 1e-9
    # w₁ + w₀ never moves; w₁ − w₀ is the sigmoid's w.
    np.testing.assert_allclose(soft.params["W2"].sum(axis=0), sum_before, atol=1e-12)
    np.testing.assert_allclose(soft.params["W2"][1] - soft.params["W2"][0], sig.params["W2"][0],
                               atol=1e-9)  # fmt: skip
    # The run really learned something, so agreement is not agreement of two frozen nets.
    assert pair.a.history.column("train_acc")[-1] > 0.8


@pytest.mark.parametrize("hidden", [0, 8])
def test_at_one_shared_rate_the_curves_part_and_a_doubled_sigmoid_output_layer_explains_why(
    hidden,
):
    settings = Settings(dataset="moons", hidden=hidden, activation="tanh", lr=0.5, batch=32)
    pair = binary_pair(settings, match=False)
    assert [side.name for side in pair.sides][2] == "sigmoid-1, output layer at 2η"
    pair.step(300)
    assert pair.largest_loss_gap() > 1e-3
    assert pair.largest_test_probability_gap() > 1e-2
    # A sigmoid-1 whose output layer learns at 2η is the shared-rate softmax, step for step.
    assert _curve_gap(pair, 0, 2) < 1e-9


def test_at_one_shared_rate_the_first_step_moves_w1_minus_w0_twice_as_far():
    pair = binary_pair(Settings(dataset="xor", hidden=4, lr=0.3, batch=16), match=False)
    soft, sig = pair.a.net, pair.b.net
    before_soft = soft.params["W2"][1] - soft.params["W2"][0]
    before_sig = sig.params["W2"][0].copy()
    pair.step(1)
    np.testing.assert_allclose(soft.params["W2"][1] - soft.params["W2"][0] - before_soft,
                               2 * (sig.params["W2"][0] - before_sig), atol=1e-14)  # fmt: skip


def test_matched_sigmoid_gives_the_same_probabilities_and_refuses_other_heads():
    soft = MLP(3, 5, 2, "softmax", "ce", "relu", seed=2)
    X = np.random.default_rng(0).normal(size=(7, 3))
    sig = matched_sigmoid(soft)
    np.testing.assert_allclose(soft.predict_proba(X)[:, 1], sig.predict_proba(X)[:, 0], atol=1e-14)
    sig.params["W1"][0, 0] += 1.0  # a copy, not a view of the softmax's hidden layer
    assert soft.params["W1"][0, 0] != sig.params["W1"][0, 0]
    with pytest.raises(ValueError, match="2-way softmax"):
        matched_sigmoid(MLP(3, 0, 3, "softmax", "ce"))


def test_margin_against_its_definition():
    rng = np.random.default_rng(1)
    z, y = rng.normal(size=(20, 4)), rng.integers(0, 4, 20)
    expected = [z[i, y[i]] - max(z[i, j] for j in range(4) if j != y[i]) for i in range(20)]
    np.testing.assert_allclose(margin(z, y), expected)
    z2, t = rng.normal(size=(20, 2)), rng.integers(0, 2, 20)
    np.testing.assert_allclose(margin(z2, t), (2 * t - 1) * (z2[:, 1] - z2[:, 0]))
    np.testing.assert_allclose(margin(z2[:, :1], t), (2 * t - 1) * z2[:, 0])


@pytest.mark.parametrize("head", ["softmax", "sigmoid"])
@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_gradient_size_follows_the_closed_form_in_the_margin(head, loss):
    k = 2 if head == "softmax" else 1
    net = MLP(2, 6, k, head, loss, "tanh", temperature=0.8, seed=3, init_scale=3.0)
    data = build_dataset(Settings(dataset="circles", n=120, seed=2))
    view = margin_view(net.forward_backward(data.X_train, data.y_train))
    expected = gradient_curve(head, loss, view.margin, temperature=0.8)
    np.testing.assert_allclose(view.gradient, expected, rtol=1e-9, atol=1e-15)
    # and the closed form against a central difference of the loss written in the margin
    factor = 2.0 if head == "softmax" else 1.0
    loss_of_m = {"ce": lambda m: np.log1p(np.exp(-m / 0.8)),  # −log σ(m/T)
                 "mse": lambda m: factor / 2 / (1 + np.exp(m / 0.8)) ** 2}[loss]  # fmt: skip
    m, eps = np.array([-4.0, -0.5, 2.0]), 1e-6
    numeric = (loss_of_m(m + eps) - loss_of_m(m - eps)) / (2 * eps)
    np.testing.assert_allclose(gradient_curve(head, loss, m, 0.8), np.abs(numeric), rtol=1e-6)


def test_mse_stalls_on_confidently_wrong_examples_where_cross_entropy_does_not():
    pair = loss_pair(Settings(dataset="moons", head="sigmoid", init=3.0))
    assert pair.largest_test_probability_gap() == 0.0  # same head, same start
    start = [margin_view(t) for t in pair.train_traces]
    assert start[0].confidently_wrong.sum() == start[1].confidently_wrong.sum() > 50
    pair.step(200)
    ce, mse = (margin_view(t) for t in pair.train_traces)
    assert mse.confidently_wrong.sum() > 5 * max(ce.confidently_wrong.sum(), 1)
    stuck = mse.confidently_wrong
    assert (
        mse.gradient[stuck].mean() < 0.1 * gradient_curve("sigmoid", "ce", mse.margin[stuck]).mean()
    )


def test_loss_pair_uses_the_settings_head_made_binary():
    soft = loss_pair(Settings(dataset="xor", head="softmax", k=5))
    sig = loss_pair(Settings(dataset="xor", head="sigmoid", k=5))
    assert (soft.a.net.n_outputs, sig.a.net.n_outputs) == (2, 1)
    assert (soft.a.net.loss, soft.b.net.loss) == ("ce", "mse")
    for key, value in soft.a.net.params.items():
        np.testing.assert_array_equal(value, soft.b.net.params[key])


def test_push_ratio_is_one_under_softmax_and_k_minus_1_for_undecided_sigmoids():
    rng = np.random.default_rng(4)
    z, y = rng.normal(size=(30, 5)), rng.integers(0, 5, 30)
    assert push_ratio(softmax(z) - np.eye(5)[y], y) == pytest.approx(1.0, abs=1e-12)
    half = np.full((30, 5), 0.5)  # every sigmoid at z = 0
    assert push_ratio(half - np.eye(5)[y], y) == pytest.approx(4.0)
    assert np.isnan(push_ratio(np.zeros((3, 1)), np.zeros(3, dtype=int)))


def test_kway_pair_starts_both_heads_from_identical_weights_on_k_blobs():
    pair = kway_pair(Settings(k=4, hidden=8))
    assert (pair.a.net.head, pair.b.net.head) == ("softmax", "sigmoid")
    assert pair.a.net.n_outputs == pair.b.net.n_outputs == 4
    for key, value in pair.a.net.params.items():
        np.testing.assert_array_equal(value, pair.b.net.params[key])
    assert set(np.unique(pair.data.y_train)) == {0, 1, 2, 3}
    assert pair.a.push[0] == pytest.approx(1.0) and pair.b.push[0] > 2.0
    pair.step(100)
    assert pair.a.history.column("test_acc")[-1] > 0.9
    assert np.allclose(pair.a.push, 1.0)


def test_blobs_are_deterministic_balanced_and_validated():
    a, b = compare.make_blobs(3, 300, 0.1, 7), compare.make_blobs(3, 300, 0.1, 7)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert np.bincount(np.r_[a.y_train, a.y_test]).tolist() == [100, 100, 100]
    # blob j is centred at angle 2πj/3 on the unit circle
    X, y = np.r_[a.X_train, a.X_test], np.r_[a.y_train, a.y_test]
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [-0.5, np.sqrt(3) / 2], atol=0.06)
    with pytest.raises(ValueError, match="K ≥ 2"):
        compare.make_blobs(1, 100, 0.1, 0)


@pytest.mark.parametrize("head", ["softmax", "sigmoid"])
def test_example_view_against_finite_differences(head):
    net = MLP(2, 5, 3, head, "ce", "tanh", seed=1)
    x, label = np.array([0.3, -0.7]), 2
    view = compare.example_view(net, x, label)
    jac = numerical_jacobian(lambda z: heads.probabilities(head, z[None, :])[0],
                             net.logits(x[None, :])[0])  # fmt: skip
    np.testing.assert_allclose(view.jacobian, jac, atol=1e-8)
    np.testing.assert_allclose(view.error, view.probs - np.eye(3)[label])
    W2 = net.params["W2"]
    numeric = numerical_gradient(lambda: net.forward_backward(x[None, :], [label]).loss, W2)
    np.testing.assert_allclose(view.grad_W2, numeric, atol=1e-8)


def test_a_blow_up_stops_every_side_and_names_the_culprit():
    pair = binary_pair(Settings(dataset="xor", hidden=0, batch=0), match=True)
    pair.a.net.params["W2"] *= 1e8
    assert pair.step(10) == 0
    assert (
        pair.steps == 0 and "softmax-2" in pair.diverged and "diverged at step 1" in pair.diverged
    )
    assert pair.step(1) == 0


def test_build_pair_refuses_the_race_and_unknown_matchups():
    assert compare.build_pair("kway", Settings(k=3)).a.net.n_outputs == 3
    with pytest.raises(ValueError, match="binary, loss or kway"):
        compare.build_pair("race", Settings())


def _steps_to_target(settings, seed, output_scale, target, steps):
    """An independent re-run of one sigmoid-1 racer: plain loops, no compare.py racing code."""
    data = build_dataset(settings)
    run = replace(settings, seed=seed)
    soft = build_network(replace(run, head="softmax", k=2, loss="ce"), data.n_features)
    net = matched_sigmoid(soft)
    rng = np.random.default_rng(seed + 1)
    for step in range(steps + 1):
        if accuracy(net.predict_proba(data.X_test), data.y_test) >= target:
            return float(step)
        idx = rng.choice(len(data.X_train), run.batch, replace=False)
        grads = net.forward_backward(data.X_train[idx], data.y_train[idx]).grads
        for key, grad in grads.items():
            net.params[key] -= run.lr * (output_scale if key in ("W2", "b2") else 1.0) * grad
    return np.inf


def test_race_seed_counts_steps_to_target_and_the_identities_hold():
    settings = Settings(dataset="moons", hidden=8, n=300, batch=32, lr=0.2)
    run = compare.race_seed(settings, seed=3, steps=400, target=0.85)
    assert run.steps[SIGMOID] == _steps_to_target(settings, 3, 1.0, 0.85, 400)
    assert run.steps[SIGMOID_DOUBLE] == _steps_to_target(settings, 3, 2.0, 0.85, 400)
    assert run.steps[SOFTMAX_HALF] == run.steps[SIGMOID]
    assert run.steps[SOFTMAX] == run.steps[SIGMOID_DOUBLE]
    assert np.isfinite(run.steps[SIGMOID]) and not run.diverged
    never = compare.race_seed(settings, seed=3, steps=5, target=1.01)
    assert all(np.isinf(v) for v in never.steps.values())


def _run(seed, sig, soft, half=None, double=None):
    steps = {SIGMOID: sig, SOFTMAX: soft, SOFTMAX_HALF: sig if half is None else half,
             SIGMOID_DOUBLE: soft if double is None else double}  # fmt: skip
    return RaceRun(seed, steps)


def test_race_summary_reads_its_numbers_honestly():
    runs = [_run(0, 100, 80), _run(1, 120, 90), _run(2, 90, 95), _run(3, np.inf, 150)]
    s = compare.summarise_race(runs, steps=300, target=0.9)
    assert s.medians[SIGMOID] == 110 and s.medians[SOFTMAX] == 92.5
    assert (s.softmax_faster, s.softmax_slower, s.matched_ties, s.doubled_ties) == (3, 1, 4, 4)
    assert s.reached[SIGMOID] == 3
    assert "median of 92.5 steps against 110 steps" in s.conclusion
    assert "faster on 3, slower on 1, tied on 0 of 4" in s.conclusion
    assert "ran faster because its output layer" in s.conclusion
    slow = compare.summarise_race([_run(0, 50, np.inf), _run(1, 60, np.inf)], 200, 0.9)
    assert "more than 200 steps" in slow.conclusion and "ran slower" in slow.conclusion
    partial = compare.summarise_race([_run(0, 50, 40), _run(1, 60, 45, double=44)], 200, 0.9)
    assert partial.doubled_ties == 1 and "explains the difference on those seeds" in (
        partial.conclusion
    )
    assert "because its output layer" not in partial.conclusion
    nobody = compare.summarise_race([_run(0, np.inf, np.inf)], 200, 0.9)
    assert nobody.conclusion.startswith("No racer reached 90% test accuracy within 200 steps")
    missed = compare.summarise_race([_run(0, 50, 40), _run(1, np.inf, 90)], 200, 0.9)
    assert "on 2 of 2 seeds (where both missed the target, that counts as a tie)" in (
        missed.conclusion
    )
    same = compare.summarise_race([_run(0, 50, 50, half=51)], 200, 0.9)
    assert "did not converge faster" in same.conclusion
    assert "on 0 of 1 seeds" in same.conclusion  # an honest count, even when it breaks


def test_history_rows_follow_the_training_history_layout():
    pair = binary_pair(Settings(dataset="xor", hidden=3), match=True)
    pair.step(2)
    assert len(pair.a.history.rows[0]) == len(HISTORY_KEYS)
    assert pair.a.history.column("step").tolist() == [0, 1, 2]


def test_compare_engine_does_not_import_streamlit():
    code = "import sys, softviz.compare\nprint('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
