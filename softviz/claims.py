"""The statements the heads lab checks live, each as a pure function that returns numbers.

A well-known Q&A answer about softmax and binary labels makes four claims (DESIGN.md §1):
its diagonal derivative e^{x_i}(Σ_{j≠i} x_j) / (Σ_j e^{x_j})², the sign of ∂g_i/∂x_j, that
softmax "is slower to compute than the sigmoid", and that it "may help convergence". The
first three are checked here against independent references (finite differences, the closed
form, a stopwatch); the race lives on /compare. The design's own facts — a 2-way softmax is a
sigmoid of the logit difference, CE collapses Jᵀ(−y/p) to p − y, MSE keeps the factor
p(1 − p) — get their numbers here too, so the page never computes anything itself.

x always denotes the softmax's actual input, x = z / T.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from softviz import heads, losses
from softviz.gradcheck import numerical_jacobian, relative_error

# Agreement with finite differences below this (absolute, the entries are ≤ 1/4) is a match;
# central differences on the softmax are accurate to about 1e-10.
MATCH_TOLERANCE = 1e-7
# Below this every candidate formula is ≈ 0: the head is saturated and the check cannot tell.
SATURATED = 1e-9


def _logsumexp(x: np.ndarray) -> float:
    top = float(np.max(x))
    return top + float(np.log(np.exp(x - top).sum()))


def diagonal_as_written(x: np.ndarray) -> np.ndarray:
    """The answer's diagonal, e^{x_i} (Σ_{j≠i} x_j) / (Σ_j e^{x_j})², for x (k,) → (k,).

    Evaluated as e^{x_i − 2 logsumexp(x)} · Σ_{j≠i} x_j, the same number without overflow;
    each Σ_{j≠i} is summed afresh (sum − x_i would cancel).
    """
    x = np.asarray(x, dtype=float)
    others = np.array([np.delete(x, i).sum() for i in range(x.size)])
    return np.exp(x - 2.0 * _logsumexp(x)) * others


def diagonal_corrected(x: np.ndarray) -> np.ndarray:
    """The corrected diagonal, e^{x_i} (Σ_{j≠i} e^{x_j}) / (Σ_j e^{x_j})² = p_i (1 − p_i).

    x (k,) → (k,); written out term by term, independently of softviz.heads.
    """
    x = np.asarray(x, dtype=float)
    scaled = np.exp(x - _logsumexp(x))  # e^{x_i} / Σ_j e^{x_j}
    others = np.array([np.delete(scaled, i).sum() for i in range(x.size)])
    return scaled * others


def diagonal_finite_difference(x: np.ndarray) -> np.ndarray:
    """∂p_i/∂x_i of the engine's softmax by central differences, x (k,) → (k,)."""
    x = np.asarray(x, dtype=float)
    numeric = numerical_jacobian(lambda v: heads.probabilities("softmax", v[None])[0], x)
    return np.diag(numeric).copy()


@dataclass(frozen=True)
class DiagonalCheck:
    """The answer's diagonal formula and the corrected one, each against finite differences.

    x, as_written, corrected, finite_difference: (k,). Errors are max absolute differences.
    """

    x: np.ndarray
    as_written: np.ndarray
    corrected: np.ndarray
    finite_difference: np.ndarray
    error_as_written: float
    error_corrected: float

    @property
    def saturated(self) -> bool:
        """Every formula gives ≈ 0 here, so the check cannot tell them apart."""
        values = np.concatenate([self.as_written, self.corrected, self.finite_difference])
        return bool(np.max(np.abs(values)) < SATURATED)

    @property
    def as_written_matches(self) -> bool:
        return self.error_as_written < MATCH_TOLERANCE

    @property
    def corrected_matches(self) -> bool:
        return self.error_corrected < MATCH_TOLERANCE


def check_diagonal(z: Sequence[float], temperature: float = 1.0) -> DiagonalCheck:
    """Compare both diagonal formulas with finite differences at x = z / T. z (k,)."""
    x = np.asarray(z, dtype=float) / heads.check_temperature(temperature)
    written, corrected = diagonal_as_written(x), diagonal_corrected(x)
    numeric = diagonal_finite_difference(x)
    return DiagonalCheck(
        x,
        written,
        corrected,
        numeric,
        relative_error(written, numeric),
        relative_error(corrected, numeric),
    )


@dataclass(frozen=True)
class SignCheck:
    """Signs of the softmax Jacobian at one point: signs (k, k) in {−1, 0, 1}, and counts.

    A 0 is an entry that is exactly zero in float64 (a saturated head: p rounded to 0 or 1),
    not a sign change.
    """

    signs: np.ndarray
    diagonal_positive: int
    diagonal_zero: int
    off_diagonal_negative: int
    off_diagonal_zero: int
    wrong_sign: int  # diagonal entries < 0 or off-diagonal entries > 0: always 0

    @property
    def k(self) -> int:
        return int(self.signs.shape[0])


def check_signs(z: Sequence[float], temperature: float = 1.0) -> SignCheck:
    """Count the signs of the engine's softmax Jacobian ∂p/∂z at logits z (k,)."""
    p = heads.probabilities("softmax", np.asarray(z, dtype=float)[None], temperature)
    signs = np.sign(heads.jacobian("softmax", p, temperature)[0]).astype(int)
    on = np.eye(signs.shape[0], dtype=bool)
    diagonal, off = signs[on], signs[~on]
    return SignCheck(
        signs,
        int(np.sum(diagonal > 0)),
        int(np.sum(diagonal == 0)),
        int(np.sum(off < 0)),
        int(np.sum(off == 0)),
        int(np.sum(diagonal < 0) + np.sum(off > 0)),
    )


@dataclass(frozen=True)
class JacobianFacts:
    """Structure of one Jacobian J (k, k): what the page's caption states, measured."""

    max_row_sum: float  # max_i |Σ_j J_ij|
    max_column_sum: float
    asymmetry: float  # max |J − Jᵀ|
    rank: int
    off_diagonal_max: float  # max |J_ij|, i ≠ j: 0 for a sigmoid
    max_abs: float  # max |J_ij|: ≈ 0 when the head is saturated


def jacobian_facts(jacobian: np.ndarray) -> JacobianFacts:
    """Row and column sums, symmetry, numerical rank and off-diagonal size of J (k, k)."""
    J = np.asarray(jacobian, dtype=float)
    off = J[~np.eye(J.shape[0], dtype=bool)]
    scale = float(np.max(np.abs(J), initial=0.0))
    rank = int(np.linalg.matrix_rank(J, tol=1e-10 * scale)) if scale > 0 else 0
    return JacobianFacts(
        float(np.max(np.abs(J.sum(axis=1)))),
        float(np.max(np.abs(J.sum(axis=0)))),
        float(np.max(np.abs(J - J.T))),
        rank,
        float(np.max(np.abs(off), initial=0.0)),
        scale,
    )


def chain_rule(jacobian: np.ndarray, dL_dp: np.ndarray) -> np.ndarray:
    """Jᵀ ∂L/∂p computed literally: J (k, k), ∂L/∂p (k,) → (k,).

    For CE this should equal (p − y) / T; where p underflows the literal product loses the
    signal (0 · huge), which is why the engine uses the closed form.
    """
    return np.asarray(jacobian).T @ np.asarray(dL_dp)


def chain_split(jacobian: np.ndarray, dL_dp: np.ndarray, j: int) -> tuple[float, float]:
    """∂L/∂z_j = Σ_k J_kj ∂L/∂p_k split into the own term J_jj ∂L/∂p_j and the rest, k ≠ j."""
    terms = np.asarray(jacobian)[:, j] * np.asarray(dL_dp)
    return float(terms[j]), float(np.delete(terms, j).sum())


@dataclass(frozen=True)
class TwoWay:
    """The 2-way identity p₁ = σ((z₁ − z₀) / T) along a sweep of the difference d = z₁ − z₀.

    d, softmax_p1, sigmoid: (n,); max_gap = max |softmax_p1 − sigmoid|.
    """

    d: np.ndarray
    softmax_p1: np.ndarray
    sigmoid: np.ndarray
    max_gap: float


def two_way_identity(z0: float, d: np.ndarray, temperature: float = 1.0) -> TwoWay:
    """softmax((z₀, z₀ + d) / T)₁ against σ(d / T) for every d in the sweep (n,)."""
    d = np.asarray(d, dtype=float)
    z = np.stack([np.full_like(d, z0), z0 + d], axis=1)
    p1 = heads.probabilities("softmax", z, temperature)[:, 1]
    s = heads.probabilities("sigmoid", d[:, None], temperature)[:, 0]
    return TwoWay(d, p1, s, float(np.max(np.abs(p1 - s), initial=0.0)))


def sweep_grid(
    z: Sequence[float], index: int, head: str, temperature: float, limit: float = 50.0
) -> np.ndarray:
    """Values for logit `index` to take in a sweep, spanning where the head turns.

    The head turns where z_index / T crosses 0 (sigmoid) or the log-sum-exp of the other
    logits (softmax). The sweep covers that point ± 12 T (saturated on both sides) and the
    current value, within ±limit; it is denser near the turn. Returns sorted values (n,).
    """
    z = np.asarray(z, dtype=float)
    t = heads.check_temperature(temperature)
    turn = 0.0 if head == "sigmoid" else t * _logsumexp(np.delete(z, index) / t)
    width = 12.0 * t
    low = max(-limit, min(turn - width, z[index] - 2.0 * t))
    high = min(limit, max(turn + width, z[index] + 2.0 * t))
    turn = float(np.clip(turn, low, high))
    dense = np.linspace(max(low, turn - width / 3), min(high, turn + width / 3), 201)
    return np.unique(np.concatenate([np.linspace(low, high, 401), dense, [z[index]]]))


def gradient_sweep(
    head: str,
    z: Sequence[float],
    y: np.ndarray,
    index: int,
    grid: np.ndarray,
    temperature: float = 1.0,
) -> dict[str, np.ndarray]:
    """|∂L/∂z_index| as logit `index` takes every value in grid (n,), for CE and for MSE.

    z (k,) the other logits, y (k,) the target. Returns {"ce": (n,), "mse": (n,)}: the push
    the swept logit itself gets, which MSE lets die away when that logit is confidently wrong.
    """
    Z = np.tile(np.asarray(z, dtype=float), (len(grid), 1))
    Z[:, index] = grid
    Y = np.tile(np.asarray(y, dtype=float), (len(grid), 1))
    return {
        loss: np.abs(losses.head_loss(head, loss, Z, Y, temperature).dL_dz[:, index])
        for loss in ("ce", "mse")
    }


@dataclass(frozen=True)
class TimingRow:
    """Seconds per call of one head at one K (one example): forward, and forward + Jacobian."""

    k: int
    sigmoid_forward: float
    softmax_forward: float
    sigmoid_full: float
    softmax_full: float

    @property
    def forward_ratio(self) -> float:
        """softmax time / sigmoid time, forward only."""
        return self.softmax_forward / self.sigmoid_forward

    @property
    def full_ratio(self) -> float:
        """softmax time / sigmoid time, forward + Jacobian."""
        return self.softmax_full / self.sigmoid_full


def _seconds_per_call(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def _calls_for(fn: Callable[[], object], min_time: float) -> int:
    """How many calls make one timed repeat last at least min_time (like timeit.autorange)."""
    number = 1
    while number < 1_000_000:
        if _seconds_per_call(fn, number) * number >= min_time:
            return number
        number *= 4
    return number


def _head_calls(head: str, z: np.ndarray) -> dict[str, Callable[[], object]]:
    return {
        "forward": lambda: heads.probabilities(head, z),
        "full": lambda: heads.jacobian(head, heads.probabilities(head, z)),
    }


def time_heads(
    ks: Sequence[int] = (2, 1000), repeats: int = 7, min_time: float = 2e-3, seed: int = 0
) -> list[TimingRow]:
    """Time the engine's sigmoid and softmax heads on one example of k logits, for each k.

    Each measurement is the best of `repeats` timed loops (time.perf_counter), each loop long
    enough to last min_time; the heads alternate inside every repeat so machine noise hits
    both alike. Returns one TimingRow per k, in seconds per call.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for k in ks:
        z = rng.normal(scale=2.0, size=(1, k))
        calls = {(h, part): fn for h in heads.HEADS for part, fn in _head_calls(h, z).items()}
        numbers = {key: _calls_for(fn, min_time) for key, fn in calls.items()}
        best = dict.fromkeys(calls, np.inf)
        for _ in range(repeats):
            for key, fn in calls.items():
                best[key] = min(best[key], _seconds_per_call(fn, numbers[key]))
        rows.append(
            TimingRow(
                k,
                best["sigmoid", "forward"],
                best["softmax", "forward"],
                best["sigmoid", "full"],
                best["softmax", "full"],
            )
        )
    return rows
