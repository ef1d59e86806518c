"""Stochastic gradient descent with momentum, L2 weight decay and per-parameter rates.

v ← μ v + (g + λ θ);  θ ← θ − η·s_key·v, where s_key scales one parameter's learning rate
(the head-to-head page halves the softmax output layer's rate this way).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def _check_rate(name: str, value: float, upper: float | None = None) -> float:
    value = float(value)
    if not np.isfinite(value) or value < 0 or (upper is not None and value >= upper):
        bound = f" and < {upper:g}" if upper is not None else ""
        raise ValueError(f"{name} must be a finite number ≥ 0{bound}, got {value!r}")
    return value


class SGD:
    """SGD with optional momentum μ ∈ [0, 1) and weight decay λ on weights (not biases)."""

    def __init__(
        self,
        lr: float = 0.1,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        lr_scale: Mapping[str, float] | None = None,
    ) -> None:
        self.lr = _check_rate("learning rate", lr)
        self.momentum = _check_rate("momentum", momentum, upper=1.0)
        self.weight_decay = _check_rate("weight decay", weight_decay)
        self.lr_scale = dict(lr_scale or {})
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update params in place from the batch gradients."""
        for key, grad in grads.items():
            if key.startswith("W") and self.weight_decay:
                grad = grad + self.weight_decay * params[key]
            if self.momentum:
                grad = self.momentum * self.velocity.get(key, 0.0) + grad
                self.velocity[key] = grad
            params[key] -= self.lr * self.lr_scale.get(key, 1.0) * grad
