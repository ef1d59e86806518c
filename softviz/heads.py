"""Output heads: sigmoid and softmax, each next to its Jacobian ∂p/∂z.

Every function works on a batch of logits ``z`` of shape (n, k). A temperature ``T`` divides
the logits before the head, p = head(z / T), so the Jacobian picks up a factor 1 / T.
"""

from __future__ import annotations

import functools

import numpy as np

HEADS = ("sigmoid", "softmax")


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{−z}), elementwise, without overflow for any finite z."""
    # exp(−log(1 + e^{−z})) never exponentiates a large positive number.
    return np.exp(-np.logaddexp(0.0, -z))


def sigmoid_jacobian(p: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """∂p/∂z for p = σ(z / T): diag(p ⊙ (1 − p)) / T.

    p: (n, k) probabilities → (n, k, k), diagonal: output k only sees logit k.
    """
    n, k = p.shape
    jacobian = np.zeros((n, k, k))
    idx = np.arange(k)
    jacobian[:, idx, idx] = p * (1.0 - p) / temperature
    return jacobian


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log p_k = z_k − log Σ_j e^{z_j}, row-wise via log-sum-exp (finite for any finite z)."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    """p_k = e^{z_k} / Σ_j e^{z_j}, row-wise; computed from z − max z so it never overflows."""
    return softmax_and_log(z)[0]


def softmax_and_log(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(softmax(z), log_softmax(z)) from one exponential pass over z − max z."""
    # The ufuncs' own reduce: .max and .sum add a Python wrapper as slow as a small batch.
    shifted = z - np.maximum.reduce(z, axis=-1, keepdims=True)
    p = np.exp(shifted)
    total = np.add.reduce(p, axis=-1, keepdims=True)
    # In place: both arrays are fresh, and small batches spend their time allocating.
    p /= total
    shifted -= np.log(total)
    return p, shifted


def softmax_jacobian(p: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """∂p/∂z for p = softmax(z / T): (diag(p) − p pᵀ) / T.

    p: (n, k) → (n, k, k). J_kk = p_k(1 − p_k) / T, J_kj = −p_k p_j / T: symmetric, rows and
    columns sum to zero, rank k − 1.
    """
    # J_kj = p_k (δ_kj − p_j): one broadcast, no per-entry indexing.
    jacobian = p[:, :, None] * (identity(p.shape[1]) - p[:, None, :])
    if temperature != 1.0:
        jacobian /= temperature
    return jacobian


@functools.lru_cache(maxsize=16)
def identity(k: int) -> np.ndarray:
    """The k × k identity δ_kj, built once per k and read-only, since every caller shares it."""
    eye = np.eye(k)
    eye.flags.writeable = False
    return eye


_FORWARD = {"sigmoid": sigmoid, "softmax": softmax}
_JACOBIAN = {"sigmoid": sigmoid_jacobian, "softmax": softmax_jacobian}


def check_head(head: str, n_outputs: int) -> None:
    """Raise ValueError for an unknown head or a softmax over a single output."""
    if head not in HEADS:
        raise ValueError(f"unknown head {head!r}: choose one of {', '.join(HEADS)}")
    if head == "softmax" and n_outputs < 2:
        raise ValueError(
            "a softmax head needs at least 2 outputs (a 1-way softmax is always 1); "
            "use head='sigmoid' for a single output"
        )


def check_temperature(temperature: float) -> float:
    """Return the temperature as a float, or raise ValueError unless it is finite and > 0."""
    t = float(temperature)
    if not np.isfinite(t) or t <= 0:
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    return t


def probabilities(head: str, z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """p = head(z / T). z: (n, k) → (n, k)."""
    check_head(head, z.shape[-1])
    return _FORWARD[head](np.asarray(z, dtype=float) / check_temperature(temperature))


def jacobian(head: str, p: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """∂p/∂z of the given head at probabilities p (n, k) → (n, k, k)."""
    check_head(head, p.shape[-1])
    return _JACOBIAN[head](p, check_temperature(temperature))
