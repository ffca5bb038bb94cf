# One production image recipe for every Qingchun deployable (each service and the gateway gets its
# own image, tagged with its own version, from this one file rather than six copies of it). Build
# from the repository root (the uv workspace), naming the deployable, its port and its version:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=volunteering \
#       --build-arg PORT=8102 --build-arg VERSION=0.1.0 -t qingchun-volunteering:0.1.0 .
# docker-compose.yml names the arguments of each image; tests/test_images.py checks, without a
# Docker engine, that each set of arguments installs exactly its package's wheel set and that the
# app factory imports from it.
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
ARG VERSION=dev
LABEL org.opencontainers.image.title="qingchun-${SERVICE}" \
      org.opencontainers.image.version="${VERSION}"
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    QINGCHUN_SERVICE_MODULE="qingchun_${SERVICE}.service:create_app" \
    QINGCHUN_PORT="${PORT}"
# /var/lib/qingchun belongs to the service user, so a fresh named volume mounted below it (compose's
# development token issuer writes its key pair there) is writable without running as root.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin qingchun \
    && install -d -o qingchun -g qingchun /var/lib/qingchun /var/lib/qingchun/dev-issuer
COPY --from=build /app/.venv /app/.venv
WORKDIR /app
USER qingchun
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["sh", "-c", "python -c \"import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:${QINGCHUN_PORT}/healthz', timeout=2).status == 200 else 1)\""]
CMD ["sh", "-c", "exec uvicorn --factory \"$QINGCHUN_SERVICE_MODULE\" --host 0.0.0.0 --port \"$QINGCHUN_PORT\""]
