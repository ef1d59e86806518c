"""The guided tour's content: one frozen record per step, no Streamlit.

Each step has a title, a short text (Markdown with $…$ maths), the name of the live view
drawn under it (see softviz.ui.tour.VIEWS) and links that open a lab with preset query
parameters (the keys of the UI contract in DESIGN.md, so a link reproduces the view).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from softviz.settings import DEFAULTS, Settings, to_query


@dataclass(frozen=True)
class Link:
    """A lab page ("heads", "train", "compare") opened with preset query parameters: the
    Settings keys of the UI contract plus the page's own (e.g. /compare's matchup)."""

    label: str
    path: str
    query: tuple[tuple[str, str], ...] = ()

    def href(self, **extra: str) -> str:
        """The link as a root-relative URL, e.g. "/heads?k=4"; extra keys are appended."""
        query = dict(self.query) | extra
        return f"/{self.path}" + (f"?{urlencode(query)}" if query else "")


@dataclass(frozen=True)
class Step:
    """One screen of the tour."""

    title: str
    text: str
    view: str
    links: tuple[Link, ...]


def preset(settings: Settings) -> tuple[tuple[str, str], ...]:
    """The query parameters that reproduce `settings` (those that differ from the defaults)."""
    return tuple(to_query(settings).items())


# Runs the tour both links to and draws live: the same settings, so the picture and the lab agree.
XOR_RUN = replace(DEFAULTS, dataset="xor", hidden=8, lr=0.5)
# A start that is confidently wrong on most points (test accuracy 9 % at step 0).
BAD_START = replace(DEFAULTS, dataset="gaussians", hidden=0, init=5.0, lr=0.5, seed=1)
_XOR = preset(XOR_RUN)
_STALL = preset(BAD_START)

STEPS: tuple[Step, ...] = (
    Step(
        "One bit of label",
        "Every training image comes with one bit: **t = 1** if the object (a small bright "
        "cross) is in it, **t = 0** if not. The network sees nothing richer. This tour follows "
        "that bit from the label back into the weights.",
        "images",
        (Link("Train a network on these images", "train", (("dataset", "object"),)),),
    ),
    Step(
        "A sigmoid turns one logit into a probability",
        "The network's last layer outputs a number $z$, the *logit*. The sigmoid "
        "$p = \\sigma(z) = 1/(1 + e^{-z})$ squashes it into (0, 1): $z > 0$ means "
        '"object more likely than not". Its slope $p(1 - p)$ is largest at $p = ½$ and '
        "vanishes at both ends — remember that for the last step.",
        "sigmoid",
        (Link("Heads lab: sigmoid and softmax side by side", "heads", (("k", "2"),)),),
    ),
    Step(
        "A softmax makes K logits compete",
        "With $K$ outputs, the softmax $p_k = e^{z_k} / \\sum_j e^{z_j}$ gives probabilities "
        "that sum to 1. Raising one logit takes probability from all the others; adding the "
        "same constant to every logit changes nothing. A temperature $T$ divides the logits: "
        "large $T$ flattens $p$, small $T$ sharpens it.",
        "softmax",
        (
            Link("Heads lab with 4 logits", "heads", (("k", "4"),)),
            Link("…and at temperature 3", "heads", (("k", "4"), ("temperature", "3"))),
        ),
    ),
    Step(
        "The Jacobian ∂p/∂z",
        "How does each probability react to each logit? For sigmoids the Jacobian is "
        "diagonal, $p_k(1 - p_k)$: output $k$ only sees $z_k$. For the softmax it is "
        "$\\mathrm{diag}(p) - p\\,p^\\top$: positive on the diagonal, negative everywhere "
        "else, every row and column summing to 0. (A well-known answer online gets the "
        "diagonal wrong; the Heads lab checks it live.)",
        "jacobian",
        (Link("Heads lab: Jacobians and the claims checked", "heads", (("k", "4"),)),),
    ),
    Step(
        "The chain rule: ∂L/∂z = Jᵀ ∂L/∂p",
        "Cross-entropy $L = -\\sum_k y_k \\log p_k$ looks only at the true class: "
        "$\\partial L/\\partial p = -y/p$ is zero everywhere else. Multiplying by the "
        "Jacobian spreads that single number over every logit — the off-diagonal terms are "
        "what reach the wrong classes.",
        "chain",
        (Link("Heads lab: the backward chain", "heads", (("k", "4"),)),),
    ),
    Step(
        "p − y: every output moves by its error",
        "The product collapses to $\\partial L/\\partial z = p - y$. The true class gets "
        "$p_k - 1 < 0$, so gradient descent raises its logit; every other class gets "
        "$+p_k$ and is pushed down in proportion to how much probability it stole. "
        "A sigmoid with binary cross-entropy gives the same $p - t$.",
        "error",
        (Link("Heads lab with the label toggle", "heads", (("k", "4"),)),),
    ),
    Step(
        "The gradient lands on W2 as an outer product",
        "The last layer computes $z = W_2 h + b_2$, so "
        "$\\partial L/\\partial W_2 = (p - y)\\,h^\\top$: row $k$ of $W_2$ moves along the "
        "hidden activations $h$, scaled by $p_k - y_k$. The true class's row is pulled toward "
        "$h$, every other row is pushed away. In the picture: one real image through a small "
        "network.",
        "outer",
        (Link("Training lab: ∂L/∂W2 at every step", "train", (("hidden", "8"),)),),
    ),
    Step(
        "Watch it learn",
        "Press **Step ×10** a few times in the training lab: on XOR data the decision boundary "
        "bends into shape while ∂L/∂W2 fades, because $p - y$ shrinks as the network becomes "
        "right. In the picture: that run, 300 steps, computed just now.",
        "training",
        (Link("Training lab on XOR, 8 hidden units", "train", _XOR),),
    ),
    Step(
        "A 2-way softmax is a sigmoid",
        "With two outputs, $p_1 = e^{z_1}/(e^{z_0} + e^{z_1}) = \\sigma(z_1 - z_0)$: only the "
        "difference of the logits matters, and the Jacobian is "
        "$q\\,[[1, -1], [-1, 1]]$ with $q = p_1(1 - p_1)$. In the picture: random logit pairs, "
        "every one exactly on the sigmoid curve.",
        "identity",
        (Link("Head to head: sigmoid-1 against softmax-2", "compare", (("hidden", "0"),)),),
    ),
    Step(
        "Same loss, twice the step",
        "Start a sigmoid from $w = w_1 - w_0$. Both heads then have the same loss, but the "
        "softmax rows get opposite gradients $\\pm(p_1 - t)h$, so $w_1 - w_0$ moves twice as "
        "far per step. Without a hidden layer, halve the softmax's learning rate and the two "
        "runs coincide step for step; keep it equal and the softmax runs ahead.",
        "race",
        (
            Link(
                "Head to head: the rates matched",
                "compare",
                (("hidden", "0"), ("match", "1")),
            ),
        ),
    ),
    Step(
        "Why not mean squared error?",
        "With MSE the Jacobian does not cancel: $\\partial L/\\partial z = J^\\top (p - y)$ "
        "keeps the factor $p(1 - p)$, which vanishes when the network is *confidently wrong* "
        "— exactly when it should learn fastest. Below: a network that starts confidently "
        "wrong (most test points misclassified); cross-entropy recovers at once, MSE crawls.",
        "mse",
        (
            Link(
                "Training lab: MSE from a bad start",
                "train",
                preset(replace(BAD_START, loss="mse")),
            ),
            Link("…the same with cross-entropy", "train", _STALL),
            Link("Head to head: CE against MSE", "compare", (("matchup", "loss"),)),
        ),
    ),
    Step(
        "Your turn",
        "One bit of label becomes a target $y$; the head and the loss turn it into "
        "$p - y$ at the logits; the chain rule carries $(p - y)\\,h^\\top$ into $W_2$ and "
        "$W_2^\\top(p - y)$ further back. Open a lab and change one thing at a time — every "
        "view has its settings in the address bar, so you can share exactly what you see.",
        "story",
        (
            Link("Heads lab", "heads"),
            Link("Training lab", "train"),
            Link("Head to head", "compare"),
        ),
    ),
)
