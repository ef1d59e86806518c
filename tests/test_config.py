"""The Streamlit configuration is fit for a public server (issue 8) and a projector."""

import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())


def test_public_server_settings():
    server = CONFIG["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True  # CORS protection on: only our own origin
    assert 0 < server["maxUploadSize"] <= 10  # MB; the only upload is a small CSV
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_no_shared_mutable_cache_in_the_code():
    sources = (Path(__file__).parents[1] / "softviz").rglob("*.py")
    offenders = [p.name for p in sources if "cache_resource" in p.read_text()]
    assert offenders == []
