#!/usr/bin/env bash
# Runs the unit tests (SQLite and a throwaway PostgreSQL) under another Node.js major, e.g.
# `bash scripts/test-on-node.sh 22` (further arguments go to jest, e.g. a test path), with Node.js taken from the npm registry's `node`
# package (it installs the official build for this platform, headers included; nothing
# else is needed from nodejs.org). better-sqlite3's native module is built per Node ABI: a
# copy is built for that Node against its own headers, and the machine's Node build is put
# back when the tests end, whatever their outcome.
set -euo pipefail
cd "$(dirname "$0")/.."

major=${1:?usage: test-on-node.sh <node major, e.g. 22> [jest arguments, e.g. a path]}
shift
dir=$(mktemp -d "/tmp/private-api-node$major.XXXXXX")

echo "test-on-node: installing Node.js $major from the npm registry"
npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "node@$major" >/dev/null
platform=$(node -p 'process.platform + "-" + process.arch')
nodehome="$dir/node_modules/node/node_modules/node-$platform"
[ -x "$nodehome/bin/node" ] || { echo "test-on-node: no Node.js binary in $nodehome" >&2; exit 1; }

sqlite=$(node -p 'require("path").dirname(require.resolve("better-sqlite3/package.json"))')
binary="$sqlite/build/Release/better_sqlite3.node"
cp "$binary" "$dir/better_sqlite3.node.machine"
restore() {
  mkdir -p "$(dirname "$binary")"
  cp "$dir/better_sqlite3.node.machine" "$binary"
  rm -rf "$dir"
}
trap restore EXIT

export PATH="$nodehome/bin:$PATH"
echo "test-on-node: $(node -v); building better-sqlite3 for its ABI ($(node -p process.versions.modules))"
(cd "$sqlite" && npm_config_nodedir="$nodehome" npx --no-install node-gyp rebuild --release --loglevel=error >"$dir/node-gyp.log" 2>&1) ||
  { cat "$dir/node-gyp.log" >&2; exit 1; }

npm run test:unit -- "$@"
