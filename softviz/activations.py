"""Hidden-layer activations φ, each next to its derivative φ'(a)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from softviz.heads import sigmoid


def relu(a: np.ndarray) -> np.ndarray:
    """max(a, 0)."""
    return np.maximum(a, 0.0)


def relu_grad(a: np.ndarray) -> np.ndarray:
    """1 where a > 0, else 0 (the subgradient 0 at a = 0)."""
    return (a > 0).astype(float)


def tanh(a: np.ndarray) -> np.ndarray:
    """tanh(a)."""
    return np.tanh(a)


def tanh_grad(a: np.ndarray) -> np.ndarray:
    """1 − tanh²(a)."""
    return 1.0 - np.tanh(a) ** 2


def sigmoid_grad(a: np.ndarray) -> np.ndarray:
    """σ(a)(1 − σ(a))."""
    s = sigmoid(a)
    return s * (1.0 - s)


Activation = tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]

ACTIVATIONS: dict[str, Activation] = {
    "relu": (relu, relu_grad),
    "tanh": (tanh, tanh_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
}


def get_activation(name: str) -> Activation:
    """(φ, φ') for a name, or ValueError naming the choices."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}: choose one of {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[name]
