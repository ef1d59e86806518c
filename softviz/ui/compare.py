"""/compare — head to head: two heads, same data, same start, trained in lockstep.

Match-ups (the `matchup` query parameter): binary (sigmoid-1 vs softmax-2), loss (CE vs MSE),
kway (K-way softmax vs K sigmoids) and race (the convergence race). Page-owned query keys:
matchup, match (1 = match learning rates), race_steps, target. Settings fields a match-up
does not use are reset to their defaults for it, so a link carries only what it shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from softviz import compare
from softviz.compare import LockstepPair, RaceRun
from softviz.figures import compare as figures
from softviz.network import predicted_class
from softviz.settings import BOUNDS, CHOICES, DEFAULTS, Settings, consistent, shown
from softviz.training import build_dataset
from softviz.ui import playback, presentation, share
from softviz.ui.common import (
    as_default,
    chart,
    query_is_ours,
    query_settings,
    remember_query,
    write_query,
)

KEY = "compare"
LABELS = {
    "binary": "Sigmoid-1 vs softmax-2",
    "loss": "Cross-entropy vs MSE",
    "kway": "K-way softmax vs K sigmoids",
    "race": "Convergence race",
}
# Settings fields only one match-up uses, and the value it starts from when the URL is silent:
# a start scale of 3 puts many examples confidently wrong; 4 classes show negative
# reinforcement better than 2.
OWNED: dict[str, dict[str, Any]] = {"binary": {}, "loss": {"head": "softmax", "init": 3.0},
                                    "kway": {"k": 4}, "race": {}}  # fmt: skip
RACE_STEPS = (50, 600)
TARGET = (0.5, 1.0)
RACE_BUDGET_SECONDS = 8.0  # refuse a race whose worst case (no one arrives) takes longer


@dataclass(frozen=True)
class PageQuery:
    """The page's own query parameters."""

    matchup: str = "binary"
    match: bool = False
    race_steps: int = 300
    target: float = 0.9


PAGE_DEFAULTS = PageQuery()


def _last(value: str | list[str]) -> str:
    return (value if isinstance(value, str) else (value[-1] if value else "")).strip()


def _parse_page(key: str, raw: str) -> Any:
    if key == "matchup":
        if raw not in LABELS:
            raise ValueError(f"expected one of {', '.join(LABELS)}")
        return raw
    if key == "match":
        if raw not in ("0", "1"):
            raise ValueError("expected 1 or 0")
        return raw == "1"
    low, high = RACE_STEPS if key == "race_steps" else TARGET
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("expected a number") from None  # float's message echoes the input
    if not low <= value <= high or (key == "race_steps" and value != int(value)):
        kind = "a whole number" if key == "race_steps" else "a number"
        raise ValueError(f"expected {kind} from {low:g} to {high:g}")
    return int(value) if key == "race_steps" else value


def page_query(query: Mapping[str, str | list[str]]) -> tuple[PageQuery, list[str]]:
    """The page-owned parameters; each unusable value falls back with one warning."""
    values, warnings = {}, []
    for key in ("matchup", "match", "race_steps", "target"):
        if key not in query:
            continue
        raw = _last(query[key])
        try:
            values[key] = _parse_page(key, raw)
        except ValueError as err:
            default = getattr(PAGE_DEFAULTS, key)
            warnings.append(f"Ignored {key}={shown(raw)} ({err}); using {key}={default}.")
    return replace(PAGE_DEFAULTS, **values), warnings


def page_extras(matchup: str, page: PageQuery, settings: Settings) -> dict[str, str]:
    """The page-owned query keys for the URL (and a match-up's own fields, always written,
    since their page default differs from the app's)."""
    extras = {key: str(getattr(settings, key)) for key in OWNED[matchup]}
    extras["matchup"] = "" if matchup == PAGE_DEFAULTS.matchup else matchup
    extras["match"] = "1" if matchup == "binary" and page.match else ""
    if matchup == "race":
        extras["race_steps"] = str(page.race_steps)
        extras["target"] = f"{page.target:g}"
    return extras


def settings_for(matchup: str, settings: Settings) -> Settings:
    """Reset the fields that belong to other match-ups to the app's defaults, and weight
    decay to 0 (the page never uses it)."""
    foreign = {name for other, fields in OWNED.items() if other != matchup for name in fields}
    resets = {name: getattr(DEFAULTS, name) for name in foreign - set(OWNED[matchup])}
    return consistent(replace(settings, **resets, decay=0.0))[0]


# --- widgets -----------------------------------------------------------------------------


def _key(name: str) -> str:
    return f"{KEY}_{name}"


def _seed(name: str, value: Any) -> str:
    """Give a widget its starting value unless it already has one; returns its key."""
    key = _key(name)
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def _seeded(name: str, value: Any, option: str = "value") -> dict[str, Any]:
    """A widget's key= and its current value as its default too (`option`: value=, default=;
    see common.as_default)."""
    key = _seed(name, value)
    return {"key": key, option: as_default(key)}


def _chosen(name: str, value: Any, options: Sequence[Any]) -> dict[str, Any]:
    """key= and index= (the current choice) for a selectbox."""
    key = _seed(name, value)
    return {"key": key, "index": list(options).index(as_default(key))}


def _start(settings: Settings, query: Mapping, matchup: str, name: str) -> Any:
    """A settings widget's start: the URL's value, else this match-up's default, else the app's."""
    if name in query or name not in OWNED[matchup]:
        return getattr(settings, name)
    return OWNED[matchup][name]


def _forget_widgets_if_url_changed() -> None:
    """A URL we did not write (a link, the address bar) reseeds every widget from it."""
    if not query_is_ours():
        for key in [k for k in st.session_state if str(k).startswith(f"{KEY}_")]:
            if key not in (_key("pairs"), _key("race_request")):
                del st.session_state[key]
        remember_query(st.query_params.to_dict())


def matchup_ui(page: PageQuery) -> str:
    """The match-up chooser."""
    return st.segmented_control("Match-up", tuple(LABELS), format_func=LABELS.get, required=True,
                                **_seeded("matchup", page.matchup, "default"))  # fmt: skip


def common_ui(settings: Settings, query: Mapping, matchup: str) -> dict[str, Any]:
    """Dataset, hidden units, learning rate and seed, in one row."""
    start = lambda name: _start(settings, query, matchup, name)  # noqa: E731
    cols = st.columns(4)
    values: dict[str, Any] = {}
    if matchup == "kway":
        cols[0].markdown("**Data**  \nK Gaussian blobs")
    else:
        values["dataset"] = cols[0].selectbox("Dataset", CHOICES["dataset"],
                                              **_chosen("dataset", start("dataset"),
                                                        CHOICES["dataset"]))  # fmt: skip
    values["hidden"] = cols[1].number_input("Hidden units", 0, int(BOUNDS["hidden"][1]), step=1,
                                            **_seeded("hidden", start("hidden")),
                                            help="0: no hidden layer")  # fmt: skip
    low, high = BOUNDS["lr"]
    values["lr"] = cols[2].number_input("Learning rate η", low, high, step=0.01, format="%.4g",
                                        **_seeded("lr", start("lr")))  # fmt: skip
    values["seed"] = cols[3].number_input("Seed", 0, int(BOUNDS["seed"][1]), step=1,
                                          **_seeded("seed", start("seed")))  # fmt: skip
    return values


def specific_ui(settings: Settings, query: Mapping, page: PageQuery, matchup: str):
    """The match-up's own controls; returns (settings values, page query)."""
    start = lambda name: _start(settings, query, matchup, name)  # noqa: E731
    if matchup == "binary":
        match = st.toggle("Match learning rates (softmax output layer at η/2)",
                          **_seeded("match", page.match))  # fmt: skip
        return {}, replace(page, match=match)
    cols = st.columns(4)
    if matchup == "loss":
        head = cols[0].selectbox(
            "Head",
            ("softmax", "sigmoid"),
            **_chosen("head", start("head"), ("softmax", "sigmoid")),
            format_func={"softmax": "softmax-2", "sigmoid": "sigmoid-1"}.get,
        )
        init = cols[1].slider("Initial weight scale", 0.0, float(BOUNDS["init"][1]), step=0.1,
                              **_seeded("init", float(start("init"))),
                              help="3: many examples start confidently wrong")  # fmt: skip
        return {"head": head, "init": init}, page
    if matchup == "kway":
        k = cols[0].slider("Classes K", 2, int(BOUNDS["k"][1]), **_seeded("k", max(start("k"), 2)))
        return {"k": k}, page
    steps = cols[0].number_input("Steps per racer", *RACE_STEPS, step=50,
                                 **_seeded("race_steps", page.race_steps))  # fmt: skip
    target = cols[1].slider("Target test accuracy", *TARGET, step=0.01, format="%.2f",
                            **_seeded("target", page.target))  # fmt: skip
    return {}, replace(page, race_steps=int(steps), target=float(target))


def more_ui(settings: Settings) -> dict[str, Any]:
    """Less-used settings in a popover; all of them shape the runs, none is hidden in the URL."""
    bound = lambda name: tuple(type(getattr(DEFAULTS, name))(v) for v in BOUNDS[name])  # noqa: E731
    with st.popover("More settings", icon=":material/tune:"):
        values = {
            "activation": st.selectbox("Hidden activation", CHOICES["activation"],
                                       **_chosen("activation", settings.activation,
                                                  CHOICES["activation"])),
            "noise": st.slider("Data noise", *bound("noise"), step=0.05,
                               **_seeded("noise", settings.noise)),
            "n": st.number_input("Examples (train + test)", *bound("n"), step=100,
                                 **_seeded("n", settings.n)),
            "batch": st.number_input("Batch size (0 = all)", *bound("batch"), step=16,
                                     **_seeded("batch", settings.batch)),
            "momentum": st.slider("Momentum", *bound("momentum"), step=0.01,
                                  **_seeded("momentum", settings.momentum)),
            "temperature": st.number_input("Temperature T", *bound("temperature"), step=0.1,
                                           **_seeded("temperature", settings.temperature)),
            "speed": st.slider("Steps per Play frame", *bound("speed"),
                               **_seeded("speed", settings.speed)),
        }  # fmt: skip
    return values


def controls_ui() -> tuple[str, Settings, PageQuery]:
    """Every control, seeded from the URL; writes the result back to the URL."""
    with st.container():  # one element however many warnings there are
        settings = presentation.apply_presentation(query_settings())
        raw = {key: st.query_params.get_all(key) for key in st.query_params}
        page, warnings = page_query(raw)
        for message in warnings:
            st.warning(message, icon="⚠️")
        if settings.decay:
            st.info(f"Weight decay is not used on this page (it shrinks w₁ and w₀ separately, "
                    f"which breaks the identity); ignoring decay={settings.decay:g}.")  # fmt: skip
    _forget_widgets_if_url_changed()
    matchup = matchup_ui(page)
    values = common_ui(settings, raw, matchup)
    own, page = specific_ui(settings, raw, page, matchup)
    more = more_ui(settings)
    chosen = settings_for(matchup, replace(settings, **values, **own, **more))
    write_query(chosen, **page_extras(matchup, page, chosen))
    return matchup, chosen, page


# --- the lockstep match-ups --------------------------------------------------------------

BINARY_TEXT = (
    "Both networks start as the same function: the sigmoid's output weights are "
    "w = w₁ − w₀ and b = b₁ − b₀ of the softmax's two rows, and the hidden layer is shared, so "
    "p₁ = softmax(z)₁ = σ(z₁ − z₀) is the same number in both. Both see the same mini-batches. "
    "The softmax's two rows get opposite gradients ±(p₁ − t)h, so w₁ − w₀ moves by *twice* the "
    "sigmoid's step, and w₁ + w₀ never moves."
)
MATCHED_TEXT = (
    "**Rates matched** — the softmax output layer learns at η/2, everything else at η. The "
    "curves lie on top of each other (the dashed teal line covers the orange one) and every "
    "gap stays at rounding level, ~10⁻¹⁶."
)
SHARED_TEXT = (
    "**One shared rate η** — the softmax output layer effectively learns twice as fast, so "
    "the curves part. The dotted black line is a sigmoid-1 whose output layer runs at 2η: it "
    "sits exactly on the softmax-2 curve, so the doubled rate is the whole difference. Switch "
    "on *Match learning rates* to make the two heads coincide."
)
LOSS_TEXT = (
    "Same head, same initial weights, same batches; only the loss differs. With cross-entropy "
    "∂L/∂z = p − y: the more confidently wrong an example (margin m ≪ 0), the larger its "
    "gradient, up to 1. With MSE the Jacobian does not cancel: ∂L/∂z = Jᵀ(p − y) carries the "
    "factor p(1 − p), which vanishes exactly when the network is confidently wrong, so those "
    "examples stall. Below, each dot is a training example at the current step; the lines are "
    "the closed forms (CE: σ(−m); MSE: σ(−m)²σ(m), twice that for softmax-2). The initial "
    "weight scale starts at 3 so that many examples begin confidently wrong; at 1, MSE is "
    "merely slower."
)
KWAY_TEXT = (
    "K classes, one-hot labels, identical initial weights. Both heads give ∂L/∂z = p − y, so "
    "row k of ∂L/∂W2 is (p_k − y_k)hᵀ in both: the true class's row is pulled toward h, every "
    "other row pushed away (*negative reinforcement*). What differs is p. A softmax's outputs "
    "compete: its Jacobian has negative off-diagonals −p_k p_j, the pushes on the wrong rows "
    "add up to exactly the pull on the true row (ratio 1, a zero-sum redistribution), and "
    "once the true class wins every push fades together. Each sigmoid is its own yes/no "
    "(diagonal Jacobian): a wrong row is pushed until its own σ(z_k) → 0, whatever the true "
    "class does; at the start every σ ≈ ½, so the wrong rows together get about K − 1 times "
    "the true row's pull."
)
KWAY_DATA_TEXT = (
    "Why K Gaussian blobs rather than the object images? A binary label only ever makes "
    "class 0 or 1 the true one; with K outputs the rows 2 … K − 1 would only ever be pushed "
    "down. With K real classes every row is sometimes pulled and sometimes pushed, which is "
    "what negative reinforcement is about."
)


def pair_for(matchup: str, settings: Settings, match: bool) -> tuple[LockstepPair, bool]:
    """This session's run for the match-up, and whether it was just rebuilt because its
    settings changed. Each match-up keeps its own run, so switching back and forth keeps
    the progress."""
    config = (replace(settings, speed=DEFAULTS.speed), match if matchup == "binary" else False)
    pairs = st.session_state.setdefault(_key("pairs"), {})
    stored = pairs.get(matchup)
    if stored is not None and stored[0] == config:
        return stored[1], False
    pairs[matchup] = (config, compare.build_pair(matchup, settings, match))
    return pairs[matchup][1], stored is not None


def reset(matchup: str, settings: Settings, match: bool) -> None:
    """Start the match-up's run again from step 0."""
    st.session_state.setdefault(_key("pairs"), {}).pop(matchup, None)
    pair_for(matchup, settings, match)


def _number(value: float) -> str:
    """A gap as a short number: 0, 2.2e-16, 0.0731."""
    if value == 0:
        return "0"
    return f"{value:.1e}" if abs(value) < 1e-3 else f"{value:.3g}"


def curves(pair: LockstepPair) -> figures.Curves:
    """The history of every side, for the figures."""
    history = [side.history for side in pair.sides]
    return figures.Curves(
        [side.name for side in pair.sides], history[0].column("step"),
        [h.column("train_loss") for h in history], [h.column("test_acc") for h in history],
    )  # fmt: skip


def _plane(pair: LockstepPair) -> figures.Plane | None:
    if pair.grid_axes is None:
        return None
    xs, ys = pair.grid_axes
    p_a, p_b = (compare.output_probability(p).reshape(len(ys), len(xs))
                for p in pair.grid_probabilities()[:2])  # fmt: skip
    return figures.Plane(xs, ys, p_a, p_b, pair.data.X_test, pair.data.y_test)


def binary_views(pair: LockstepPair) -> None:
    """Match-up 1: the gaps as numbers, then curves and boundaries."""
    plane = _plane(pair)
    cols = st.columns(5)
    cols[0].metric("Steps", pair.steps)
    cols[1].metric(
        "Largest loss gap",
        _number(pair.largest_loss_gap()),
        help="max |loss_a − loss_b| over the run so far (training and test sets)",
    )
    if plane is not None:
        cols[2].metric(
            "Boundary gap now",
            _number(float(np.abs(plane.p_a - plane.p_b).max())),
            help="max |p_a − p_b| over the decision-boundary grid at this step",
        )
    else:
        cols[2].metric(
            "Largest |p_a − p_b|",
            _number(pair.largest_test_probability_gap()),
            help="max |p_a(object) − p_b(object)| over the test set and the run",
        )
    cols[3].metric(
        "w₁ + w₀ moved",
        _number(compare.sum_drift(pair)),
        help="max |Δ(w₁ + w₀, b₁ + b₀)| of the softmax since step 0",
    )
    cols[4].metric("w₁ − w₀ vs w", _number(compare.difference_gap(pair)),
                   help="max |(w₁ − w₀, b₁ − b₀) − (w, b)|: the softmax's effective sigmoid "
                        "against the sigmoid's own output weights")  # fmt: skip
    if pair.diverged:
        st.error(pair.diverged)
    test_p = [compare.output_probability(s.net.predict_proba(pair.data.X_test))
              for s in pair.sides[:2]]  # fmt: skip
    chart(figures.binary_figure(curves(pair), plane, test_p), "compare_binary")


def _loss_label(side: compare.Side) -> str:
    return "MSE" if side.net.loss == "mse" else "CE"


def loss_views(pair: LockstepPair) -> None:
    """Match-up 2: accuracy and the confidently-wrong examples, then |∂L/∂z| against m."""
    views = [compare.margin_view(trace) for trace in pair.train_traces]
    cols = st.columns(5)
    cols[0].metric("Steps", pair.steps)
    for col, side in zip(cols[1:3], pair.sides, strict=False):
        accuracy = side.history.column("test_acc")[-1]
        col.metric(f"Test accuracy, {_loss_label(side)}", f"{accuracy:.1%}")
    for col, side, view in zip(cols[3:], pair.sides, views, strict=False):
        wrong = view.confidently_wrong
        size = f"{view.gradient[wrong].mean():.2g}" if wrong.any() else "–"
        col.metric(f"Sure but wrong, {_loss_label(side)}", int(wrong.sum()))
        col.caption(f"margin < {compare.CONFIDENTLY_WRONG:g}; mean |∂L/∂z|: **{size}**")
    if pair.diverged:
        st.error(pair.diverged)
    head, temperature = pair.a.net.head, pair.a.net.temperature
    grid = np.linspace(-figures.MARGIN_RANGE, figures.MARGIN_RANGE, 201)
    theory = [compare.gradient_curve(head, side.net.loss, grid, temperature) for side in pair.sides]
    cloud = figures.MarginCloud(
        [v.margin for v in views], [v.gradient for v in views], grid, theory
    )
    fig = figures.loss_figure(curves(pair), cloud, compare.CONFIDENTLY_WRONG)
    chart(fig, "compare_loss")


def _example_arrays(pair: LockstepPair, index: int) -> list[figures.ExampleArrays]:
    x, label = pair.data.X_test[index], int(pair.data.y_test[index])
    views = [compare.example_view(side.net, x, label) for side in pair.sides[:2]]
    return [figures.ExampleArrays(side.name, v.jacobian, v.error, v.grad_W2)
            for side, v in zip(pair.sides, views, strict=False)]  # fmt: skip


def _regions(pair: LockstepPair) -> figures.Regions:
    xs, ys = pair.grid_axes
    p_a, p_b = pair.grid_probabilities()[:2]
    shape = (len(ys), len(xs))
    return figures.Regions(xs, ys, predicted_class(p_a).reshape(shape),
                           predicted_class(p_b).reshape(shape), p_b.sum(axis=1).reshape(shape),
                           pair.data.X_test, pair.data.y_test)  # fmt: skip


def kway_views(pair: LockstepPair, example: int) -> None:
    """Match-up 3: accuracy and push ratios; curves, one example's way back and the regions."""
    cols = st.columns(5)
    cols[0].metric("Steps", pair.steps)
    for i, side in enumerate(pair.sides[:2]):
        cols[1 + i].metric(
            f"Test accuracy, {side.name}", f"{side.history.column('test_acc')[-1]:.1%}"
        )
        cols[3 + i].metric(f"Push ÷ pull, {side.name}", f"{side.push[-1]:.2f}")
    cols[3].caption("Σ|∂L/∂z| wrong rows ÷ true rows, last batch")
    if pair.diverged:
        st.error(pair.diverged)
    n_hidden = pair.a.net.n_hidden
    inputs = [f"h{j}" for j in range(n_hidden)] if n_hidden else list(pair.data.feature_names)
    push = [side.push for side in pair.sides]
    fig = figures.kway_figure(curves(pair), push, _example_arrays(pair, example), inputs,
                              _regions(pair))  # fmt: skip
    chart(fig, "compare_kway")


def lockstep_ui(matchup: str, settings: Settings, page: PageQuery) -> None:
    """A playable match-up: explanation, buttons, and the views that follow every step."""
    match = page.match
    if matchup == "binary":
        st.markdown(BINARY_TEXT)
        st.markdown(MATCHED_TEXT if match else SHARED_TEXT)
    elif matchup == "loss":
        st.markdown(LOSS_TEXT)
    else:
        st.markdown(KWAY_TEXT)
        st.caption(KWAY_DATA_TEXT)
    # One placeholder whether or not there is news, so the live views below keep their place
    # in the page (a shifting fragment can leave a stale copy behind).
    note = st.empty()
    try:
        pair, restarted = pair_for(matchup, settings, match)
    except ValueError as err:
        note.error(f"Cannot build this match-up: {err}")
        return
    if restarted:
        note.info("Settings changed: both networks restarted from step 0.")
    playback.buttons_ui(KEY, pair, lambda: reset(matchup, settings, match))
    views = _views(matchup, pair)
    playback.live_views(KEY, pair, views, settings.speed)


def _views(matchup: str, pair: LockstepPair):
    if matchup == "binary":
        return binary_views
    if matchup == "loss":
        return loss_views
    n_test = len(pair.data.X_test)
    example = st.columns(3)[0].number_input(
        "Example for the Jacobians (test set index)", 0, n_test - 1, 0, key=_key("example")
    )
    return lambda runner: kway_views(runner, int(example))


# --- the race ----------------------------------------------------------------------------

RACE_TEXT = (
    'The claim: softmax "may help convergence occur faster". The test: {seeds} seeds (initial '
    "weights and batch order), the same data, and four racers from the same start for each "
    "seed — sigmoid-1 and softmax-2 at one shared rate η; softmax-2 with its output layer at "
    "η/2 (the matched rate, which should tie the sigmoid); and sigmoid-1 with its output layer "
    "at 2η (which should tie the softmax, if the doubled rate is the whole story). Each racer "
    "trains until its test accuracy first reaches the target."
)


@st.cache_data(max_entries=512, show_spinner=False)
def race_seed(settings: Settings, seed: int, steps: int, target: float) -> RaceRun:
    """One seed of the race (pure and deterministic, so cached on its inputs)."""
    return compare.race_seed(settings, seed, steps, target)


def run_race(settings: Settings, steps: int, target: float) -> list[RaceRun]:
    """Every seed of the race, with a progress bar (cached seeds return at once)."""
    seeds = compare.race_seeds(settings)
    bar = st.progress(0.0, text="Racing…")
    runs = []
    for i, seed in enumerate(seeds):
        runs.append(race_seed(settings, seed, steps, target))
        bar.progress((i + 1) / len(seeds), text=f"Racing… seed {i + 1} of {len(seeds)}")
    bar.empty()
    return runs


def race_table(runs: list[RaceRun], steps: int) -> pd.DataFrame:
    """Racers as rows, seeds as columns, then the median; '> N' where not reached."""

    def cell(value: float) -> str:
        return f"{value:g}" if np.isfinite(value) else f"> {steps}"

    rows = {}
    for name in compare.RACE_CONTENDERS:
        values = [run.steps[name] for run in runs]
        rows[name] = [cell(v) for v in values] + [cell(float(np.median(values)))]
    columns = [f"seed {run.seed}" for run in runs] + ["median"]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def race_ui(settings: Settings, page: PageQuery) -> None:
    """Match-up 4: start the race with a button; show the table, the plot and the verdict."""
    st.markdown(RACE_TEXT.format(seeds=compare.RACE_SEEDS))
    data = build_dataset(settings)
    cost = compare.race_cost(settings, data, page.race_steps)
    too_slow = cost > RACE_BUDGET_SECONDS
    if too_slow:
        st.error(f"This race could take up to about {cost:.0f} s on this machine. Lower the "
                 "steps per racer, the batch size or the hidden units.")  # fmt: skip
    inputs = (settings, page.race_steps, page.target)
    if st.button("Run the race", key=_key("race_run"), type="primary", disabled=too_slow):
        st.session_state[_key("race_request")] = inputs
    request = st.session_state.get(_key("race_request"))
    if request is None:
        st.info("Press **Run the race**: it takes a second or two.")
        return
    if request != inputs:
        st.info("The settings changed since the last race: press **Run the race** again.")
        return
    race_results_ui(run_race(*inputs), settings, page)


def race_results_ui(runs: list[RaceRun], settings: Settings, page: PageQuery) -> None:
    """The race's verdict, plot, medians and per-seed table."""
    summary = compare.summarise_race(runs, page.race_steps, page.target)
    st.markdown(f"**What the numbers say.** {summary.conclusion}")
    left, right = st.columns([5, 2])
    steps = {name: np.array([run.steps[name] for run in runs]) for name in compare.RACE_CONTENDERS}
    with left:
        chart(figures.race_figure(steps, page.race_steps, page.target), "compare_race")
    for name in compare.RACE_CONTENDERS:
        median, reached = summary.medians[name], summary.reached[name]
        shown_median = f"{median:g}" if np.isfinite(median) else f"> {page.race_steps}"
        right.metric(
            f"Median steps, {name}",
            shown_median,
            help=f"reached the target on {reached} of {summary.n_seeds} seeds",
        )
    st.dataframe(race_table(runs, page.race_steps), width="stretch")
    batch = "all" if settings.batch == 0 else settings.batch
    st.caption(f"Steps until test accuracy first reached {page.target:.0%} (checked after every "
               f"step). Data: {settings.dataset} (seed {settings.seed}), {settings.hidden} hidden "
               f"units, η = {settings.lr:g}, batch {batch}.")  # fmt: skip
    diverged = sorted({name for run in runs for name in run.diverged})
    if diverged:
        st.warning(f"Diverged on some seeds (counted as not reached): {', '.join(diverged)}.")


def render() -> None:
    """The /compare page."""
    st.title("Head to head")
    st.caption("Two heads, the same data, the same start, trained in lockstep on the same "
               "mini-batches.")  # fmt: skip
    matchup, settings, page = controls_ui()
    if matchup == "race":
        st.session_state[f"{KEY}_playing"] = False
        race_ui(settings, page)
    else:
        lockstep_ui(matchup, settings, page)
    share.share_panel(settings, "compare", **page_extras(matchup, page, settings))
