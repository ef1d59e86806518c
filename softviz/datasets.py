"""Deterministic toy datasets, all generated from a seed (nothing is downloaded).

Every generator shares one signature, ``(n, noise, rng) -> (X (n, d), y (n,))`` with binary
labels y ∈ {0, 1}; `make_dataset` draws one, shuffles it and splits it into train and test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

IMAGE_SIDE = 10


@dataclass(frozen=True)
class Dataset:
    """Train and test splits. X (n, d) float, y (n,) int; image_shape is (side, side) for
    image data (each row of X is a flattened image) and None for points in the plane."""

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    image_shape: tuple[int, int] | None = None
    feature_names: tuple[str, ...] = ()

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_classes(self) -> int:
        return int(max(self.y_train.max(initial=1), self.y_test.max(initial=1))) + 1


def _cross(side: int) -> np.ndarray:
    mask = np.zeros((side, side))
    mask[1, :] = mask[:, 1] = 1.0
    return mask[:3, :3]


def object_images(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Grayscale IMAGE_SIDE² images; half contain a bright 3×3 cross at a random position.

    Every image gets Gaussian pixel noise of std `noise` and clutter: one to three isolated
    dim dots, which a detector must learn to tell from the object.
    """
    side = IMAGE_SIDE
    y = rng.permutation(np.arange(n) % 2)
    images = np.zeros((n, side, side))
    cross = _cross(3)
    for i in range(n):
        for _ in range(rng.integers(1, 4)):
            images[i, rng.integers(side), rng.integers(side)] = rng.uniform(0.3, 0.6)
        if y[i]:
            r, c = rng.integers(0, side - 2, size=2)
            patch = images[i, r : r + 3, c : c + 3]
            np.maximum(patch, cross * rng.uniform(0.8, 1.0), out=patch)
    images += rng.normal(0.0, noise, size=images.shape)
    return images.reshape(n, side * side), y


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points in [−1, 1]², label 1 where x₁·x₂ > 0 (opposite quadrants share a class)."""
    X = rng.uniform(-1, 1, size=(n, 2))
    X += np.sign(X) * 0.05  # keep a small gap along the axes, as the playground does
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    return X + rng.normal(0, noise, size=X.shape), y


def circles(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A disc (label 1, radius < 0.5) inside a ring (label 0, radius 0.7 … 1)."""
    y = rng.permutation(np.arange(n) % 2)
    radius = np.where(y == 1, rng.uniform(0, 0.5, n), rng.uniform(0.7, 1.0, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    return X + rng.normal(0, noise, size=X.shape), y


def gaussians(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two round Gaussian blobs centred at ±(0.5, 0.5), std 0.25 + noise."""
    y = rng.permutation(np.arange(n) % 2)
    centres = np.where(y[:, None] == 1, 0.5, -0.5)
    return centres + rng.normal(0, 0.25 + noise, size=(n, 2)), y


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved arms of an Archimedean spiral, one per class."""
    y = rng.permutation(np.arange(n) % 2)
    t = rng.uniform(0.05, 1.0, n)
    angle = 3.5 * np.pi * t + np.pi * y
    X = np.c_[t * np.cos(angle), t * np.sin(angle)]
    return X + rng.normal(0, noise, size=X.shape), y


def moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interlocking half circles, centred so the set sits around the origin."""
    y = rng.permutation(np.arange(n) % 2)
    angle = rng.uniform(0, np.pi, n)
    upper = np.c_[np.cos(angle), np.sin(angle)]
    lower = np.c_[1 - np.cos(angle), 0.5 - np.sin(angle)]
    X = np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25]
    return X + rng.normal(0, noise, size=X.shape), y


Generator = Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]
GENERATORS: dict[str, Generator] = {
    "object": object_images,
    "xor": xor,
    "circles": circles,
    "gaussians": gaussians,
    "spiral": spiral,
    "moons": moons,
}
DATASETS = tuple(GENERATORS)


def split(
    name: str,
    X: np.ndarray,
    y: np.ndarray,
    test_fraction: float,
    rng: np.random.Generator,
    **extra,
) -> Dataset:
    """Shuffle and split (X, y) into a Dataset; both splits keep at least one example."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    order = rng.permutation(len(X))
    n_test = min(max(1, round(len(X) * test_fraction)), len(X) - 1)
    test, train = order[:n_test], order[n_test:]
    return Dataset(name, X[train], y[train], X[test], y[test], **extra)


def make_dataset(
    name: str = "object",
    n_samples: int = 800,
    noise: float = 0.1,
    seed: int = 0,
    test_fraction: float = 0.25,
) -> Dataset:
    """Draw `n_samples` examples of a named set and split them, deterministically from seed.

    >>> data = make_dataset("object", n_samples=100, seed=1)
    >>> data.X_train.shape   # 75 train images of 10 × 10 pixels, flattened
    (75, 100)
    """
    if name not in GENERATORS:
        raise ValueError(f"unknown dataset {name!r}: choose one of {', '.join(DATASETS)}")
    if isinstance(n_samples, bool) or int(n_samples) != n_samples or n_samples < 4:
        raise ValueError(f"n_samples must be a whole number ≥ 4, got {n_samples!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number ≥ 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    X, y = GENERATORS[name](int(n_samples), float(noise), rng)
    if name == "object":
        names = tuple(f"px{r}_{c}" for r in range(IMAGE_SIDE) for c in range(IMAGE_SIDE))
        extra = {"image_shape": (IMAGE_SIDE, IMAGE_SIDE), "feature_names": names}
    else:
        extra = {"feature_names": ("x1", "x2")}
    return split(name, X, y, test_fraction, rng, **extra)
