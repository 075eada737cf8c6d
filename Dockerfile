# mcp-dockernet in a container: the image the probe helper uses (probes/vantage.py) and a way to
# run the tool without Python on the host. Legacy-builder compatible (no BuildKit syntax).
#   docker build -t mcp-dockernet:dev .
#   docker build --build-arg BASE_IMAGE=mcp-dockernet-lab/base:bookworm -t mcp-dockernet:dev .
ARG BASE_IMAGE=python:3.12-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/mcp-dockernet \
    PATH=/opt/mcp-dockernet/bin:$PATH

COPY . /src
# Wheels only, no compiler is installed. A build context with a wheels/ directory (scripts/lab-up
# makes one with `pip wheel`) installs offline from it; otherwise pip asks the registry.
RUN python3 -m venv /opt/mcp-dockernet \
    && if [ -d /src/wheels ]; then \
         /opt/mcp-dockernet/bin/pip install --no-index --find-links /src/wheels mcp-dockernet; \
       else /opt/mcp-dockernet/bin/pip install /src; fi \
    && rm -rf /src /root/.cache \
    && find /opt/mcp-dockernet -name '__pycache__' -prune -exec rm -rf {} + \
    && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin mcp-dockernet

USER 10001
# As a sidecar (`watch --listen 0.0.0.0:8765`): healthy when the watcher sees the engine and every
# watched MCP server answers (/ready), so `depends_on: condition: service_healthy` gates an agent.
# Another listen port: set MCP_DOCKERNET_READY_URL. A 5 s interval: Engine 20.10 has no start-interval.
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ.get('MCP_DOCKERNET_READY_URL', 'http://127.0.0.1:8765/ready'), timeout=4)"]
ENTRYPOINT ["mcp-dockernet"]
CMD ["--help"]
