"""Datasets: shapes, determinism, both classes, sensible errors."""

import numpy as np
import pytest

from softviz.datasets import DATASETS, make_dataset


@pytest.mark.parametrize("name", DATASETS)
def test_shapes_determinism_and_both_classes(name):
    a = make_dataset(name, n_samples=200, noise=0.1, seed=7)
    b = make_dataset(name, n_samples=200, noise=0.1, seed=7)
    c = make_dataset(name, n_samples=200, noise=0.1, seed=8)
    assert len(a.X_train) + len(a.X_test) == 200 and len(a.X_test) == 50
    assert a.X_train.shape[1] == (100 if name == "object" else 2)
    for split in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, split), getattr(b, split))
    assert not np.array_equal(a.X_train, c.X_train)
    assert set(a.y_train) == {0, 1} and set(a.y_test) == {0, 1}
    assert np.all(np.isfinite(a.X_train))


def test_object_images_put_a_bright_cross_only_in_positives():
    data = make_dataset("object", n_samples=400, noise=0.0, seed=0)
    images = data.X_train.reshape(-1, 10, 10)
    # A cross has a pixel ≥ 0.8 with four bright neighbours; clutter dots never reach 0.8.
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    centre = padded[:, 1:-1, 1:-1]
    arms = np.minimum.reduce([padded[:, :-2, 1:-1], padded[:, 2:, 1:-1],
                              padded[:, 1:-1, :-2], padded[:, 1:-1, 2:]])  # fmt: skip
    has_cross = (np.minimum(centre, arms) >= 0.8).any(axis=(1, 2))
    np.testing.assert_array_equal(has_cross, data.y_train == 1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"name": "mnist"}, "unknown dataset"), ({"n_samples": 2}, "n_samples"),
     ({"noise": -1.0}, "noise"), ({"test_fraction": 1.0}, "test_fraction")],
)  # fmt: skip
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(**kwargs)
