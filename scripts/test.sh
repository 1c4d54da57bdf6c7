#!/usr/bin/env bash
# Installs what the tests need, then runs every test: unit tests, the
# generated Makefile under make, projen new --from on the packed package,
# and image builds with buildah against a registry on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx projen test
