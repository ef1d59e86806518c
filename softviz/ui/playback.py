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


def buttons_ui(key: str, runner: Runner, reset: Callable[[], None]) -> None:
    """The button row. Step buttons and Reset pause playback; Play and Pause share a button."""
    playing = st.session_state.get(_playing_key(key), False)
    cols = st.columns([1, 1, 1, 1, 3])
    if cols[0].button("Step", key=f"{key}_step", type="primary", disabled=playing):
        runner.step(1)
    if cols[1].button("Step ×10", key=f"{key}_step10", disabled=playing):
        runner.step(10)
    label = "Pause" if playing else "Play"
    if cols[2].button(label, key=f"{key}_play", disabled=bool(runner.diverged) and not playing):
        st.session_state[_playing_key(key)] = not playing
        st.rerun()
    if cols[3].button("Reset", key=f"{key}_reset"):
        st.session_state[_playing_key(key)] = False
        reset()
        st.rerun()


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
