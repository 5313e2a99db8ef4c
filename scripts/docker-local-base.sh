#!/usr/bin/env bash
# Build the Begegnungsatlas image without Docker Hub: a Debian bookworm base made with debootstrap, and on it
# local/python311 (Debian's Python 3.11 with a venv on PATH, so `pip install` works as in python:3.11-slim) and
# local/postgres15 (Debian's postgresql-15 behaving like postgres:15 for compose.yaml: POSTGRES_PASSWORD, port 5432).
#   sudo scripts/docker-local-base.sh                 makes local/bookworm, local/python311 and local/postgres15
#   docker build --build-arg BASE=local/python311 -t begegnungsatlas:local .
#   BASE=local/python311 POSTGRES_IMAGE=local/postgres15 docker-compose up demo
# Needs root (debootstrap), docker, and a Debian mirror (MIRROR, default http://deb.debian.org/debian).
# EXTRA_CA: a directory of *.crt files that local/python311 trusts besides Debian's CAs (e.g. a TLS-inspecting proxy
# in front of PyPI: EXTRA_CA=/usr/local/share/ca-certificates). pip uses the system bundle (PIP_CERT) in that image.
set -euo pipefail

MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SECURITY="${SECURITY:-http://deb.debian.org/debian-security}"
EXTRA_CA="${EXTRA_CA:-}"
ROOTFS="$(mktemp -d /tmp/bookworm-rootfs.XXXXXX)"
CONTEXT="$(mktemp -d /tmp/python311-context.XXXXXX)"
PGCONTEXT="$(mktemp -d /tmp/postgres15-context.XXXXXX)"
trap 'rm -rf "$ROOTFS" "$CONTEXT" "$PGCONTEXT"' EXIT

command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }

echo "==> debootstrap --variant=minbase bookworm from $MIRROR" >&2
debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >/dev/null
rm -f "$ROOTFS/etc/apt/sources.list"
cat > "$ROOTFS/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
chroot "$ROOTFS" apt-get clean
rm -rf "$ROOTFS"/var/lib/apt/lists/*

echo "==> docker import local/bookworm" >&2
tar -C "$ROOTFS" -c . | docker import -c 'CMD ["bash"]' - local/bookworm >/dev/null

mkdir "$CONTEXT/ca"
if [ -n "$EXTRA_CA" ]; then cp "$EXTRA_CA"/*.crt "$CONTEXT/ca/"; fi
cat > "$CONTEXT/Dockerfile" <<'DOCKERFILE'
FROM local/bookworm
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3.11 python3.11-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && update-ca-certificates >/dev/null \
 && python3.11 -m venv /opt/venv \
 && PIP_CERT=/etc/ssl/certs/ca-certificates.crt /opt/venv/bin/pip install --no-cache-dir --upgrade pip
ENV PATH=/opt/venv/bin:$PATH LANG=C.UTF-8 PIP_CERT=/etc/ssl/certs/ca-certificates.crt
CMD ["python3"]
DOCKERFILE

echo "==> docker build local/python311" >&2
docker build -q -t local/python311 "$CONTEXT" >/dev/null
docker run --rm local/python311 sh -c 'echo "local/python311: $(python --version), $(pip --version | cut -d" " -f1-2), prefix $(python -c "import sys; print(sys.prefix)")"'

cat > "$PGCONTEXT/entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
# First start: a cluster with the superuser postgres and POSTGRES_PASSWORD (password login over TCP); then postgres.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
  printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
  initdb -U postgres --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi
exec postgres -c listen_addresses='*' "$@"
ENTRYPOINT
chmod 755 "$PGCONTEXT/entrypoint.sh"
cat > "$PGCONTEXT/Dockerfile" <<'DOCKERFILE'
FROM local/bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o postgres -g postgres /var/lib/postgresql/data /var/run/postgresql
COPY entrypoint.sh /usr/local/bin/postgres-entrypoint
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
USER postgres
VOLUME /var/lib/postgresql/data
EXPOSE 5432
ENTRYPOINT ["postgres-entrypoint"]
DOCKERFILE

echo "==> docker build local/postgres15" >&2
docker build -q -t local/postgres15 "$PGCONTEXT" >/dev/null
echo "local/postgres15: $(docker run --rm --entrypoint postgres local/postgres15 --version)"
