"""The training lab's figures: valid Plotly (checked once here, since the page skips
validation for speed), signed panels on the shared diverging scale centred at zero."""

import numpy as np
import plotly.graph_objects as go
import pytest

from softviz.figures import train as figs
from softviz.figures.common import DIVERGING

RNG = np.random.default_rng(0)


def validated(fig: go.Figure) -> go.Figure:
    """Re-build the figure with full Plotly validation; raises on any invalid property."""
    return go.Figure(fig.to_dict())


@pytest.mark.parametrize(
    ("values", "limit"), [([0.13, -0.04], 0.2), ([-3.0], 5.0), ([0.5], 0.5), ([7e-5], 1e-4)]
)
def test_nice_limit_is_the_next_1_2_5_step(values, limit):
    assert figs.nice_limit(np.array(values)) == pytest.approx(limit)


def test_thin_keeps_at_most_the_budget_and_the_last_row():
    rows = figs.thin(10_000)
    assert len(rows) <= figs.MAX_CURVE_POINTS + 1 and rows[-1] == 9_999 and rows[0] == 0


def test_heatmap_stack_groups_share_a_symmetric_scale():
    panels = [
        figs.Panel(RNG.normal(size=(2, 5)) * 0.01, "g", list("abcde"), ["r0", "r1"], "∂L/∂W2"),
        figs.Panel(
            RNG.normal(size=(4, 5)) * 0.03, "g by class", list("abcde"), list("wxyz"), "∂L/∂W2"
        ),
        figs.Panel(RNG.normal(size=(2, 5)), "W", list("abcde"), ["r0", "r1"], "W2"),
    ]
    fig = validated(figs.heatmap_stack(panels))
    grad_axis, weight_axis = fig.layout.coloraxis, fig.layout.coloraxis2
    assert grad_axis.cmin == -grad_axis.cmax and weight_axis.cmin == -weight_axis.cmax
    assert grad_axis.cmax >= np.abs(panels[1].values).max()
    assert [c[1] for c in grad_axis.colorscale] == [c[1] for c in DIVERGING]
    assert [t.coloraxis for t in fig.data] == ["coloraxis", "coloraxis", "coloraxis2"]


def test_every_builder_gives_a_valid_figure():
    history = {
        k: RNG.random(50)
        for k in ("step", "train_loss", "test_loss", "train_acc", "test_acc", "norm_W1", "norm_W2")
    }
    grid = np.linspace(-1, 1, 100)
    points = {"train": (RNG.normal(size=(30, 2)), RNG.integers(0, 2, 30), RNG.integers(0, 2, 30))}
    images = RNG.random((12, 10, 10))
    figures = [
        figs.curves_figure(history),
        figs.templates_figure(RNG.normal(size=(16, 100)), RNG.normal(size=(16, 100)), (10, 10)),
        figs.templates_figure(RNG.normal(size=(5, 100)), RNG.normal(size=(5, 100)), (10, 10)),
        figs.surface_figure(grid, grid, RNG.random((100, 100)), points),
        figs.gallery_figure(images, RNG.random(12), RNG.integers(0, 2, 12), np.arange(12)),
        figs.strip_figure(RNG.random(40), RNG.integers(0, 2, 40)),
        figs.image_figure(RNG.random((10, 10))),
        figs.inspector_figure(
            RNG.random(8),
            RNG.normal(size=2),
            np.array([0.3, 0.7]),
            np.array([0.0, 1.0]),
            np.eye(2),
            RNG.normal(size=2),
            RNG.normal(size=(2, 8)),
        ),
    ]
    for fig in figures:
        assert validated(fig).data


def test_gallery_frames_exactly_the_mistakes():
    prob = np.array([0.9, 0.2, 0.7, 0.4])
    y = np.array([1, 1, 0, 0])
    fig = figs.gallery_figure(RNG.random((4, 10, 10)), prob, y, np.arange(4))
    frames = np.asarray(fig.data[1].x)
    assert np.isnan(frames).sum() == 2  # two closed outlines, NaN after each
    captions = fig.data[3].text
    assert captions[1].startswith("✗") and captions[2].startswith("✗")
    assert not captions[0].startswith("✗")


def test_mosaic_puts_each_tile_in_its_place():
    tiles = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2)
    out = figs.mosaic(tiles, columns=2)
    assert np.array_equal(out[0:2, 3:5], tiles[1]) and np.array_equal(out[3:5, 0:2], tiles[2])
    assert np.isnan(out[2]).all()
