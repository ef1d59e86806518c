"""Reference app: a fragment that only bumps a counter at Play's frame interval."""

import streamlit as st

from softviz.ui.playback import FRAME_SECONDS

st.session_state.setdefault("n", 0)
st.session_state.setdefault("playing", False)
if st.button("Pause" if st.session_state["playing"] else "Play"):
    st.session_state["playing"] = not st.session_state["playing"]
    st.rerun()


@st.fragment(run_every=FRAME_SECONDS if st.session_state["playing"] else None)
def counter() -> None:
    if st.session_state["playing"]:
        st.session_state["n"] += 1
    st.metric("Steps", st.session_state["n"])


counter()
