# Begegnungsatlas in a container: the demo (default command) and the whole test suite (`./run suite`).
#   docker compose up demo                       → http://127.0.0.1:8000 (demo accounts are printed on start)
#   docker compose run --rm test                 → ruff, mypy, suite on SQLite, then on the PostgreSQL service
# BASE: any Debian-based image with Python 3.11 whose pip may install (no PEP 668 lock). Default python:3.11-slim;
# without Docker Hub, scripts/docker-local-base.sh makes local/python311 (see README, "Docker"):
#   docker build --build-arg BASE=local/python311 -t begegnungsatlas:local .
ARG BASE=python:3.11-slim
FROM ${BASE}

# chromium: the browser tests drive Debian's chromium through Playwright (no browser download);
# libatomic1: Playwright's bundled node driver needs it (a minimal Debian lacks it); postgresql-client: pg_isready;
# fonts: readable PDFs and screenshots; gettext: the catalogue test runs makemessages (xgettext, msgmerge).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      chromium libatomic1 postgresql-client fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BEGEGNUNGSATLAS_DATA_DIR=/data

WORKDIR /app
# Dependencies first (pinned in pyproject.toml): a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY begegnungsatlas/__init__.py begegnungsatlas/__init__.py
RUN pip install --no-cache-dir -e ".[demo,test,peers]"
COPY . .

VOLUME /data
EXPOSE 8000
CMD ["begegnungsatlas", "demo", "--host", "0.0.0.0", "--port", "8000"]
