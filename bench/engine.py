"""Engine benchmark: one training step of the default network, three ways.

softviz's `MLP.train_step` (full trace: Jacobian, ∂L/∂p, every intermediate) against the same
step hand-written as bare NumPy with no trace, and against PyTorch autograd on the CPU when
torch is installed.
"""

from __future__ import annotations

import timeit

import numpy as np

from softviz.datasets import make_dataset
from softviz.network import MLP
from softviz.settings import DEFAULTS


def _default_batch() -> tuple[np.ndarray, np.ndarray]:
    data = make_dataset(DEFAULTS.dataset, DEFAULTS.n, DEFAULTS.noise, DEFAULTS.seed)
    return data.X_train[: DEFAULTS.batch], data.y_train[: DEFAULTS.batch]


def softviz_step(X: np.ndarray, y: np.ndarray):
    net = MLP(X.shape[1], DEFAULTS.hidden, 2, "softmax", "ce", "relu", seed=0)
    return lambda: net.train_step(X, y, lr=DEFAULTS.lr)


def bare_numpy_step(X: np.ndarray, y: np.ndarray):
    """The same forward, backward and SGD update, hand-written, keeping nothing."""
    P = {k: v.copy() for k, v in MLP(X.shape[1], DEFAULTS.hidden, 2, seed=0).params.items()}
    Y, lr, n = np.eye(2)[y], DEFAULTS.lr, len(X)

    def step() -> float:
        a = X @ P["W1"].T + P["b1"]
        h = np.maximum(a, 0)
        z = h @ P["W2"].T + P["b2"]
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -(Y * np.log(p)).sum() / n
        dz = (p - Y) / n
        dh = dz @ P["W2"]
        da = dh * (a > 0)
        P["W2"] -= lr * dz.T @ h
        P["b2"] -= lr * dz.sum(axis=0)
        P["W1"] -= lr * da.T @ X
        P["b1"] -= lr * da.sum(axis=0)
        return loss

    return step


def torch_step(X: np.ndarray, y: np.ndarray):
    """The same network in PyTorch (float64, CPU, autograd), or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    P = {k: torch.tensor(v, requires_grad=True)
         for k, v in MLP(X.shape[1], DEFAULTS.hidden, 2, seed=0).params.items()}  # fmt: skip
    Xt, yt, lr = torch.tensor(X), torch.tensor(y), DEFAULTS.lr

    def step() -> float:
        h = torch.relu(Xt @ P["W1"].T + P["b1"])
        loss = torch.nn.functional.cross_entropy(h @ P["W2"].T + P["b2"], yt)
        loss.backward()
        with torch.no_grad():
            for value in P.values():
                value -= lr * value.grad
                value.grad = None
        return loss.item()

    return step


def seconds_per_call(fn, number: int = 500, repeat: int = 7) -> float:
    """Best-of-`repeat` mean time per call (the minimum is the least noisy estimate)."""
    fn()
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def run(quick: bool = False) -> dict[str, float]:
    X, y = _default_batch()
    number = 50 if quick else 500
    results = {
        "engine_softviz_us": seconds_per_call(softviz_step(X, y), number) * 1e6,
        "engine_bare_numpy_us": seconds_per_call(bare_numpy_step(X, y), number) * 1e6,
    }
    results["engine_ratio_vs_numpy"] = (
        results["engine_softviz_us"] / results["engine_bare_numpy_us"]
    )
    torch_fn = torch_step(X, y)
    if torch_fn is not None:
        results["engine_torch_us"] = seconds_per_call(torch_fn, number) * 1e6
        results["engine_ratio_vs_torch"] = results["engine_softviz_us"] / results["engine_torch_us"]
    return results
