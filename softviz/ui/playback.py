"""Step, Step ×10, Play / Pause and Reset for anything that trains step by step.

Works with any runner that has `steps`, `step(n) -> int` and `diverged` (a message or None):
softviz.training.Trainer, or a pair of networks advancing in lockstep. Play runs the views
inside a fragment, so only they rerun on each frame, not the whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import streamlit as st

FRAME_SECONDS = 0.1


class Runner(Protocol):
    steps: int
    diverged: str | None

    def step(self, n: int = 1) -> int: ...


def _playing_key(key: str) -> str:
    return f"{key}_playing"


def _set_playing(key: str, playing: bool) -> None:
    st.session_state[_playing_key(key)] = playing


def _reset(key: str, reset: Callable[[], None]) -> None:
    st.session_state[_playing_key(key)] = False
    reset()


def buttons_ui(key: str, runner: Runner, reset: Callable[[], None]) -> None:
    """The button row. Step buttons and Reset pause playback; Play and Pause share a button.

    Play/Pause and Reset act in callbacks, which run before the page is drawn: one run per
    click, with the label and the frame timer already right, where a flag set mid-run would
    need a second run (st.rerun) that an overloaded server could interleave with a frame.
    The Play/Pause callback sets the state the label promised rather than toggling it: a
    click that lands during a frame can reach its callback twice, and a toggle would undo it.
    """
    playing = st.session_state.get(_playing_key(key), False)
    cols = st.columns([1, 1, 1, 1, 3])
    if cols[0].button("Step", key=f"{key}_step", type="primary", disabled=playing):
        runner.step(1)
    if cols[1].button("Step ×10", key=f"{key}_step10", disabled=playing):
        runner.step(10)
    cols[2].button(
        "Pause" if playing else "Play",
        key=f"{key}_play",
        on_click=_set_playing,
        args=(key, not playing),
        disabled=bool(runner.diverged) and not playing,
    )
    cols[3].button("Reset", key=f"{key}_reset", on_click=_reset, args=(key, reset))


def live_views(key: str, runner: Runner, views: Callable[[Runner], None], per_frame: int) -> None:
    """Draw the views; while playing, redraw them every frame after `per_frame` more steps."""
    playing = st.session_state.get(_playing_key(key), False)

    @st.fragment(run_every=FRAME_SECONDS if playing else None)
    def frame() -> None:
        if st.session_state.get(_playing_key(key), False):
            runner.step(per_frame)
            if runner.diverged:
                st.session_state[_playing_key(key)] = False
                st.rerun(scope="app")  # redraw the button row: Play again, not Pause
        views(runner)

    frame()


def is_playing(key: str) -> bool:
    """Whether the runner under `key` is currently playing."""
    return bool(st.session_state.get(_playing_key(key), False))


def stop(key: str) -> None:
    """Pause the runner under `key` (e.g. because the page replaced it with a new one)."""
    st.session_state[_playing_key(key)] = False
