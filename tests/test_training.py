"""The Trainer: reaches the accuracy we promise, stops cleanly when it diverges, and every
quantity it reports agrees with an independent computation."""

from dataclasses import replace

import numpy as np
import pytest

from softviz import training
from softviz.network import MLP
from softviz.settings import DEFAULTS, Settings
from softviz.training import Trainer, output_gradient_by_class, training_changes


def test_default_settings_reach_95_percent_test_accuracy_within_300_steps():
    trainer = Trainer(DEFAULTS)
    trainer.step(300)
    test_acc = trainer.history.column("test_acc")
    assert trainer.diverged is None
    assert test_acc.max() >= 0.95
    assert test_acc[-1] >= 0.95


def test_history_metrics_match_a_direct_evaluation():
    trainer = Trainer(Settings(dataset="moons", n=200, hidden=8))
    trainer.step(7)
    data, net = trainer.data, trainer.net
    probs = net.predict_proba(data.X_test)
    expected_acc = np.mean(probs.argmax(axis=1) == data.y_test)
    expected_loss = -np.mean(np.log(probs[np.arange(len(probs)), data.y_test]))
    row = dict(zip(training.HISTORY_KEYS, trainer.history.rows[-1], strict=True))
    assert row["step"] == 7 and row["test_acc"] == pytest.approx(expected_acc)
    assert row["test_loss"] == pytest.approx(expected_loss)
    assert trainer.epoch == pytest.approx(7 * 64 / 150)


def test_a_full_batch_step_is_plain_gradient_descent():
    settings = Settings(dataset="xor", n=100, hidden=4, batch=0, lr=0.5)
    trainer = Trainer(settings)
    reference = MLP(2, 4, 2, seed=settings.seed)
    reference.train_step(trainer.data.X_train, trainer.data.y_train, lr=0.5)
    trainer.step(1)
    for key, value in reference.params.items():
        assert np.allclose(trainer.net.params[key], value)


def test_divergence_stops_training_and_keeps_the_last_finite_state():
    trainer = Trainer(Settings(lr=10.0, decay=1.0))
    taken = trainer.step(200)
    assert trainer.diverged and "lower the learning rate" in trainer.diverged
    assert trainer.steps == taken < 200
    assert len(trainer.history.rows) == taken + 1
    assert np.all(np.isfinite(trainer.history.rows))
    assert all(np.all(np.isfinite(p)) for p in trainer.net.params.values())
    assert trainer.last_trace.is_finite
    assert trainer.step(5) == 0  # stays stopped until a new Trainer (Reset)


def test_evaluation_is_bounded_for_large_datasets():
    trainer = Trainer(Settings(dataset="gaussians", n=5000, test=0.5, hidden=2))
    assert trainer.eval_size("train") == training.EVAL_MAX
    assert trainer.eval_size("test") == training.EVAL_MAX
    small = Trainer(Settings(dataset="gaussians", n=200))
    assert small.eval_size("train") == 150 and small.eval_size("test") == 50


def test_test_fraction_and_new_data_draws():
    base = Trainer(Settings(dataset="circles", n=400, test=0.4))
    assert len(base.data.X_test) == 160
    redrawn = Trainer(Settings(dataset="circles", n=400, test=0.4, draw=1))
    assert not np.allclose(base.data.X_train, redrawn.data.X_train)
    for key, value in base.net.params.items():  # the same initial weights
        assert np.array_equal(redrawn.net.params[key], value)


def test_only_training_settings_count_as_changes():
    assert training_changes(DEFAULTS, replace(DEFAULTS, speed=20, present=True)) == []
    assert training_changes(DEFAULTS, replace(DEFAULTS, lr=0.3)) == ["lr 0.1 → 0.3"]


def test_inspecting_one_example_matches_the_outer_product():
    trainer = Trainer(Settings(dataset="xor", n=100, hidden=5))
    trainer.step(3)
    trace = trainer.inspect("test", 4)
    x, t = trainer.data.X_test[4], trainer.data.y_test[4]
    W1, b1 = trainer.net.params["W1"], trainer.net.params["b1"]
    h = np.maximum(W1 @ x + b1, 0)
    p = trainer.net.predict_proba(x[None])[0]
    delta = p - np.eye(2)[t]
    assert np.allclose(trace.hidden[0], h)
    assert np.allclose(trace.grads["W2"], np.outer(delta, h))
    with pytest.raises(IndexError, match="does not exist"):
        trainer.inspect("train", 10_000)


@pytest.mark.parametrize("hidden", [0, 6])
def test_the_per_class_gradients_average_back_to_the_batch_gradient(hidden):
    trainer = Trainer(Settings(dataset="spiral", n=120, hidden=hidden, batch=0))
    trainer.step(2)
    trace = trainer.last_trace
    split = output_gradient_by_class(trace)
    counts = np.bincount(trace.y)
    combined = sum(counts[c] * g for c, g in split.items()) / counts.sum()
    assert np.allclose(combined, np.c_[trace.grads["W2"], trace.grads["b2"]])
    # Softmax + CE: the target's row gets (p − 1)·h ≤ 0 and the other row p·h ≥ 0 (h ≥ 0).
    if hidden:
        assert np.all(split[1][1, :-1] <= 1e-12) and np.all(split[1][0, :-1] >= -1e-12)


def test_a_csv_setting_needs_its_data():
    with pytest.raises(ValueError, match="pass its Dataset"):
        Trainer(Settings(dataset="csv"))
