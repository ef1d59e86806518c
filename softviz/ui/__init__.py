"""Streamlit pages and shared widgets: the only package that imports streamlit."""
