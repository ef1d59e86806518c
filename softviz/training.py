"""A training run: data, network, optimiser and history, advanced one step at a time.

Pure NumPy, no Streamlit: a page keeps one Trainer per session in st.session_state.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from softviz import losses
from softviz.datasets import DATASETS, Dataset, make_dataset
from softviz.network import MLP, Trace, accuracy
from softviz.optim import SGD
from softviz.settings import Settings

# A loss this large means the weights are running away even if nothing overflowed yet.
EXPLODED_LOSS = 1e6
# Train and test metrics are computed on at most this many examples per split, every step.
EVAL_MAX = 2000
HISTORY_KEYS = ("step", "train_loss", "test_loss", "train_acc", "test_acc", "norm_W1", "norm_W2")
# Settings that only change how a run is shown or played, never the run itself.
DISPLAY_FIELDS = frozenset({"present", "speed"})
TRAINING_FIELDS = tuple(f.name for f in fields(Settings) if f.name not in DISPLAY_FIELDS)


@dataclass
class History:
    """One row per recorded step; columns named by HISTORY_KEYS."""

    rows: list[tuple[float, ...]] = field(default_factory=list)

    def column(self, key: str) -> np.ndarray:
        """A column as an array, (n_rows,)."""
        i = HISTORY_KEYS.index(key)
        return np.array([row[i] for row in self.rows], dtype=float)

    def as_dict(self) -> dict[str, list[float]]:
        return {key: self.column(key).tolist() for key in HISTORY_KEYS}


def build_network(settings: Settings, n_inputs: int) -> MLP:
    """The network a Settings record describes."""
    return MLP(
        n_inputs=n_inputs,
        n_hidden=settings.hidden,
        n_outputs=settings.k,
        head=settings.head,
        loss=settings.loss,
        activation=settings.activation,
        temperature=settings.temperature,
        seed=settings.seed,
        init_scale=settings.init,
    )


def data_seed(settings: Settings) -> int:
    """The seed of the data: the run's seed, or for draw > 0 another one derived from both."""
    if settings.draw == 0:
        return settings.seed
    return int(np.random.SeedSequence([settings.seed, settings.draw]).generate_state(1)[0])


def build_dataset(settings: Settings) -> Dataset:
    """The generated dataset a Settings record describes (a CSV has to be passed in instead)."""
    if settings.dataset not in DATASETS:
        raise ValueError(f"dataset {settings.dataset!r} is not generated: pass its Dataset")
    return make_dataset(
        settings.dataset, settings.n, settings.noise, data_seed(settings), settings.test
    )


def training_changes(old: Settings, new: Settings) -> list[str]:
    """The training settings that differ, as "lr 0.1 → 0.3"; display options are ignored."""
    return [
        f"{name} {getattr(old, name)} → {getattr(new, name)}"
        for name in TRAINING_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]


class Trainer:
    """Mini-batch SGD on one network; records history and the last batch's trace.

    If a step would make training diverge (non-finite or exploding loss, weights or metrics),
    the step is undone, `diverged` holds a message and the run stays at its last finite state.

    >>> t = Trainer(Settings(dataset="xor", hidden=4))
    >>> _ = t.step(10); t.steps
    10
    """

    def __init__(self, settings: Settings, data: Dataset | None = None) -> None:
        self.settings = settings
        self.data = data if data is not None else build_dataset(settings)
        self.net = build_network(settings, self.data.n_features)
        self.optimizer = SGD(settings.lr, settings.momentum, settings.decay)
        self._rng = np.random.default_rng(settings.seed + 1)
        self._eval_rows = {
            "train": _subset(len(self.data.X_train), settings.seed + 2),
            "test": _subset(len(self.data.X_test), settings.seed + 3),
        }
        self.steps = 0
        self.last_advance = 0
        self.history = History()
        self.last_trace: Trace | None = None
        self.diverged: str | None = None
        trace = self.net.forward_backward(*self._batch())
        if not _healthy(trace) or self._record(trace):
            self.diverged = "The initial weights already give a non-finite loss: lower init."

    @property
    def batch_size(self) -> int:
        n_train = len(self.data.X_train)
        return n_train if self.settings.batch == 0 else min(self.settings.batch, n_train)

    @property
    def epoch(self) -> float:
        """Training examples seen so far, in passes over the training set."""
        return self.steps * self.batch_size / len(self.data.X_train)

    def eval_size(self, split: str) -> int:
        """How many examples of "train" or "test" the history's metrics are computed on."""
        return len(self._eval_rows[split])

    def _batch(self) -> tuple[np.ndarray, np.ndarray]:
        n_train = len(self.data.X_train)
        if self.batch_size == n_train:
            return self.data.X_train, self.data.y_train
        idx = self._rng.choice(n_train, self.batch_size, replace=False)
        return self.data.X_train[idx], self.data.y_train[idx]

    def step(self, n: int = 1) -> int:
        """Take up to n SGD steps; stops early (and sets `diverged`) if training blows up.

        Returns the number of steps actually taken (also kept as `last_advance`).
        """
        taken = 0
        while taken < n and self.diverged is None:
            trace = self.net.forward_backward(*self._batch())
            if not _healthy(trace):
                self._diverge(f"loss {trace.loss:.3g}")
                break
            before = {key: value.copy() for key, value in self.net.params.items()}
            self.optimizer.step(self.net.params, trace.grads)
            self.steps += 1
            problem = self._record(trace)
            if problem:
                self.net.params, self.steps = before, self.steps - 1  # undo the bad step
                self._diverge(problem)
                break
            taken += 1
        self.last_advance = taken
        return taken

    def _diverge(self, problem: str) -> None:
        self.diverged = (
            f"Training diverged at step {self.steps + 1} ({problem}): lower the "
            f"learning rate (now {self.settings.lr:g}), then press Reset. The views show "
            f"step {self.steps}, the last finite state."
        )

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """(mean loss, accuracy) of the current network on (X, y)."""
        z = self.net.logits(X)
        out = losses.head_loss(
            self.net.head, self.net.loss, z, losses.targets(y, self.net.n_outputs),
            self.net.temperature,
        )  # fmt: skip
        return float(out.losses.mean()), accuracy(out.probs, y)

    def _split(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        X, y = (self.data.X_train, self.data.y_train) if split == "train" else (
            self.data.X_test, self.data.y_test)  # fmt: skip
        rows = self._eval_rows[split]
        return X[rows], y[rows]

    def _record(self, trace: Trace) -> str | None:
        """Append a history row for the current weights; if they are not finite, keep nothing
        and say what went wrong."""
        if not all(np.all(np.isfinite(p)) for p in self.net.params.values()):
            return "the weights overflowed"
        train_loss, train_acc = self.evaluate(*self._split("train"))
        test_loss, test_acc = self.evaluate(*self._split("test"))
        if not (np.isfinite([train_loss, test_loss]).all() and train_loss <= EXPLODED_LOSS):
            return f"training loss {train_loss:.3g}"
        norms = [float(np.linalg.norm(trace.grads.get(k, np.zeros(0)))) for k in ("W1", "W2")]
        row = (self.steps, train_loss, test_loss, train_acc, test_acc, *norms)
        self.history.rows.append(row)
        self.last_trace = trace
        return None

    def inspect(self, split: str, index: int) -> Trace:
        """The full forward and backward trace of one example ("train" or "test", row index)."""
        X, y = (self.data.X_train, self.data.y_train) if split == "train" else (
            self.data.X_test, self.data.y_test)  # fmt: skip
        if not 0 <= index < len(X):
            raise IndexError(f"{split} example {index} does not exist (0 … {len(X) - 1})")
        return self.net.forward_backward(X[index : index + 1], y[index : index + 1])

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """p = head(z / T) of the current network for any inputs X (n, d) → (n, k)."""
        return self.net.predict_proba(X)


def _healthy(trace: Trace) -> bool:
    return trace.is_finite and trace.loss <= EXPLODED_LOSS


def _subset(n: int, seed: int) -> np.ndarray:
    """All row indices, or a fixed random EVAL_MAX of them (sorted) for a large split."""
    if n <= EVAL_MAX:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, EVAL_MAX, replace=False))


def output_gradient_by_class(trace: Trace) -> dict[int, np.ndarray]:
    """Split the output layer's batch gradient by the examples' true class.

    For each class c in the batch: the mean over its examples of [δ hᵀ | δ], shape (k, H + 1)
    (the last column is ∂L/∂b2), with δ = ∂L/∂z and h the output layer's input. Weighted by
    the class counts, these average back to the batch gradient [∂L/∂W2 | ∂L/∂b2].
    """
    h = trace.hidden if trace.hidden is not None else trace.X
    split = {}
    for c in np.unique(trace.y):
        rows = trace.y == c
        delta = trace.dL_dz[rows]
        split[int(c)] = np.c_[delta.T @ h[rows] / rows.sum(), delta.mean(axis=0)]
    return split
