"""Losses on the head's output, each next to ∂L/∂p, and the label → target encoding.

Conventions: z (n, k) logits, T the temperature, u = z / T, p = head(u), y (n, k) the target.
Per-example losses have shape (n,); the network reports their mean.

| head, k        | target                       | loss                 | ∂L/∂z           |
|----------------|------------------------------|----------------------|-----------------|
| sigmoid, 1     | t                            | BCE                  | (p − t) / T     |
| softmax, k ≥ 2 | one-hot of the class index   | CE = −Σ y log p      | (p − y) / T     |
| sigmoid, k > 1 | one-hot, each output yes/no  | Σ_k BCE_k            | (p − y) / T     |
| any            | as above                     | MSE = ½ Σ (p − y)²   | Jᵀ (p − y)      |
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from softviz import heads

LOSSES = ("ce", "bce", "mse")
_TINY = np.finfo(float).tiny


def resolve_loss(head: str, loss: str) -> str:
    """The loss actually used: "ce" under a sigmoid head means BCE.

    >>> resolve_loss("sigmoid", "ce")
    'bce'
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}: choose one of {', '.join(LOSSES)}")
    if loss == "bce" and head == "softmax":
        raise ValueError("loss 'bce' needs a sigmoid head; a softmax head uses 'ce' or 'mse'")
    if loss == "ce" and head == "sigmoid":
        return "bce"
    return loss


def check_labels(y: np.ndarray, n_outputs: int) -> np.ndarray:
    """y as an int array of class indices, or ValueError if any label is out of range.

    One output (sigmoid) takes t ∈ {0, 1}; k ≥ 2 outputs take class indices 0 … k − 1.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"labels y must be a 1-D array of class indices, got shape {y.shape}")
    if y.dtype.kind not in "iu" or not y.dtype.isnative:
        y = _whole_numbers(y)
    n_classes = max(n_outputs, 2)
    # Viewed as unsigned, a negative label is a huge one: one max catches both ends.
    if len(y) and np.maximum.reduce(y.view(f"u{y.itemsize}")) >= n_classes:
        raise ValueError(
            f"labels must lie in 0 … {n_classes - 1} for {n_outputs} output(s); "
            f"got values from {y.min():g} to {y.max():g}"
        )
    return y


def _whole_numbers(y: np.ndarray) -> np.ndarray:
    """Boolean, real or byte-swapped labels as ints; ValueError for fractions and non-numbers."""
    if y.dtype == bool:
        return y.astype(int)
    if not np.issubdtype(y.dtype, np.number) or not np.all(np.isfinite(y)):
        raise ValueError("labels y must be finite numbers (class indices)")
    if np.any(y != np.round(y)):
        raise ValueError("labels y must be whole numbers (class indices), not fractions")
    return y.astype(int)


def targets(y: np.ndarray, n_outputs: int) -> np.ndarray:
    """Encode class indices y (n,) as targets (n, k).

    k = 1: the binary label itself, t. k ≥ 2: one-hot of the class index, so a binary label t
    under a 2-way head becomes (1 − t, t).
    """
    return one_hot(check_labels(y, n_outputs), n_outputs)


def one_hot(y: np.ndarray, n_outputs: int) -> np.ndarray:
    """`targets` for labels already checked by `check_labels`."""
    if n_outputs == 1:
        return y[:, None].astype(float)
    # Column y of the identity is the one-hot of y: one gather, no scatter into zeros. Built
    # (k, n) and transposed, so it shares the logits' layout (see MLP._output_layer).
    return heads.identity(n_outputs).take(y, axis=1).T


def cross_entropy(log_p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """CE = −Σ_k y_k log p_k per example, from log p = log_softmax(u). (n, k) → (n,)."""
    return -np.add.reduce(y * log_p, axis=1)


def cross_entropy_dL_dp(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂CE/∂p = −y / p (p clipped at the smallest float so the value stays finite)."""
    return -y / np.maximum(p, _TINY)


def binary_cross_entropy(u: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Σ_k BCE_k from logits: max(u, 0) − y u + log(1 + e^{−|u|}). (n, k) → (n,)."""
    return (np.maximum(u, 0.0) - y * u + np.log1p(np.exp(-np.abs(u)))).sum(axis=1)


def binary_cross_entropy_dL_dp(u: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂BCE/∂p = −y / p + (1 − y) / (1 − p), with 1 − p taken as σ(−u) for precision."""
    p, one_minus_p = heads.sigmoid(u), heads.sigmoid(-u)
    return -y / np.maximum(p, _TINY) + (1.0 - y) / np.maximum(one_minus_p, _TINY)


def mean_squared_error(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """MSE = ½ Σ_k (p_k − y_k)² per example. (n, k) → (n,)."""
    return 0.5 * ((p - y) ** 2).sum(axis=1)


def mean_squared_error_dL_dp(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂MSE/∂p = p − y."""
    return p - y


@dataclass(frozen=True)
class HeadLoss:
    """Everything between the logits and the loss for one batch.

    losses (n,), probs (n, k), jacobian (n, k, k) = ∂p/∂z, dL_dp (n, k), dL_dz (n, k) — all
    per example (not divided by n).
    """

    losses: np.ndarray
    probs: np.ndarray
    jacobian: np.ndarray
    dL_dp: np.ndarray
    dL_dz: np.ndarray


def head_loss(
    head: str, loss: str, z: np.ndarray, y: np.ndarray, temperature: float = 1.0
) -> HeadLoss:
    """Forward and backward through head and loss: z (n, k), targets y (n, k).

    The chain rule is ∂L/∂z = Jᵀ ∂L/∂p. For CE and BCE it collapses to (p − y) / T, which is
    what we compute (it stays exact where p underflows); MSE keeps the Jacobian's factor.
    """
    loss = resolve_loss(head, loss)
    t = heads.check_temperature(temperature)
    z = np.asarray(z, dtype=float)
    heads.check_head(head, z.shape[-1])
    return unchecked_head_loss(head, loss, z, y, t)


def unchecked_head_loss(head: str, loss: str, z: np.ndarray, y: np.ndarray, t: float) -> HeadLoss:
    """`head_loss` for arguments already checked: a resolved loss, a head that fits z's k,
    float z and a float T > 0. The network checks them once, when it is built.
    """
    # u = z / T; at T = 1 the division would only copy z.
    u = z if t == 1.0 else z / t
    if head == "softmax":
        p, log_p = heads.softmax_and_log(u)
        jacobian = heads.softmax_jacobian(p, t)
    else:
        p, log_p = heads.sigmoid(u), None
        jacobian = heads.sigmoid_jacobian(p, t)
    if loss == "mse":
        losses, dL_dp = mean_squared_error(p, y), mean_squared_error_dL_dp(p, y)
        return HeadLoss(losses, p, jacobian, dL_dp, np.einsum("nkj,nk->nj", jacobian, dL_dp))
    if loss == "ce":
        losses, dL_dp = cross_entropy(log_p, y), cross_entropy_dL_dp(p, y)
    else:
        losses, dL_dp = binary_cross_entropy(u, y), binary_cross_entropy_dL_dp(u, y)
    return HeadLoss(losses, p, jacobian, dL_dp, _p_minus_y_over_t(p, y, t))


def _p_minus_y_over_t(p: np.ndarray, y: np.ndarray, t: float) -> np.ndarray:
    """∂L/∂z = (p − y) / T for CE and BCE, the Jacobian and ∂L/∂p multiplied out."""
    dL_dz = p - y
    if t != 1.0:
        dL_dz /= t
    return dL_dz
