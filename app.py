"""softviz entry point: page configuration and navigation, nothing else."""

import streamlit as st

from softviz.ui import hosting, pages

st.set_page_config(page_title="softviz", layout="wide")
hosting.replica_caption()
st.navigation(pages.all_pages()).run()
