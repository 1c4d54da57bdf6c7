#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh Debian machine: the
# system packages (as root, skipped when they are present) and the npm
# packages from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

needs_system_packages() {
  for tool in buildah podman skopeo docker-registry debootstrap make; do
    command -v "$tool" >/dev/null 2>&1 || return 0
  done
  /usr/bin/python3 -c 'import build, setuptools, wheel, venv' 2>/dev/null || return 0
  [[ -f /etc/containers/storage.conf ]] || return 0
  return 1
}

if needs_system_packages; then
  if [[ "$(id -u)" -eq 0 ]]; then
    bash .ci/install-system-packages.sh
  else
    sudo bash .ci/install-system-packages.sh
  fi
fi

npm ci --no-audit --no-fund
