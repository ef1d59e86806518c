"""A tiny multilayer perceptron whose forward and backward passes record every quantity.

x (d,) → [a = W1 x + b1, h = φ(a)] → z = W2 h + b2 (k,) → p = head(z / T) → L(p, y).
Weights are stored (out, in): row k of W2 feeds output k. Without a hidden layer
(n_hidden = 0), h = x and only W2, b2 exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from softviz import heads, losses
from softviz.activations import get_activation


@dataclass(frozen=True)
class Trace:
    """One forward and backward pass over a batch of n examples.

    X (n, d) inputs; targets (n, k); pre_activation a and hidden h (n, H), or None without a
    hidden layer; logits z, probs p, dL_dp, dL_dz (n, k); jacobian ∂p/∂z (n, k, k);
    example_losses (n,); loss their mean; grads the batch-mean gradients, keyed like params.
    dL_dh and dL_da (n, H) are per example, as are dL_dp and dL_dz.
    """

    X: np.ndarray
    y: np.ndarray
    targets: np.ndarray
    pre_activation: np.ndarray | None
    hidden: np.ndarray | None
    logits: np.ndarray
    probs: np.ndarray
    jacobian: np.ndarray
    dL_dp: np.ndarray
    dL_dz: np.ndarray
    dL_dh: np.ndarray | None
    dL_da: np.ndarray | None
    example_losses: np.ndarray
    loss: float
    grads: dict[str, np.ndarray]

    @property
    def is_finite(self) -> bool:
        """False once anything the learner would see has overflowed (training diverged)."""
        return bool(
            np.isfinite(self.loss)
            and np.all(np.isfinite(self.probs))
            and all(np.all(np.isfinite(g)) for g in self.grads.values())
        )


def _check_size(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be a whole number ≥ {minimum}, got {value!r}")
    return int(value)


class MLP:
    """Input → optional hidden layer → logits → sigmoid or softmax head, trained by SGD.

    >>> net = MLP(n_inputs=2, n_hidden=8, n_outputs=2, head="softmax", loss="ce", seed=0)
    >>> tr = net.forward_backward(np.zeros((5, 2)), np.array([0, 1, 1, 0, 1]))
    >>> tr.jacobian.shape   # (n, k, k): one ∂p/∂z per example
    (5, 2, 2)
    """

    def __init__(
        self,
        n_inputs: int,
        n_hidden: int = 0,
        n_outputs: int = 2,
        head: str = "softmax",
        loss: str = "ce",
        activation: str = "relu",
        temperature: float = 1.0,
        seed: int = 0,
        init_scale: float = 1.0,
    ) -> None:
        self.n_inputs = _check_size("n_inputs", n_inputs, 1)
        self.n_hidden = _check_size("n_hidden", n_hidden, 0)
        self.n_outputs = _check_size("n_outputs", n_outputs, 1)
        # Checked once here, so every step can skip the checks (the settings are read-only).
        heads.check_head(head, self.n_outputs)
        self._head, self._loss = head, losses.resolve_loss(head, loss)
        self._phi, self._phi_grad = get_activation(activation)
        self._activation = activation
        self._temperature = heads.check_temperature(temperature)
        if not np.isfinite(init_scale) or init_scale < 0:
            raise ValueError(f"init_scale must be a finite number ≥ 0, got {init_scale!r}")
        self._params = init_params(
            self.n_inputs, self.n_hidden, self.n_outputs, activation, seed, init_scale
        )

    @property
    def head(self) -> str:
        """The output head, "softmax" or "sigmoid"."""
        return self._head

    @property
    def loss(self) -> str:
        """The loss in use, "ce", "bce" or "mse" ("ce" under a sigmoid head reads "bce")."""
        return self._loss

    @property
    def activation(self) -> str:
        """The hidden layer's φ: "relu", "tanh" or "sigmoid"."""
        return self._activation

    @property
    def temperature(self) -> float:
        """T > 0, dividing the logits before the head."""
        return self._temperature

    @property
    def params(self) -> dict[str, np.ndarray]:
        """Parameters: W1 (H, d), b1 (H,), W2 (k, H), b2 (k,); only W2 (k, d), b2 when H = 0."""
        return self._params

    @params.setter
    def params(self, new: dict[str, np.ndarray]) -> None:
        expected = param_shapes(self.n_inputs, self.n_hidden, self.n_outputs)
        if set(new) != set(expected):
            raise ValueError(f"params need exactly the keys {sorted(expected)}, got {sorted(new)}")
        arrays = {key: np.array(value, dtype=float) for key, value in new.items()}
        for key, shape in expected.items():
            if arrays[key].shape != shape:
                raise ValueError(
                    f"params[{key!r}] must have shape {shape}, got {arrays[key].shape}"
                )
        self._params = arrays

    def _check_batch(self, X: np.ndarray, y: np.ndarray | None = None) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have shape (n, {self.n_inputs}), got {X.shape}")
        # One sum is non-finite whenever any entry is; only then look entry by entry.
        if not math.isfinite(np.add.reduce(X, axis=None)) and not np.all(np.isfinite(X)):
            raise ValueError("X contains NaN or infinite values")
        if y is not None and len(y) != len(X):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
        return X

    def hidden_layer(self, X: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
        """(a, h) for a batch: a = X W1ᵀ + b1 (n, H), h = φ(a); (None, X) without a hidden layer."""
        if self.n_hidden == 0:
            return None, X
        a = X @ self._params["W1"].T
        a += self._params["b1"]  # in place: the product is a fresh array
        return a, self._phi(a)

    def logits(self, X: np.ndarray) -> np.ndarray:
        """z = h W2ᵀ + b2, (n, k)."""
        _, h = self.hidden_layer(self._check_batch(X))
        return self._output_layer(h)

    def _output_layer(self, h: np.ndarray) -> np.ndarray:
        # Computed as W2 hᵀ (k, n) and returned transposed: each output's n logits then lie
        # side by side, and the head's reductions over k become k − 1 whole-column passes
        # instead of n tiny rows (about 3× faster for k = 2).
        z = (self._params["W2"] @ h.T).T
        z += self._params["b2"]
        return z

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """p = head(z / T), (n, k)."""
        return heads.probabilities(self.head, self.logits(X), self.temperature)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predicted class index (n,): argmax p, or p > 0.5 for a single sigmoid output."""
        return predicted_class(self.predict_proba(X))

    def forward_backward(self, X: np.ndarray, y: np.ndarray) -> Trace:
        """Forward pass, loss and backward pass over a batch; returns the full Trace."""
        X = self._check_batch(X, y)
        y = losses.check_labels(y, self.n_outputs)
        target = losses.one_hot(y, self.n_outputs)
        a, h = self.hidden_layer(X)
        z = self._output_layer(h)
        out = losses.unchecked_head_loss(self._head, self._loss, z, target, self._temperature)
        dL_dh, dL_da, grads = self._backward(X, a, h, out.dL_dz)
        loss = float(np.add.reduce(out.losses) / len(X))
        return Trace(
            X, y, target, a, None if a is None else h, z, out.probs, out.jacobian,
            out.dL_dp, out.dL_dz, dL_dh, dL_da, out.losses, loss, grads,
        )  # fmt: skip

    def _backward(
        self, X: np.ndarray, a: np.ndarray | None, h: np.ndarray, dL_dz: np.ndarray
    ) -> tuple[np.ndarray | None, np.ndarray | None, dict[str, np.ndarray]]:
        # Batch gradient = mean of the per-example outer products δ hᵀ: scale δ by 1/n once,
        # rather than each gradient. (np.add.reduce is .sum without its Python wrapper, which
        # costs as much as the sum itself at these sizes.)
        inv_n = 1.0 / len(X)
        delta = dL_dz * inv_n
        grads = {"W2": delta.T @ h, "b2": np.add.reduce(delta, axis=0)}
        if a is None:
            return None, None, grads
        dL_dh = dL_dz @ self._params["W2"]
        dL_da = dL_dh * self._phi_grad(a)
        delta = dL_da * inv_n
        grads["W1"] = delta.T @ X
        grads["b1"] = np.add.reduce(delta, axis=0)
        return dL_dh, dL_da, grads

    def train_step(self, X: np.ndarray, y: np.ndarray, lr: float = 0.1) -> Trace:
        """forward_backward, then one plain SGD update θ ← θ − lr ∂L/∂θ; returns the trace."""
        if not math.isfinite(lr) or lr < 0:
            raise ValueError(f"learning rate must be a finite number ≥ 0, got {lr!r}")
        trace = self.forward_backward(X, y)
        for key, grad in trace.grads.items():
            self._params[key] -= lr * grad
        return trace


def param_shapes(n_inputs: int, n_hidden: int, n_outputs: int) -> dict[str, tuple[int, ...]]:
    """The shape of every parameter, in (out, in) layout."""
    if n_hidden == 0:
        return {"W2": (n_outputs, n_inputs), "b2": (n_outputs,)}
    return {
        "W1": (n_hidden, n_inputs),
        "b1": (n_hidden,),
        "W2": (n_outputs, n_hidden),
        "b2": (n_outputs,),
    }


def init_params(
    n_inputs: int, n_hidden: int, n_outputs: int, activation: str, seed: int, scale: float = 1.0
) -> dict[str, np.ndarray]:
    """Gaussian weights with std scale·gain/√fan_in (gain √2 before a ReLU), zero biases."""
    rng = np.random.default_rng(seed)
    params = {}
    for key, shape in param_shapes(n_inputs, n_hidden, n_outputs).items():
        if key.startswith("b"):
            params[key] = np.zeros(shape)
            continue
        gain = np.sqrt(2.0) if key == "W1" and activation == "relu" else 1.0
        params[key] = rng.normal(0.0, scale * gain / np.sqrt(shape[1]), size=shape)
    return params


def predicted_class(probs: np.ndarray) -> np.ndarray:
    """argmax p per row, or p > 0.5 for a single sigmoid output. (n, k) → (n,) int."""
    if probs.shape[1] == 1:
        return (probs[:, 0] > 0.5).astype(int)
    return probs.argmax(axis=1)


def accuracy(probs: np.ndarray, y: np.ndarray) -> float:
    """Fraction of rows whose predicted class equals y."""
    return float(np.mean(predicted_class(probs) == y)) if len(y) else float("nan")
