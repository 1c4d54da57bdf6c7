#!/usr/bin/env bash
# Runs the main job on a built-in example: packs this package, creates a new
# "analyzer" service repository from the tarball with projen new --from,
# then builds its sdist and prints what "make upload" would run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

work=.tmp/demo
rm -rf "$work" && mkdir -p "$work/pack" "$work/analyzer"
npx jsii --silence-warnings=reserved-word
tarball=$(npm pack --silent --pack-destination "$work/pack" | tail -n 1)
tarball=$(cd "$work/pack" && pwd)/$tarball
projen_version=$(node -p 'require("projen/package.json").version')

echo "== projen new --from $tarball"
(cd "$work/analyzer" && npx projen new --from "$tarball" --no-git \
  --projen-version "$projen_version" \
  --python-version 3.11 --image-name analyzer --registry-namespace acme)

cd "$work/analyzer"
echo
echo "== Files in $work/analyzer"
find . -path ./node_modules -prune -o -type f -print | sort
echo
echo "== .projenrc.ts"
cat .projenrc.ts
echo
echo "== Dockerfile"
cat Dockerfile
echo
echo "== make sdist"
# Debian's Python has the "build" package; nothing is fetched from an index.
make sdist PYTHON=/usr/bin/python3 PYTHON_BUILD_FLAGS=--no-isolation
ls dist
echo
# A repository of its own with everything committed: upload moves latest
# only for a final release built from a clean git tree.
git init -q -b main
git add -A
git -c user.name=demo -c user.email=demo@example.com commit -q -m "Create analyzer"
echo "== make -n upload REGISTRY=registry.example.com"
make -n upload PYTHON=/usr/bin/python3 PYTHON_BUILD_FLAGS=--no-isolation \
  REGISTRY=registry.example.com
