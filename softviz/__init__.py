"""softviz: how a binary label flows back through a softmax or sigmoid head into the weights.

The engine (heads, losses, activations, network, optim, datasets, gradcheck, settings) is pure
NumPy and never imports Streamlit; `softviz.figures` turns arrays into Plotly figures and
`softviz.ui` wires them to Streamlit widgets.
"""

__version__ = "0.1.0"
