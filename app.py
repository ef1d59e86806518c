"""softviz entry point: page configuration and navigation, nothing else."""

import streamlit as st

from softviz.ui import pages

st.set_page_config(page_title="softviz", layout="wide")
st.navigation(pages.ALL).run()
