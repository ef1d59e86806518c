"""A training run: data, network, optimiser and history, advanced one step at a time.

Pure NumPy, no Streamlit: a page keeps one Trainer per session in st.session_state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from softviz.datasets import Dataset, make_dataset
from softviz.network import MLP, Trace, accuracy
from softviz.optim import SGD
from softviz.settings import Settings

# A loss this large means the weights are running away even if nothing overflowed yet.
EXPLODED_LOSS = 1e6
HISTORY_KEYS = ("step", "train_loss", "test_loss", "train_acc", "test_acc", "norm_W1", "norm_W2")


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


def build_dataset(settings: Settings) -> Dataset:
    """The generated dataset a Settings record describes."""
    return make_dataset(settings.dataset, settings.n, settings.noise, settings.seed)


class Trainer:
    """Mini-batch SGD on one network; records history and the last batch's trace.

    >>> t = Trainer(Settings(dataset="xor", hidden=4))
    >>> t.step(10); t.steps
    10
    """

    def __init__(self, settings: Settings, data: Dataset | None = None) -> None:
        self.settings = settings
        self.data = data if data is not None else build_dataset(settings)
        self.net = build_network(settings, self.data.n_features)
        self.optimizer = SGD(settings.lr, settings.momentum, settings.decay)
        self._rng = np.random.default_rng(settings.seed + 1)
        self.steps = 0
        self.history = History()
        self.last_trace: Trace | None = None
        self.diverged: str | None = None
        self._record(self.net.forward_backward(*self._batch()))

    @property
    def batch_size(self) -> int:
        n_train = len(self.data.X_train)
        return n_train if self.settings.batch == 0 else min(self.settings.batch, n_train)

    @property
    def epoch(self) -> float:
        """Training examples seen so far, in passes over the training set."""
        return self.steps * self.batch_size / len(self.data.X_train)

    def _batch(self) -> tuple[np.ndarray, np.ndarray]:
        n_train = len(self.data.X_train)
        if self.batch_size == n_train:
            return self.data.X_train, self.data.y_train
        idx = self._rng.choice(n_train, self.batch_size, replace=False)
        return self.data.X_train[idx], self.data.y_train[idx]

    def step(self, n: int = 1) -> int:
        """Take up to n SGD steps; stops early (and sets `diverged`) if training blows up.

        Returns the number of steps actually taken.
        """
        taken = 0
        while taken < n and self.diverged is None:
            trace = self.net.forward_backward(*self._batch())
            if not trace.is_finite or trace.loss > EXPLODED_LOSS:
                self.diverged = (
                    f"Training diverged at step {self.steps + 1} (loss {trace.loss:.3g}): "
                    "lower the learning rate, then press Reset."
                )
                break
            self.optimizer.step(self.net.params, trace.grads)
            self.steps += 1
            taken += 1
            self._record(trace)
        return taken

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """(mean loss, accuracy) of the current network on (X, y)."""
        trace = self.net.forward_backward(X, y)
        return trace.loss, accuracy(trace.probs, y)

    def _record(self, trace: Trace) -> None:
        self.last_trace = trace
        train_loss, train_acc = self.evaluate(self.data.X_train, self.data.y_train)
        test_loss, test_acc = self.evaluate(self.data.X_test, self.data.y_test)
        norms = [float(np.linalg.norm(trace.grads.get(k, np.zeros(0)))) for k in ("W1", "W2")]
        row = (self.steps, train_loss, test_loss, train_acc, test_acc, *norms)
        self.history.rows.append(row)
