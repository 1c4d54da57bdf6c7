#!/usr/bin/env bash
# Installs the Debian packages that the container and Python packaging tests
# use: buildah, podman and skopeo with vfs storage, Debian's docker-registry
# (distribution 2.8), debootstrap for the local base images, and Debian's
# Python build tools for /usr/bin/python3. Run as root on Debian bookworm.
# Running it again changes nothing that the first run set up.
set -euo pipefail

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-system-packages.sh must run as root, because it calls apt-get and writes /etc/containers." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

packages=(
  buildah
  podman
  skopeo
  docker-registry
  debootstrap
  debian-archive-keyring
  python3-build
  python3-setuptools
  python3-wheel
  python3-venv
  python3-pip
  python3-pip-whl
  python3-setuptools-whl
  python3-wheel-whl
  make
)

# The docker-registry package enables and starts its own service, which
# listens on :5000 on every interface. The tests start their own registry on a
# free loopback port instead, so a temporary policy-rc.d keeps that service
# from starting during the install. invoke-rc.d and deb-systemd-invoke both
# consult policy-rc.d, and exit code 101 means "action forbidden". An existing
# policy-rc.d is left in place, since it is the machine's own policy.
policy_helper=/usr/sbin/policy-rc.d
if [[ ! -e "$policy_helper" ]]; then
  cat >"$policy_helper" <<'POLICY'
#!/bin/sh
# Temporary file of .ci/install-system-packages.sh, removed when it exits.
case "$1" in
  docker-registry | docker-registry.service) exit 101 ;;
esac
exit 0
POLICY
  chmod 0755 "$policy_helper"
  trap 'rm -f "$policy_helper"' EXIT
fi

apt-get update
apt-get install -y "${packages[@]}"

# Disable the package's service so that it does not start at boot either, and
# stop it if an earlier install left it running.
if [[ -d /run/systemd/system ]]; then
  systemctl disable --now docker-registry.service || true
else
  # Without a running systemd, remove the unit's enable links all the same, in
  # case the machine boots with systemd later, and disable the init script.
  deb-systemd-helper disable docker-registry.service >/dev/null 2>&1 || true
  update-rc.d docker-registry disable >/dev/null 2>&1 || true
  if [[ -x /etc/init.d/docker-registry ]]; then
    /etc/init.d/docker-registry stop >/dev/null 2>&1 || true
  fi
fi

# golang-github-containers-common and golang-github-containers-image, which
# buildah, podman and skopeo depend on, install these two files. Without
# policy.json, pushing and reading images fails.
for required_file in /etc/containers/policy.json /etc/containers/registries.conf; do
  if [[ ! -f "$required_file" ]]; then
    echo "Missing $required_file after the install. Reinstall golang-github-containers-common and golang-github-containers-image." >&2
    exit 1
  fi
done

# Without a storage.conf, buildah 1.28 picks the overlay driver, and overlay
# images live in a different store from the vfs images that the tests build
# with --storage-driver vfs. Setting vfs here makes a call without the flag see
# the same images. An existing storage.conf is left as it is.
storage_conf=/etc/containers/storage.conf
if [[ ! -e "$storage_conf" ]]; then
  cat >"$storage_conf" <<'STORAGE'
# Written by .ci/install-system-packages.sh. vfs works without kernel overlay
# support, and the tests pass --storage-driver vfs to every call.
[storage]
driver = "vfs"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
STORAGE
elif ! grep -Eq '^[[:space:]]*driver[[:space:]]*=[[:space:]]*"vfs"' "$storage_conf"; then
  echo "Note: $storage_conf sets no vfs driver. The tests still pass --storage-driver vfs." >&2
fi

buildah --version
podman --version
skopeo --version
docker-registry --version
debootstrap --version
/usr/bin/python3 -c 'import build, setuptools, wheel; print("python3 build", build.__version__, "setuptools", setuptools.__version__, "wheel", wheel.__version__)'
buildah --storage-driver vfs info >/dev/null
