"""Play frames: the SVG pictures drawn while Play runs show the same numbers, safely."""

import base64
import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from softviz.figures import frames
from softviz.figures import train as figs

RNG = np.random.default_rng(3)
SVG = "{http://www.w3.org/2000/svg}"
KEYS = ("step", "train_loss", "test_loss", "train_acc", "test_acc", "norm_W1", "norm_W2")


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    for element in root.iter():  # no NaN or inf drawn anywhere (PNG data aside)
        shown = [v for k, v in element.attrib.items() if k != "href"] + [element.text or ""]
        assert not any(word in v.lower() for v in shown for word in ("nan", "inf"))
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def decode_png(uri: str) -> np.ndarray:
    assert uri.startswith("data:image/png;base64,")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))


def history(rows: int, **overrides) -> dict[str, np.ndarray]:
    columns = {key: RNG.random(rows) for key in KEYS} | {"step": np.arange(float(rows))}
    return columns | overrides


def test_the_colours_are_the_shared_diverging_scale():
    rgba = frames.diverging_rgba(np.array([-2.0, -1.0, 0.0, 1.0, 3.0, np.nan]), limit=1.0)
    hexes = [frames._hex(c) for c in rgba]
    assert hexes[:5] == ["#2166ac", "#2166ac", "#f7f7f7", "#b2182b", "#b2182b"]
    assert rgba[:5, 3].tolist() == [255] * 5 and rgba[5, 3] == 0  # NaN gaps are clear
    halfway = frames.diverging_rgba(np.array([0.5]), 1.0)[0]
    assert frames._hex(halfway) == "#f4a582"  # the 0.75 stop of DIVERGING


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, (3, 4), elements=st.floats(allow_nan=True, allow_infinity=True)))
def test_any_values_map_to_valid_colours(values):
    rgba = frames.diverging_rgba(values, limit=1.0)
    assert rgba.shape == (3, 4, 4) and rgba.dtype == np.uint8


def test_png_round_trip_keeps_every_pixel_at_its_scale():
    pixels = RNG.integers(0, 256, (3, 5), dtype=np.uint8)
    back = decode_png(frames.png_uri(pixels, scale=4))
    assert back.shape == (12, 20) and np.array_equal(back[::4, ::4], pixels)


def test_curves_draw_one_polyline_per_series_with_the_range_printed():
    root = parse(frames.curves_svg(history(50)))
    assert len(list(root.iter(f"{SVG}polyline"))) == 6
    labels = texts(root)
    assert {"Loss", "Accuracy", "100%", "0%", "step", "train", "test", "‖∂L/∂W1‖"} <= set(labels)
    assert "49" in labels  # the last step


def test_curves_at_step_zero_are_dots_and_without_a_hidden_layer_omit_w1():
    root = parse(frames.curves_svg(history(1, norm_W1=np.zeros(1))))
    assert len(list(root.iter(f"{SVG}circle"))) == 5
    assert "‖∂L/∂W1‖" not in texts(root)


def test_diverged_curves_skip_what_is_not_finite():
    losses = np.array([0.7, 0.5, np.inf, np.nan])
    root = parse(frames.curves_svg(history(4, train_loss=losses, test_loss=losses)))
    points = [p.get("points") for p in root.iter(f"{SVG}polyline")]
    assert all("inf" not in p and "nan" not in p for p in points)


def test_heatmap_stack_draws_every_cell_in_its_colour_and_prints_small_grids():
    values = np.array([[0.5, -0.5], [0.0, 0.2]])
    panels = [figs.Panel(values, "∂L/∂W2", ["h0", "h1"], ["z0", "z1"], "∂L/∂W2")]
    root = parse(frames.heatmap_stack_svg(panels))
    cells = [r for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("#")][1:]
    limit = figs.nice_limit(values)
    expected = [frames._hex(c) for c in frames.diverging_rgba(values, limit).reshape(-1, 4)]
    assert [c.get("fill") for c in cells] == expected
    assert {"0.5", "-0.5", "0.2", "h0", "h1", "z0", "z1", "∂L/∂W2"} <= set(texts(root))


def test_hostile_labels_are_escaped_never_markup():
    hostile = "<script>alert(1)</script>&"
    panels = [figs.Panel(RNG.normal(size=(2, 3)), "t", ["a", "b", hostile], [hostile, "y"], "g")]
    svg = frames.heatmap_stack_svg(panels)
    assert "<script>" not in svg and hostile in texts(parse(svg))
    grid = np.linspace(-1, 1, 20)
    points = {"train": (RNG.normal(size=(5, 2)), np.array([0, 1, 0, 1, 1]), np.zeros(5, int))}
    surface = frames.surface_svg(grid, grid, RNG.random((20, 20)), points, (hostile, "b"))
    assert "<script>" not in surface and hostile in texts(parse(surface))


@pytest.mark.parametrize("m", [1, 5, 16])
def test_templates_embed_both_mosaics_on_their_own_limits(m):
    grad, weights = RNG.normal(size=(m, 100)) * 1e-3, RNG.normal(size=(m, 100))
    root = parse(frames.templates_svg(grad, weights, (10, 10)))
    images = [decode_png(i.get("href")) for i in root.iter(f"{SVG}image")]
    columns = figs.tile_columns(m)
    expected = figs.mosaic(weights.reshape(m, 10, 10), columns)
    assert images[1].shape[:2] == (4 * expected.shape[0], 4 * expected.shape[1])
    colours = frames.diverging_rgba(expected, figs.nice_limit(weights))
    assert np.array_equal(images[1][::4, ::4], colours)
    assert f"∂L/∂W: one tile per unit h0…h{m - 1}" in texts(root)


def test_gallery_frames_the_mistakes_and_prints_each_probability():
    images = RNG.random((6, 10, 10))
    prob, y = np.array([0.9, 0.2, 0.6, 0.4, 0.51, 0.1]), np.array([1, 0, 0, 1, 1, 0])
    root = parse(frames.gallery_svg(images, prob, y, columns=3))
    frames_drawn = [r for r in root.iter(f"{SVG}rect") if r.get("stroke")]
    assert len(frames_drawn) == 2  # 0.6 for a 0, 0.4 for a 1
    assert texts(root) == ["p=0.90", "p=0.20", "✗ p=0.60", "✗ p=0.40", "p=0.51", "p=0.10"]


def test_surface_marks_the_boundary_and_rings_the_mistakes():
    grid = np.linspace(-1, 1, 30)
    prob = np.tile((grid > 0).astype(float), (30, 1))  # boundary at x = 0
    X = np.array([[-0.5, 0.0], [0.5, 0.0], [0.5, 0.5]])
    points = {"train": (X, np.array([0, 1, 0]), np.array([0, 1, 1])), "test": (X, X[:, 0] > 0,
              np.ones(3, int))}  # fmt: skip
    root = parse(frames.surface_svg(grid, grid, prob, points))
    image = decode_png(next(root.iter(f"{SVG}image")).get("href"))[::3, ::3]
    dark = np.all(image[..., :3] == 17, axis=-1)
    assert dark[:, 15].all() and not dark[:, :14].any() and not dark[:, 16:].any()
    rings = [e for e in root.iter() if e.get("stroke") == "#000000"]
    assert len(rings) == 2  # one mistake in each split
    assert len(list(root.iter(f"{SVG}circle"))) == 3 and len(list(root.iter(f"{SVG}path"))) == 3
