"""Reference app: the least Streamlit can do per click (a button bumps a Steps metric)."""

import streamlit as st

st.session_state.setdefault("n", 0)
if st.button("Step"):
    st.session_state["n"] += 1
st.metric("Steps", st.session_state["n"])
