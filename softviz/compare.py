"""Two (or three) networks, same data, same start, trained in lockstep on the same batches.

Pure NumPy, no Streamlit. The /compare page keeps one `LockstepPair` per session.

Match-ups (DESIGN.md §1):
- ``binary``: softmax-2 against sigmoid-1 started from w = w₁ − w₀, b = b₁ − b₀ and the same
  hidden layer. With the softmax output layer at half the rate they agree step for step; at
  one shared rate the softmax output layer learns twice as fast (a sigmoid-1 whose output
  layer runs at 2η follows it exactly, which the pair carries along as a reference).
- ``loss``: the same head and initial weights, cross-entropy against MSE.
- ``kway``: a K-way softmax against K independent sigmoids, one-hot labels, on K Gaussian
  blobs, from identical weights.
- ``race``: several seeds, steps until a target test accuracy, per head (`race_seed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from softviz.datasets import Dataset, split
from softviz.heads import sigmoid
from softviz.network import MLP, Trace, accuracy
from softviz.optim import SGD
from softviz.settings import Settings
from softviz.training import EXPLODED_LOSS, History, build_dataset, build_network

MATCHUPS = ("binary", "loss", "kway", "race")
OUTPUT_LAYER = ("W2", "b2")
CONFIDENTLY_WRONG = -2.0  # margin below which an example is "confidently wrong" (p_true < 0.12)
RACE_SEEDS = 8
GRID_SIDE = 80  # decision-boundary grid: GRID_SIDE × GRID_SIDE points


@dataclass
class Side:
    """One network of a lockstep run: a name for legends, the net, its optimiser, its record.

    history rows follow softviz.training.HISTORY_KEYS; push holds, per recorded step, the
    batch's push on wrong rows over pull on true rows (`push_ratio`); last_trace is the last
    batch's trace.
    """

    name: str
    net: MLP
    optimizer: SGD
    history: History = field(default_factory=History)
    push: list[float] = field(default_factory=list)
    last_trace: Trace | None = None

    def record(self, step: int, batch: Trace, train: Trace, test: Trace) -> None:
        """Append one history row from the step's batch trace and whole-set evaluations."""
        self.last_trace = batch
        norms = [float(np.linalg.norm(batch.grads.get(k, np.zeros(0)))) for k in ("W1", "W2")]
        row = (step, train.loss, test.loss, accuracy(train.probs, train.y),
               accuracy(test.probs, test.y), *norms)  # fmt: skip
        self.history.rows.append(row)
        self.push.append(push_ratio(batch.dL_dz, batch.y))


def output_probability(probs: np.ndarray) -> np.ndarray:
    """p(class 1) of a binary head: the last column of (n, 1) or (n, 2) probabilities → (n,)."""
    return probs[:, -1]


def margin(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """How far each example is on the right side, in logits. (n, k), (n,) → (n,).

    k = 1: (2t − 1) z. k ≥ 2: z_y − max_{j≠y} z_j; for a 2-way softmax that is (2t − 1)(z₁ − z₀).
    Negative means misclassified; very negative means confidently wrong.
    """
    n, k = logits.shape
    if k == 1:
        return (2 * y - 1) * logits[:, 0]
    true = logits[np.arange(n), y]
    others = np.where(np.eye(k, dtype=bool)[y], -np.inf, logits)
    return true - others.max(axis=1)


def gradient_size(dL_dz: np.ndarray) -> np.ndarray:
    """max_k |∂L/∂z_k| per example, (n, k) → (n,).

    For a binary head this is |∂L/∂m|, the gradient with respect to the margin: a 2-way
    softmax's two components are ± the same number.
    """
    return np.abs(dL_dz).max(axis=1)


def push_ratio(dL_dz: np.ndarray, y: np.ndarray) -> float:
    """Total push on the wrong rows of W2 over total pull on the true rows, for a batch.

    dL_dz (n, k), y (n,). Row k of ∂L/∂W2 is (∂L/∂z_k) hᵀ, so the ratio is
    Σ_n Σ_{k≠y_n} |∂L/∂z_nk| / Σ_n |∂L/∂z_{n,y_n}|. Under softmax + CE the wrong rows get
    Σ_{k≠y} p_k = 1 − p_y, exactly what the true row gets, so the ratio is 1 (a zero-sum
    redistribution); under K sigmoids each wrong row is pushed by its own σ(z_k), and at
    the start (every σ ≈ ½) the ratio is about K − 1. NaN for a single output.
    """
    n, k = dL_dz.shape
    if k == 1:
        return float("nan")
    size = np.abs(dL_dz)
    true = size[np.arange(n), y].sum()
    return float((size.sum() - true) / max(true, 1e-300))


class BatchStream:
    """Mini-batches drawn without replacement, seeded: one sequence for every net that uses it.

    batch = 0 (or ≥ the training set) means the full training set every step. The generator
    is seeded with seed + 1, as softviz.training.Trainer's is.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, batch: int, seed: int) -> None:
        self.X, self.y = X, y
        self.size = len(X) if batch == 0 else min(batch, len(X))
        self._rng = np.random.default_rng(seed + 1)

    def next(self) -> tuple[np.ndarray, np.ndarray]:
        """The next batch: X (b, d), y (b,)."""
        if self.size == len(self.X):
            return self.X, self.y
        idx = self._rng.choice(len(self.X), self.size, replace=False)
        return self.X[idx], self.y[idx]


class LockstepPair:
    """Networks that see the same batches, one SGD step each per `step`.

    sides[0] and sides[1] are the two contenders; a third side, if any, is a reference that
    explains them (it is drawn dotted). Records every side's history after every step.

    >>> pair = binary_pair(Settings(dataset="xor", hidden=4), match=True)
    >>> pair.step(5), pair.steps
    (5, 5)
    """

    def __init__(self, data: Dataset, sides: Sequence[Side], batch: int, seed: int) -> None:
        if len(sides) < 2:
            raise ValueError("a lockstep run needs at least two networks")
        self.data = data
        self.sides = list(sides)
        self.initial = [{k: v.copy() for k, v in side.net.params.items()} for side in self.sides]
        self.batches = BatchStream(data.X_train, data.y_train, batch, seed)
        self.steps = 0
        self.diverged: str | None = None
        self.prob_gaps: list[float] = []
        self.train_traces: list[Trace] = []  # every side on the whole training set, this step
        self.grid_axes = plane_axes(np.vstack([data.X_train, data.X_test]))
        self._grid: tuple[int, list[np.ndarray]] | None = None
        batch_X, batch_y = self.batches.next()
        self._record([side.net.forward_backward(batch_X, batch_y) for side in self.sides])

    def step(self, n: int = 1) -> int:
        """Advance every side by up to n steps together; stop (setting `diverged`) on a blow-up.

        Returns the number of steps taken.
        """
        taken = 0
        while taken < n and self.diverged is None:
            batch_X, batch_y = self.batches.next()
            traces = [side.net.forward_backward(batch_X, batch_y) for side in self.sides]
            bad = [s.name for s, t in zip(self.sides, traces, strict=True) if _blew_up(t)]
            if bad:
                self.diverged = (
                    f"Training diverged at step {self.steps + 1} ({', '.join(bad)}): "
                    "lower the learning rate, then press Reset."
                )
                break
            for side, trace in zip(self.sides, traces, strict=True):
                side.optimizer.step(side.net.params, trace.grads)
            self.steps += 1
            taken += 1
            self._record(traces)
        return taken

    def _record(self, batch_traces: list[Trace]) -> None:
        """Evaluate every side on the whole training and test sets after a step."""
        data = self.data
        self.train_traces = [s.net.forward_backward(data.X_train, data.y_train) for s in self.sides]
        test_traces = [s.net.forward_backward(data.X_test, data.y_test) for s in self.sides]
        for side, batch, train, test in zip(
            self.sides, batch_traces, self.train_traces, test_traces, strict=True
        ):
            side.record(self.steps, batch, train, test)
        self.prob_gaps.append(_probability_gap(test_traces[0].probs, test_traces[1].probs))

    @property
    def a(self) -> Side:
        return self.sides[0]

    @property
    def b(self) -> Side:
        return self.sides[1]

    def largest_loss_gap(self) -> float:
        """max over the run of |loss_a − loss_b| on the training and the test set."""
        gaps = [
            np.abs(self.a.history.column(key) - self.b.history.column(key)).max()
            for key in ("train_loss", "test_loss")
        ]
        return float(max(gaps))

    def largest_accuracy_gap(self) -> float:
        """max over the run of |accuracy_a − accuracy_b| on the training and the test set."""
        gaps = [
            np.abs(self.a.history.column(key) - self.b.history.column(key)).max()
            for key in ("train_acc", "test_acc")
        ]
        return float(max(gaps))

    def largest_test_probability_gap(self) -> float:
        """max over the run and the test set of |p_a(class 1) − p_b(class 1)|."""
        return float(np.max(self.prob_gaps))

    def grid_probabilities(self) -> list[np.ndarray]:
        """Every side's probabilities on `grid_axes` (GRID_SIDE² points) → [(m, k)], this step.

        Cached per step: a Play frame and a rerun at the same step reuse the same arrays.
        """
        if self.grid_axes is None:
            raise ValueError("decision boundaries need 2-D inputs; this dataset has images")
        if self._grid is None or self._grid[0] != self.steps:
            xs, ys = self.grid_axes
            points = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
            self._grid = (self.steps, [side.net.predict_proba(points) for side in self.sides])
        return self._grid[1]


def plane_axes(X: np.ndarray, side: int = GRID_SIDE) -> tuple[np.ndarray, np.ndarray] | None:
    """x and y coordinates (side,) each of a grid covering 2-D points X (n, 2) with a margin.

    None for inputs that are not points in the plane.
    """
    if X.shape[1] != 2:
        return None
    low, high = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * np.maximum(high - low, 1e-9)
    return tuple(np.linspace(lo, hi, side) for lo, hi in zip(low - pad, high + pad, strict=True))


def _blew_up(trace: Trace) -> bool:
    return not trace.is_finite or trace.loss > EXPLODED_LOSS


def _probability_gap(p_a: np.ndarray, p_b: np.ndarray) -> float:
    """max |p_a(class 1) − p_b(class 1)| for binary heads, else max |p_a − p_b| entrywise."""
    if p_a.shape[1] <= 2 and p_b.shape[1] <= 2:
        return float(np.abs(output_probability(p_a) - output_probability(p_b)).max())
    if p_a.shape != p_b.shape:
        return float("nan")
    return float(np.abs(p_a - p_b).max())


def matched_sigmoid(soft: MLP) -> MLP:
    """The sigmoid-1 net equal to a softmax-2 net: w = w₁ − w₀, b = b₁ − b₀, same hidden layer.

    p₁ = softmax(z)₁ = σ(z₁ − z₀), so both give the same probabilities, loss and ∂L/∂h.
    """
    if soft.head != "softmax" or soft.n_outputs != 2:
        raise ValueError("matched_sigmoid needs a 2-way softmax network")
    sig = MLP(soft.n_inputs, soft.n_hidden, 1, "sigmoid", "ce", soft.activation,
              soft.temperature)  # fmt: skip
    params = {key: value.copy() for key, value in soft.params.items()}
    params["W2"] = soft.params["W2"][[1]] - soft.params["W2"][[0]]
    params["b2"] = soft.params["b2"][[1]] - soft.params["b2"][[0]]
    sig.params = params
    return sig


def optimizer(settings: Settings, output_scale: float = 1.0) -> SGD:
    """SGD at settings.lr (and momentum) with the output layer's rate scaled by output_scale.

    Weight decay is not used here: it would break the identity (it shrinks w₁ and w₀ each,
    not w₁ − w₀ at the sigmoid's rate).
    """
    scale = {key: output_scale for key in OUTPUT_LAYER} if output_scale != 1.0 else None
    return SGD(settings.lr, settings.momentum, lr_scale=scale)


def binary_sides(settings: Settings, n_inputs: int, match: bool) -> list[Side]:
    """softmax-2 and its matched sigmoid-1; unmatched, a sigmoid-1 at 2η on W2, b2 as well."""
    soft = build_network(replace(settings, head="softmax", k=2, loss="ce"), n_inputs)
    sides = [
        Side("softmax-2", soft, optimizer(settings, 0.5 if match else 1.0)),
        Side("sigmoid-1", matched_sigmoid(soft), optimizer(settings)),
    ]
    if not match:
        sides.append(Side("sigmoid-1, output layer at 2η", matched_sigmoid(soft),
                          optimizer(settings, 2.0)))  # fmt: skip
    return sides


def binary_pair(settings: Settings, match: bool, data: Dataset | None = None) -> LockstepPair:
    """Match-up 1: softmax-2 against sigmoid-1 from matched weights, rates matched or shared."""
    data = data if data is not None else build_dataset(settings)
    sides = binary_sides(settings, data.n_features, match)
    return LockstepPair(data, sides, settings.batch, settings.seed)


def output_rows(params: dict[str, np.ndarray]) -> np.ndarray:
    """[W2 | b2] as one (k, H + 1) array: each output's incoming weights and its bias."""
    return np.hstack([params["W2"], params["b2"][:, None]])


def sum_drift(pair: LockstepPair) -> float:
    """How far (w₁ + w₀, b₁ + b₀) of the softmax-2 side has moved since the start: max |Δ|.

    Its two rows get opposite gradients, so the sum never moves (up to rounding).
    """
    now, start = output_rows(pair.a.net.params), output_rows(pair.initial[0])
    return float(np.abs(now.sum(axis=0) - start.sum(axis=0)).max())


def difference_gap(pair: LockstepPair) -> float:
    """max |(w₁ − w₀, b₁ − b₀) − (w, b)|: the softmax-2 side's effective sigmoid against the
    sigmoid-1 side's actual output layer. 0 (to rounding) at matched rates."""
    soft, sig = output_rows(pair.a.net.params), output_rows(pair.b.net.params)
    return float(np.abs(soft[1] - soft[0] - sig[0]).max())


def binary_head(settings: Settings) -> Settings:
    """The settings' head made binary: softmax with k = 2, or a single sigmoid."""
    return replace(settings, k=2 if settings.head == "softmax" else 1)


def loss_pair(settings: Settings, data: Dataset | None = None) -> LockstepPair:
    """Match-up 2: the same binary head and initial weights, cross-entropy against MSE."""
    data = data if data is not None else build_dataset(settings)
    base = binary_head(settings)
    ce = build_network(replace(base, loss="ce"), data.n_features)
    mse = build_network(replace(base, loss="mse"), data.n_features)
    mse.params = {key: value.copy() for key, value in ce.params.items()}
    name = "softmax-2" if base.head == "softmax" else "sigmoid-1"
    sides = [Side(f"{name}, cross-entropy", ce, optimizer(settings)),
             Side(f"{name}, MSE", mse, optimizer(settings))]  # fmt: skip
    return LockstepPair(data, sides, settings.batch, settings.seed)


def make_blobs(k: int, n_samples: int, noise: float, seed: int) -> Dataset:
    """K round Gaussian blobs on the unit circle, n_samples/K each, split 75/25.

    Blob j sits at angle 2πj/K with std 0.2 + noise; its label is the class index j.
    """
    if isinstance(k, bool) or int(k) != k or k < 2:
        raise ValueError(f"the K-way match-up needs K ≥ 2 classes, got {k!r}")
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n_samples) % k)
    angle = 2 * np.pi * y / k
    centres = np.c_[np.cos(angle), np.sin(angle)]
    X = centres + rng.normal(0.0, 0.2 + noise, size=(n_samples, 2))
    return split(f"{k} blobs", X, y, 0.25, rng, feature_names=("x1", "x2"))


def kway_pair(settings: Settings, data: Dataset | None = None) -> LockstepPair:
    """Match-up 3: a K-way softmax against K sigmoids (one-hot labels), identical weights."""
    k = max(settings.k, 2)
    data = data if data is not None else make_blobs(k, settings.n, settings.noise, settings.seed)
    soft = build_network(replace(settings, head="softmax", k=k, loss="ce"), data.n_features)
    sig = build_network(replace(settings, head="sigmoid", k=k, loss="ce"), data.n_features)
    sig.params = {key: value.copy() for key, value in soft.params.items()}
    sides = [Side(f"softmax-{k}", soft, optimizer(settings)),
             Side(f"{k} sigmoids", sig, optimizer(settings))]  # fmt: skip
    return LockstepPair(data, sides, settings.batch, settings.seed)


def build_pair(matchup: str, settings: Settings, match: bool = False) -> LockstepPair:
    """The lockstep run of one playable match-up (binary, loss or kway)."""
    if matchup == "binary":
        return binary_pair(settings, match)
    if matchup == "loss":
        return loss_pair(settings)
    if matchup == "kway":
        return kway_pair(settings)
    raise ValueError(f"no lockstep run for match-up {matchup!r}: choose binary, loss or kway")


# --- per-example views --------------------------------------------------------------------


@dataclass(frozen=True)
class MarginView:
    """Per training example at the current step: margin m (n,), max_k |∂L/∂z_k| (n,)."""

    margin: np.ndarray
    gradient: np.ndarray

    @property
    def confidently_wrong(self) -> np.ndarray:
        """Mask (n,) of examples with m < CONFIDENTLY_WRONG."""
        return self.margin < CONFIDENTLY_WRONG


def margin_view(trace: Trace) -> MarginView:
    """Margins and gradient sizes of every example of a trace."""
    return MarginView(margin(trace.logits, trace.y), gradient_size(trace.dL_dz))


def gradient_curve(head: str, loss: str, m: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """|∂L/∂m| of a binary head as a function of the margin m (closed form), (n,) → (n,).

    With s = σ(−m/T), the probability given to the wrong class: CE gives s / T; MSE gives
    c · s² (1 − s) / T, with c = 1 for sigmoid-1 (½(p − t)²) and c = 2 for softmax-2
    (½ Σ_k (p_k − y_k)² = (p₁ − t)²). The factor s(1 − s) = p(1 − p) is MSE's stall.
    """
    s = sigmoid(-np.asarray(m, dtype=float) / temperature)
    if loss in ("ce", "bce"):
        return s / temperature
    factor = 2.0 if head == "softmax" else 1.0
    return factor * s**2 * (1.0 - s) / temperature


@dataclass(frozen=True)
class ExampleView:
    """One example through a head: jacobian (k, k), p − y (k,), ∂L/∂z (k,), row grads (k, H)."""

    probs: np.ndarray
    jacobian: np.ndarray
    error: np.ndarray
    dL_dz: np.ndarray
    grad_W2: np.ndarray


def example_view(net: MLP, x: np.ndarray, label: int) -> ExampleView:
    """The whole way back for one example x (d,) with class index `label`."""
    trace = net.forward_backward(x[None, :], np.array([label]))
    return ExampleView(
        trace.probs[0], trace.jacobian[0], trace.probs[0] - trace.targets[0], trace.dL_dz[0],
        trace.grads["W2"],
    )  # fmt: skip


# --- the convergence race ----------------------------------------------------------------

SIGMOID, SOFTMAX, SOFTMAX_HALF, SIGMOID_DOUBLE = RACE_CONTENDERS = (
    "sigmoid-1 (η)",
    "softmax-2 (η)",
    "softmax-2 (output layer η/2)",
    "sigmoid-1 (output layer 2η)",
)


@dataclass(frozen=True)
class RaceRun:
    """One seed of the race: steps to the target per contender (inf: not reached), blow-ups."""

    seed: int
    steps: dict[str, float]
    diverged: tuple[str, ...] = ()


def race_contenders(settings: Settings, n_inputs: int) -> dict[str, tuple[MLP, SGD]]:
    """The four racers, all from the same weights (each sigmoid from w = w₁ − w₀, b = b₁ − b₀).

    sigmoid-1 and softmax-2 at one shared rate η; softmax-2 with its output layer at η/2 (the
    matched rate: it should tie the sigmoid); sigmoid-1 with its output layer at 2η (it should
    tie the softmax at η, if the doubled rate is the whole story).
    """
    soft = build_network(replace(settings, head="softmax", k=2, loss="ce"), n_inputs)
    half = build_network(replace(settings, head="softmax", k=2, loss="ce"), n_inputs)
    half.params = {key: value.copy() for key, value in soft.params.items()}
    return {
        SIGMOID: (matched_sigmoid(soft), optimizer(settings)),
        SOFTMAX: (soft, optimizer(settings)),
        SOFTMAX_HALF: (half, optimizer(settings, 0.5)),
        SIGMOID_DOUBLE: (matched_sigmoid(soft), optimizer(settings, 2.0)),
    }


def race_seed(settings: Settings, seed: int, steps: int, target: float) -> RaceRun:
    """Steps until each contender first reaches `target` test accuracy, for one seed.

    The data come from settings.seed, so every seed races on the same data; the initial
    weights and the batch order come from `seed` and are shared by the contenders. A
    contender stops once it is at the target; one that blows up never reaches it.
    """
    data = build_dataset(settings)
    contenders = race_contenders(replace(settings, seed=seed), data.n_features)
    batches = BatchStream(data.X_train, data.y_train, settings.batch, seed)
    done = {name: 0.0 for name, (net, _) in contenders.items() if _at_target(net, data, target)}
    diverged = []
    for step in range(1, steps + 1):
        running = [name for name in contenders if name not in done]
        if not running:
            break
        X, y = batches.next()
        for name in running:
            net, opt = contenders[name]
            trace = net.forward_backward(X, y)
            if _blew_up(trace):
                done[name] = np.inf
                diverged.append(name)
                continue
            opt.step(net.params, trace.grads)
            if _at_target(net, data, target):
                done[name] = float(step)
    result = {name: done.get(name, np.inf) for name in contenders}
    return RaceRun(seed, result, tuple(diverged))


def _at_target(net: MLP, data: Dataset, target: float) -> bool:
    return accuracy(net.predict_proba(data.X_test), data.y_test) >= target


RACE_STEP_SECONDS = 1.5e-4  # Python overhead of one racer's step (measured on 2 cores)
RACE_MACS_PER_SECOND = 4e9  # multiply-adds per second for these small matrices
RACE_ELEMENT_SECONDS = 3e-9  # elementwise work per example and hidden unit (φ, heads, loss)


def race_cost(settings: Settings, data: Dataset, steps: int, n_seeds: int = RACE_SEEDS) -> float:
    """Worst-case seconds for a race: every racer runs all `steps` (nobody reaches the target).

    One racer's step is a forward and backward pass over a batch (≈ 3 b (dH + 2H)
    multiply-adds, or 3 b · 2d without a hidden layer, plus elementwise work ∝ b (H + 20))
    and a test-set forward pass.
    """
    d, h = data.n_features, settings.hidden
    per_example = d * h + 2 * h if h else 2 * d
    b = len(data.X_train) if settings.batch == 0 else min(settings.batch, len(data.X_train))
    macs = 3 * b * per_example + len(data.X_test) * per_example
    elements = (b + len(data.X_test)) * (h + 20)
    one = RACE_STEP_SECONDS + macs / RACE_MACS_PER_SECOND + elements * RACE_ELEMENT_SECONDS
    return len(RACE_CONTENDERS) * n_seeds * steps * one


def race_seeds(settings: Settings, n_seeds: int = RACE_SEEDS) -> list[int]:
    """The seeds of a race: settings.seed, settings.seed + 1, …"""
    return [settings.seed + i for i in range(n_seeds)]


@dataclass(frozen=True)
class RaceSummary:
    """What the race says. medians per contender (inf: most seeds did not reach the target);
    ties and wins count seeds; largest_matched_difference is in steps over reached seeds."""

    n_seeds: int
    medians: dict[str, float]
    reached: dict[str, int]
    matched_ties: int
    doubled_ties: int
    softmax_faster: int
    softmax_slower: int
    missed_both: int
    conclusion: str


def summarise_race(runs: Sequence[RaceRun], steps: int, target: float) -> RaceSummary:
    """Medians, wins and ties over the seeds, and a conclusion written from those numbers."""
    table = {name: np.array([run.steps[name] for run in runs]) for name in RACE_CONTENDERS}
    medians = {name: float(np.median(values)) for name, values in table.items()}
    reached = {name: int(np.isfinite(values).sum()) for name, values in table.items()}
    faster = int((table[SOFTMAX] < table[SIGMOID]).sum())
    slower = int((table[SOFTMAX] > table[SIGMOID]).sum())
    matched = int((table[SOFTMAX_HALF] == table[SIGMOID]).sum())
    doubled = int((table[SIGMOID_DOUBLE] == table[SOFTMAX]).sum())
    missed = int((np.isinf(table[SIGMOID]) & np.isinf(table[SOFTMAX_HALF])).sum())
    summary = RaceSummary(len(runs), medians, reached, matched, doubled, faster, slower, missed,
                          "")  # fmt: skip
    return replace(summary, conclusion=_conclusion(summary, steps, target))


def _steps_text(value: float, steps: int) -> str:
    return f"{value:g} steps" if np.isfinite(value) else f"more than {steps} steps"


def _conclusion(s: RaceSummary, steps: int, target: float) -> str:
    n = s.n_seeds
    goal = f"{target:.0%} test accuracy"
    if not any(s.reached.values()):
        return (
            f"No racer reached {goal} within {steps} steps on any seed, so this race says "
            "nothing about speed: allow more steps or lower the target."
        )
    same = "the two heads are one and the same: " if s.matched_ties == n else ""
    both_missed = " (where both missed the target, that counts as a tie)" if s.missed_both else ""
    matched = (
        f"At matched rates {same}softmax-2 with its output layer at η/2 took exactly as many "
        f"steps to {goal} as sigmoid-1 on {s.matched_ties} of {n} seeds{both_missed}."
    )
    soft, sig = s.medians[SOFTMAX], s.medians[SIGMOID]
    ties = n - s.softmax_faster - s.softmax_slower
    shared = (
        f"At one shared rate η, softmax-2 needed a median of {_steps_text(soft, steps)} against "
        f"{_steps_text(sig, steps)} for sigmoid-1 (faster on {s.softmax_faster}, slower on "
        f"{s.softmax_slower}, tied on {ties} of {n} seeds)."
    )
    return " ".join([matched, shared, _verdict(s, soft, sig)])


def _verdict(s: RaceSummary, soft: float, sig: float) -> str:
    n = s.n_seeds
    doubled = f"A sigmoid-1 whose output layer runs at 2η tied softmax-2 on {s.doubled_ties} of {n}"
    if soft == sig:
        return f"{doubled} seeds. At these settings the softmax head did not converge faster."
    how = "faster" if soft < sig else "slower"
    if s.doubled_ties < n:
        return (
            f"{doubled} seeds, so the doubled output-layer rate explains the difference on "
            "those seeds; on the others they differ (see the table)."
        )
    return (
        f"{doubled} seeds: the softmax ran {how} because its output layer effectively learns "
        "at twice the rate (w₁ − w₀ moves by 2η per unit of gradient), not because of softmax "
        "itself. Halve that layer's rate and the difference disappears."
    )
