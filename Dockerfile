# softviz as one container: one Streamlit process on port 8501.
#   docker build -t softviz .
#   docker run --rm -p 8501:8501 softviz          # then open http://localhost:8501
# For several replicas behind nginx see deploy/ and the README's "Deployment" section.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY pyproject.toml README.md ./
COPY softviz ./softviz
RUN pip install --no-deps .

COPY app.py ./
COPY .streamlit ./.streamlit

RUN useradd --create-home --uid 10001 softviz
USER softviz

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(0 if r.status == 200 else 1)"

CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", "--server.fileWatcherType=none"]
