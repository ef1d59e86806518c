"""Plotly figure builders: arrays in, figures out. Nothing here trains or predicts."""
