#!/usr/bin/env bash
# Runs the unit tests (SQLite and a throwaway PostgreSQL) under another Node.js major, e.g.
# `bash scripts/test-on-node.sh 22` (further arguments go to jest, e.g. a test path), with Node.js taken from the npm registry's `node`
# package (it installs the official build for this platform, headers included; nothing
# else is needed from nodejs.org). better-sqlite3's native module is built per Node ABI: a
# copy is built for that Node (against its own headers, or those of the release named below)
# and the machine's Node build is put back when the tests end, whatever their outcome.
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

# Node.js 24.19 and later ship a node_object_wrap.h whose inline ObjectWrap adds an
# environment cleanup hook when an object is wrapped and removes it when the object is
# deleted. better-sqlite3 12 wraps its statements in ObjectWrap, and a statement that the
# garbage collector finalizes with no JavaScript context entered (as a jest worker exits)
# then aborts the process: `Assertion failed: (env) != nullptr` in
# RemoveEnvironmentCleanupHook (reported upstream as nodejs/node#65446, open). The abort
# follows the headers the addon is built against, not the runtime: built against 24.18.1's
# headers (the same ABI, 137) the module runs on every Node.js 24 without it.
headers=$nodehome
case "$major" in
  24) headers_release=24.18.1 ;;
  *) headers_release= ;;
esac
if [ -n "$headers_release" ]; then
  npm install --prefix "$dir/headers" --no-audit --no-fund --no-save --loglevel=error "node@$headers_release" >/dev/null
  headers="$dir/headers/node_modules/node/node_modules/node-$platform"
  [ -f "$headers/include/node/node.h" ] || { echo "test-on-node: no Node.js headers in $headers" >&2; exit 1; }
fi

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
echo "test-on-node: $(node -v); building better-sqlite3 for its ABI ($(node -p process.versions.modules)) against the headers of $("$headers/bin/node" -v)"
(cd "$sqlite" && npm_config_nodedir="$headers" npx --no-install node-gyp rebuild --release --loglevel=error >"$dir/node-gyp.log" 2>&1) ||
  { cat "$dir/node-gyp.log" >&2; exit 1; }

npm run test:unit -- "$@"
