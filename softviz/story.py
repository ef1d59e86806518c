"""The landing page's one picture, computed for real: a network learning "object present?".

Trains the default network on the default "object in image" data for a number of steps,
then takes a few test images through one forward and backward pass, so every number the
picture shows (h, p, y, p − y and ∂L/∂W2) comes from the engine. Pure NumPy, no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from softviz.network import accuracy
from softviz.settings import DEFAULTS, Settings
from softviz.training import Trainer


@dataclass(frozen=True)
class Snapshot:
    """A trained network caught in the act, on m chosen test examples.

    images (m, side, side); labels t (m,); hidden h (m, H); probs p, targets y and
    dL_dz = p − y (m, k); grad_W2 = mean over the m examples of (p − y) hᵀ, (k, H);
    losses (m,) per example; steps taken and the test accuracy after them.
    """

    steps: int
    test_accuracy: float
    images: np.ndarray
    labels: np.ndarray
    hidden: np.ndarray
    probs: np.ndarray
    targets: np.ndarray
    dL_dz: np.ndarray
    grad_W2: np.ndarray
    losses: np.ndarray


def pick_examples(probs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of three telling test examples: the surest hit on an object, the surest
    "no object", and the example the network gets most wrong (largest error on its label).

    probs (n, k) with k ≥ 2 or k = 1 (sigmoid); y (n,) binary labels.
    """
    p_object = probs[:, -1]
    positives, negatives = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    hit = positives[np.argmax(p_object[positives])]
    reject = negatives[np.argmin(p_object[negatives])]
    error = np.abs(p_object - y)
    error[[hit, reject]] = -1.0  # three different examples
    return np.array([hit, reject, int(np.argmax(error))])


def snapshot(settings: Settings = DEFAULTS, steps: int = 100) -> Snapshot:
    """Train for `steps` SGD steps, then trace three telling test examples (see pick_examples).

    Needs image data, a hidden layer and a 2-way softmax (the picture names outputs 0 and 1
    "no object" and "object").
    """
    if (settings.dataset, settings.head, settings.k) != ("object", "softmax", 2):
        raise ValueError("the story needs the object-image dataset and a 2-way softmax head")
    if settings.hidden == 0:
        raise ValueError("the story needs a hidden layer (hidden > 0)")
    trainer = Trainer(settings)
    trainer.step(steps)
    data = trainer.data
    test_probs = trainer.net.predict_proba(data.X_test)
    chosen = pick_examples(test_probs, data.y_test)
    trace = trainer.net.forward_backward(data.X_test[chosen], data.y_test[chosen])
    return Snapshot(
        steps=trainer.steps,
        test_accuracy=accuracy(test_probs, data.y_test),
        images=trace.X.reshape(len(chosen), *data.image_shape),
        labels=trace.y,
        hidden=trace.hidden,
        probs=trace.probs,
        targets=trace.targets,
        dL_dz=trace.dL_dz,
        grad_W2=trace.grads["W2"],
        losses=trace.example_losses,
    )
