"""The engine never imports Streamlit (checked in a fresh interpreter)."""

import subprocess
import sys

ENGINE = ["heads", "losses", "activations", "network", "optim", "datasets", "gradcheck",
          "settings", "training", "story", "lessons", "tour_steps", "export"]  # fmt: skip


def test_engine_modules_do_not_import_streamlit():
    code = (
        "import sys\n"
        + "".join(f"import softviz.{m}\n" for m in ENGINE)
        + "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
