#!/usr/bin/env bash
# Checks that the policy worker threads load from the BUILT packages, as an adopter installs
# them (no TypeScript transform anywhere): builds and packs the common and backend plugin
# packages, unpacks them into a scratch node_modules inside the repository (so that their
# other dependencies resolve from the repository's node_modules), and runs a grant through
# the pool with plain node. The dev backend and jest load the TypeScript worker instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d "$root/.policy-worker-check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

for p in private-api-common private-api-backend; do
  (cd "$root/plugins/$p" && npx backstage-cli package build >/dev/null &&
    npm pack --silent --pack-destination "$scratch" >/dev/null)
  mkdir -p "$scratch/node_modules/@private-api-catalog/plugin-$p"
  tar xzf "$scratch"/private-api-catalog-plugin-$p-*.tgz \
    -C "$scratch/node_modules/@private-api-catalog/plugin-$p" --strip-components=1
done

cd "$scratch"
node -e '
const { createPolicyWork, policyWorkerFile } = require("./node_modules/@private-api-catalog/plugin-private-api-backend/dist/policyWork/PolicyWork.cjs.js");
const logger = { info: m => console.log(m), warn: m => console.log("WARN " + m), error: m => console.log("ERROR " + m), debug() {}, child() { return logger; } };
(async () => {
  const file = policyWorkerFile();
  console.log("worker file:", file);
  if (!file.endsWith("/dist/policyWorker.cjs.js")) throw new Error("not the built worker");
  const work = createPolicyWork({ threads: 1, maxQueue: 10 }, logger);
  if ((await work.mode()) !== "threads") throw new Error("the pool did not start");
  const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringEquals: { "aws:SourceVpce": ["vpce-0aaaaaaaaaaaaaaa1"] } } }] });
  const change = await work.run("requestChange", { kind: "grant", vpcEndpointId: "vpce-0123456789abcdef0", stages: [] }, policy, "arn:aws:execute-api:us-east-1:123456789012:abc123");
  if (!change.changed) throw new Error("the grant changed nothing");
  console.log("grant on a worker thread of the built package:", change.summary);
  await work.close();
})().catch(e => { console.error(e); process.exit(1); });
'
