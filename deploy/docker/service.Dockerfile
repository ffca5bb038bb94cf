# One production image recipe for every Qingchun service (no copy per service). Build from the
# repository root (the uv workspace), naming the service and its port:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=volunteering \
#       --build-arg PORT=8102 -t qingchun-volunteering .
# Only that service and its workspace dependencies are installed: no dev group, so neither the
# test tools nor SecantusDB (GPL-2.0-only, development only) ever reach the image.

# Every workspace member's pyproject.toml, with its directory, and nothing else: uv reads the
# whole workspace to use the lock file, and this stage's output changes only when a manifest does,
# so the dependency layer below survives source edits. New members need no edit here.
FROM python:3.11-slim AS manifests
WORKDIR /src
COPY . .
RUN find . -name pyproject.toml -not -path "./.venv/*" -not -path "./.data/*" \
        -exec sh -c 'mkdir -p "/manifests/$(dirname "$1")" && cp "$1" "/manifests/$1"' _ {} \; \
    && cp uv.lock /manifests/uv.lock

FROM python:3.11-slim AS build
ARG SERVICE
# Where the member's source lives: services/<name> for a service, `gateway` for the gateway.
ARG SOURCE=services/${SERVICE}
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN test -n "$SERVICE" || (echo "--build-arg SERVICE=<registry|volunteering|…> is required" && exit 1)
RUN pip install uv
WORKDIR /src

# 1. Third-party dependencies only, from the lock file.
COPY --from=manifests /manifests/ ./
RUN uv sync --frozen --no-dev --package "qingchun-${SERVICE}" --no-install-workspace

# 2. The workspace packages the service needs, installed as ordinary (non-editable) wheels.
COPY contracts/src contracts/src
COPY plumbing/src plumbing/src
COPY ${SOURCE}/src ${SOURCE}/src
RUN uv sync --frozen --no-dev --package "qingchun-${SERVICE}" --no-editable

FROM python:3.11-slim
ARG SERVICE
ARG PORT
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    QINGCHUN_SERVICE_MODULE="qingchun_${SERVICE}.service:create_app" \
    QINGCHUN_PORT="${PORT}"
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin qingchun
COPY --from=build /app/.venv /app/.venv
WORKDIR /app
USER qingchun
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["sh", "-c", "python -c \"import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:${QINGCHUN_PORT}/healthz', timeout=2).status == 200 else 1)\""]
CMD ["sh", "-c", "exec uvicorn --factory \"$QINGCHUN_SERVICE_MODULE\" --host 0.0.0.0 --port \"$QINGCHUN_PORT\""]
