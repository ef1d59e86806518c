"""Central finite differences: the independent reference every analytic gradient is held to."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂x by central differences (f(x + ε) − f(x − ε)) / 2ε, one entry at a time.

    f takes no arguments and reads x, which is perturbed in place and restored.
    """
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        x[idx] = original + eps
        f_plus = f()
        x[idx] = original - eps
        f_minus = f()
        x[idx] = original
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def numerical_jacobian(
    f: Callable[[np.ndarray], np.ndarray], z: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """∂f_i/∂z_j of a vector function at z (k,) → (m, k), by central differences."""
    z = np.array(z, dtype=float)
    columns = []
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = eps
        columns.append((f(z + step) - f(z - step)) / (2 * eps))
    return np.stack(columns, axis=-1)


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """max |a − n| / max(1, |a|, |n|): absolute near zero, relative for large values."""
    scale = np.maximum(1.0, np.maximum(np.abs(analytic), np.abs(numeric)))
    return float(np.max(np.abs(analytic - numeric) / scale)) if analytic.size else 0.0


def check_network_gradients(net, X: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> dict:
    """Largest relative error between net.forward_backward's grads and finite differences.

    Returns {param name: error}; net.params are left unchanged.
    """
    analytic = net.forward_backward(X, y).grads
    errors = {}
    for key, value in net.params.items():
        numeric = numerical_gradient(lambda: net.forward_backward(X, y).loss, value, eps)
        errors[key] = relative_error(analytic[key], numeric)
    return errors
