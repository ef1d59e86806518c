"""The numbers behind the landing picture and the tour, and the download files, checked
against closed forms and independent computations."""

import csv
import io
import json
from dataclasses import asdict, replace

import numpy as np
import pytest

from softviz import lessons
from softviz.export import history_csv, weights_json, weights_npz
from softviz.settings import DEFAULTS, from_json
from softviz.story import pick_examples, snapshot
from softviz.tour_steps import BAD_START, XOR_RUN
from softviz.training import HISTORY_KEYS, Trainer


def sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- the landing picture --------------------------------------------------------------------


@pytest.fixture(scope="module")
def snap():
    return snapshot(DEFAULTS, 100)


def test_story_gradient_is_the_mean_outer_product_of_the_shown_examples(snap):
    assert snap.steps == 100 and 0.5 < snap.test_accuracy <= 1.0
    np.testing.assert_allclose(snap.dL_dz, snap.probs - snap.targets, atol=1e-12)
    reference = np.mean([np.outer(e, h) for e, h in zip(snap.dL_dz, snap.hidden, strict=True)], 0)
    np.testing.assert_allclose(snap.grad_W2, reference, atol=1e-12)
    # A 2-way softmax: the two rows of ∂L/∂W2 are exact opposites, ±(p1 − t) h.
    np.testing.assert_allclose(snap.grad_W2[0], -snap.grad_W2[1], atol=1e-12)


def test_story_examples_are_a_hit_a_reject_and_the_worst(snap):
    assert snap.labels.tolist()[:2] == [1, 0] and snap.images.shape == (3, 10, 10)
    losses = -np.log(snap.probs[np.arange(3), snap.labels])
    np.testing.assert_allclose(snap.losses, losses, rtol=1e-9)
    p = np.array([[0.2, 0.8], [0.9, 0.1], [0.4, 0.6], [0.3, 0.7], [0.55, 0.45]])
    y = np.array([1, 0, 1, 0, 0])
    assert pick_examples(p, y).tolist() == [0, 1, 3]


def test_story_refuses_settings_it_cannot_draw():
    with pytest.raises(ValueError, match="2-way softmax"):
        snapshot(replace(DEFAULTS, dataset="xor"))
    with pytest.raises(ValueError, match="hidden layer"):
        snapshot(replace(DEFAULTS, hidden=0))


# --- the tour's live views ------------------------------------------------------------------


def test_sigmoid_curve_and_identity_points_match_closed_forms():
    z = np.linspace(-30, 30, 61)
    p, slope = lessons.sigmoid_curve(z)
    np.testing.assert_allclose(p, sigma(z), rtol=1e-12)
    np.testing.assert_allclose(slope, sigma(z) * sigma(-z), rtol=1e-9)
    d, p1, s = lessons.identity_points(200, seed=3)
    np.testing.assert_allclose(p1, sigma(d), atol=1e-12)
    np.testing.assert_allclose(s, sigma(d), atol=1e-12)


def test_softmax_at_temperatures_and_jacobians():
    z = lessons.EXAMPLE_LOGITS
    probs = lessons.softmax_at(z, (1.0, 3.0))
    for row, t in zip(probs, (1.0, 3.0), strict=True):
        np.testing.assert_allclose(row, np.exp(z / t) / np.exp(z / t).sum(), rtol=1e-12)
    sig, soft = lessons.jacobians(z)
    np.testing.assert_allclose(sig, np.diag(sigma(z) * sigma(-z)), atol=1e-15)
    p = probs[0]
    np.testing.assert_allclose(soft, np.diag(p) - np.outer(p, p), atol=1e-15)


def test_chain_collapses_to_p_minus_y():
    out, y = lessons.chain(lessons.EXAMPLE_LOGITS, true_class=1)
    assert y.tolist() == [0.0, 1.0, 0.0, 0.0]
    p = out.probs[0]
    np.testing.assert_allclose(out.dL_dp[0], -y / p, rtol=1e-12)
    np.testing.assert_allclose(out.jacobian[0].T @ out.dL_dp[0], p - y, atol=1e-12)
    np.testing.assert_allclose(out.dL_dz[0], p - y, atol=1e-12)


def test_outer_product_example_is_a_batch_of_one():
    trace = lessons.outer_product_example()
    assert trace.y.tolist() == [1]
    np.testing.assert_allclose(trace.grads["W2"], np.outer(trace.dL_dz[0], trace.hidden[0]))


def test_matched_race_coincides_at_half_the_rate_and_parts_at_the_same_rate():
    runs = lessons.matched_race(steps=40, lr=2.0)
    sig, half, same = (runs[k] for k in ("sigmoid-1 at η", "softmax-2 at η/2", "softmax-2 at η"))
    np.testing.assert_allclose(sig, half, rtol=1e-10, atol=1e-12)
    assert sig[0] == same[0]  # same start …
    assert np.all(same[5:] < sig[5:] - 1e-3)  # … but the softmax at η runs ahead


def test_gradient_against_logit_for_ce_and_mse():
    z = np.linspace(-8, 8, 33)
    grads = lessons.gradient_vs_logit(z)
    np.testing.assert_allclose(grads["cross-entropy"], 1 - sigma(z), rtol=1e-9)
    np.testing.assert_allclose(grads["MSE"], sigma(z) * (1 - sigma(z)) ** 2, rtol=1e-9)


def test_the_bad_start_lesson_holds():
    """What step 11 of the tour says: confidently wrong at first, CE recovers, MSE crawls."""
    curves = lessons.ce_against_mse(BAD_START, steps=60)
    ce, mse = curves["cross-entropy"], curves["MSE"]
    assert ce[0] == mse[0] < 0.2
    assert ce[50] > 0.9 and mse[50] < 0.5


def test_xor_run_learns():
    history = lessons.training_run(XOR_RUN, 300)
    assert history["test_acc"][-1] > 0.9 and history["train_loss"][-1] < history["train_loss"][0]


def test_sample_images_are_balanced():
    images, labels = lessons.sample_images(8)
    assert images.shape == (8, 10, 10) and labels.sum() == 4


# --- download files -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trainer():
    t = Trainer(replace(DEFAULTS, dataset="xor", hidden=4, lr=0.5))
    t.step(7)
    return t


def test_history_csv_round_trips_exactly(trainer):
    text = history_csv(trainer.history.as_dict())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(HISTORY_KEYS) and len(rows) == 8
    assert [int(r["step"]) for r in rows] == list(range(8))
    for key in HISTORY_KEYS:
        np.testing.assert_array_equal([float(r[key]) for r in rows], trainer.history.column(key))


def test_history_csv_refuses_ragged_columns():
    with pytest.raises(ValueError, match="differ in length"):
        history_csv({"step": [0, 1], "loss": [1.0]})


def test_weights_npz_round_trips(trainer):
    saved = np.load(io.BytesIO(weights_npz(trainer.net.params, trainer.settings, trainer.steps)))
    for key, value in trainer.net.params.items():
        np.testing.assert_array_equal(saved[key], value)
    assert int(saved["steps"]) == 7
    assert from_json(str(saved["settings"]))[0] == trainer.settings


def test_weights_json_round_trips(trainer):
    document = json.loads(weights_json(trainer.net.params, trainer.settings, trainer.steps))
    assert document["format"] == "softviz-weights" and document["steps"] == 7
    for key, value in trainer.net.params.items():
        np.testing.assert_array_equal(np.array(document["params"][key]), value)
        assert document["shapes"][key] == list(value.shape)
    assert document["settings"] == asdict(trainer.settings)
