"""softviz entry point: page configuration and navigation, nothing else."""

import streamlit as st

from softviz.ui import common, hosting, pages

st.set_page_config(page_title="softviz", layout="wide")
hosting.replica_caption()
page = st.navigation(pages.all_pages())
common.run_page(page.url_path, page.run)
