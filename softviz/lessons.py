"""The numbers behind the tour's live views, computed by the engine. Pure NumPy, no Streamlit.

Every function is deterministic (seeded) and cheap (well under a second), so a page can
cache its result with st.cache_data.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from softviz import heads, losses
from softviz.datasets import make_dataset
from softviz.network import MLP, Trace
from softviz.settings import DEFAULTS, Settings
from softviz.training import Trainer

EXAMPLE_LOGITS = np.array([2.0, 1.0, 0.2, -1.0])  # (4,): one clear winner, one runner-up


def sample_images(n: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n object-data training images, half with the object: images (n, side, side), t (n,)."""
    data = make_dataset("object", 4 * n, DEFAULTS.noise, seed)
    order = np.r_[
        np.flatnonzero(data.y_train == 1)[: n // 2], np.flatnonzero(data.y_train == 0)[: n - n // 2]
    ]
    order = np.sort(order)
    return data.X_train[order].reshape(len(order), *data.image_shape), data.y_train[order]


def sigmoid_curve(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """p = σ(z) and its slope dp/dz = p(1 − p), each shaped like z.

    1 − p is computed as σ(−z), which keeps its precision where p rounds to 1.
    """
    z = np.asarray(z, dtype=float)
    p = heads.sigmoid(z)
    return p, p * heads.sigmoid(-z)


def softmax_at(z: np.ndarray, temperatures: tuple[float, ...]) -> np.ndarray:
    """softmax(z / T) for every T: z (k,) → (len(temperatures), k)."""
    return np.vstack([heads.probabilities("softmax", z[None, :], t)[0] for t in temperatures])


def jacobians(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sigmoid Jacobian, softmax Jacobian) at logits z (k,), each (k, k)."""
    z = np.asarray(z, dtype=float)[None, :]
    sig = heads.jacobian("sigmoid", heads.probabilities("sigmoid", z))[0]
    soft = heads.jacobian("softmax", heads.probabilities("softmax", z))[0]
    return sig, soft


def chain(z: np.ndarray, true_class: int) -> tuple[losses.HeadLoss, np.ndarray]:
    """Softmax + cross-entropy at logits z (k,) for one label: (p, J, ∂L/∂p, ∂L/∂z = p − y),
    and the one-hot target y (k,).

    The HeadLoss arrays keep the batch axis of one: probs (1, k), jacobian (1, k, k), …
    """
    z = np.asarray(z, dtype=float)[None, :]
    y = losses.targets(np.array([true_class]), z.shape[1])
    return losses.head_loss("softmax", "ce", z, y), y[0]


def outer_product_example(steps: int = 20, seed: int = 0) -> Trace:
    """One test image with the object, traced through a small net (8 hidden units) after
    `steps` SGD steps. For a batch of one, grads["W2"] is exactly the outer product (p − y) hᵀ.
    """
    trainer = Trainer(replace(DEFAULTS, hidden=8, seed=seed))
    trainer.step(steps)
    i = int(np.flatnonzero(trainer.data.y_test == 1)[0])
    return trainer.net.forward_backward(
        trainer.data.X_test[i : i + 1], trainer.data.y_test[i : i + 1]
    )


def training_run(settings: Settings, steps: int) -> dict[str, list[float]]:
    """The history (HISTORY_KEYS columns) of `steps` SGD steps under the given settings."""
    trainer = Trainer(settings)
    trainer.step(steps)
    return trainer.history.as_dict()


def identity_points(n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random logit pairs (z0, z1): their difference d (n,), softmax p1 (n,) and σ(d) (n,)."""
    z = np.random.default_rng(seed).normal(0.0, 3.0, size=(n, 2))
    d = z[:, 1] - z[:, 0]
    return d, heads.softmax(z)[:, 1], heads.sigmoid(d)


def matched_race(steps: int = 40, lr: float = 2.0, seed: int = 0) -> dict[str, np.ndarray]:
    """Full-batch training losses (steps,) of sigmoid-1 at lr, softmax-2 at lr/2 and at lr,
    no hidden layer, object data; the sigmoid starts from w = w1 − w0, b = b1 − b0.
    """
    data = make_dataset("object", 400, DEFAULTS.noise, seed)
    nets = {
        name: MLP(data.n_features, 0, 2, "softmax", "ce", seed=seed)
        for name in ("softmax-2 at η/2", "softmax-2 at η")
    }
    W, b = nets["softmax-2 at η"].params["W2"], nets["softmax-2 at η"].params["b2"]
    sigmoid = MLP(data.n_features, 0, 1, "sigmoid", "ce", seed=seed)
    sigmoid.params = {"W2": (W[1] - W[0])[None, :], "b2": np.array([b[1] - b[0]])}
    runs = {
        "sigmoid-1 at η": (sigmoid, lr),
        "softmax-2 at η/2": (nets["softmax-2 at η/2"], lr / 2),
        "softmax-2 at η": (nets["softmax-2 at η"], lr),
    }
    X, y = data.X_train, data.y_train
    return {
        name: np.array([net.train_step(X, y, rate).loss for _ in range(steps)])
        for name, (net, rate) in runs.items()
    }


def gradient_vs_logit(z: np.ndarray) -> dict[str, np.ndarray]:
    """|∂L/∂z| of one sigmoid output with label t = 1, for BCE and MSE, at logits z (n,)."""
    z = np.asarray(z, dtype=float)[:, None]
    t = np.ones_like(z)
    return {
        name: np.abs(losses.head_loss("sigmoid", loss, z, t).dL_dz[:, 0])
        for name, loss in (("cross-entropy", "bce"), ("MSE", "mse"))
    }


def ce_against_mse(settings: Settings, steps: int = 200) -> dict[str, np.ndarray]:
    """Test accuracy per step (steps + 1,) of the same start trained with CE and with MSE."""
    return {
        name: np.array(training_run(replace(settings, loss=loss), steps)["test_acc"])
        for name, loss in (("cross-entropy", "ce"), ("MSE", "mse"))
    }
