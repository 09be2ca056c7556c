/*
 * Policy benchmark: analysis and grant times of generated worst-case resource policies
 * (see generate.ts) at AWS's default size limit (8,192 characters) and a raised one (20,000).
 *
 * Usage: npm run bench:policy -- [policies=40] [sizes=8192,20000] [endpoints=200]
 */
import os from 'node:os';
import {
  analyzeResourcePolicy,
  CallerEndpointIndex,
  grantVpcAccess,
  parseResourcePolicy,
  policyCallersIn,
} from '@private-api-catalog/plugin-private-api-common';
import type {
  DomainRecord,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { indexDomain } from '../../plugins/private-api-backend/src/inventory/reverseIndex';
import { BENCH_API_ARN, generateEndpoints, generatePolicy } from './generate';
import { namedArgs, numberList, percentile } from '../args';

const count = Number(namedArgs.policies ?? 40);
const sizes = numberList(namedArgs.sizes, '8192,20000');
const endpointCount = Number(namedArgs.endpoints ?? 200);

/**
 * The process's CPU time during each job too (V8's background threads included): on a shared
 * machine wall time also counts other processes.
 */
const cpu: Record<
  'analysis' | 'grant' | 'indexEntry' | 'domainEntry',
  number[]
> = {
  analysis: [],
  grant: [],
  indexEntry: [],
  domainEntry: [],
};

function time(fn: () => unknown, kind: keyof typeof cpu): number {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpuStart);
  cpu[kind].push((used.user + used.system) / 1000);
  return wall;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(
    os.totalmem() / 2 ** 30,
  )} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
);
const results: Record<string, unknown> = {};
for (const size of sizes) {
  const analysis: number[] = [];
  const grant: number[] = [];
  const indexEntry: number[] = [];
  const domainEntry: number[] = [];
  let statements = 0;
  let truncated = 0;
  for (let seed = 1; seed <= count; seed++) {
    const document = generatePolicy(seed * 7919 + size, size);
    const text = JSON.stringify(document);
    statements += parseResourcePolicy(text).statements.length;
    const options = {
      apiArn: BENCH_API_ARN,
      stages: ['prod', 'beta', 'dev', 'test'],
    };
    let result: ReturnType<typeof analyzeResourcePolicy> | undefined;
    analysis.push(
      time(() => (result = analyzeResourcePolicy(text, options)), 'analysis'),
    );
    if (result!.findings.some(f => f.code === 'analysis-truncated'))
      truncated++;
    const vpceId = `vpce-${(seed * 2654435761)
      .toString(16)
      .padStart(17, '0')
      .slice(-17)}`;
    grant.push(time(() => grantVpcAccess(text, { vpceId }, options), 'grant'));
    // The Region's endpoints are indexed once per Region (per worker thread), not per API.
    const regionEndpoints = generateEndpoints(document, endpointCount, seed);
    const endpoints = new CallerEndpointIndex(regionEndpoints);
    indexEntry.push(
      time(() => policyCallersIn(text, BENCH_API_ARN, endpoints), 'indexEntry'),
    );
    // A private custom domain with this policy, associated with every endpoint of the
    // Region: the worst case of its entry (one decision per associated endpoint).
    const domain: DomainRecord = {
      domainName: 'orders.internal.example.com',
      domainNameId: 'a1b2c3',
      domainNameArn:
        'arn:aws:apigateway:eu-west-1:111122223333:/domainnames/orders.internal.example.com+a1b2c3',
      endpointType: 'PRIVATE',
      accountId: '111122223333',
      region: 'eu-west-1',
      policy: text,
      accessAssociations: regionEndpoints.map(e => ({
        vpcEndpointId: e.vpcEndpointId,
      })),
      mappings: [],
    };
    domainEntry.push(
      time(
        () =>
          indexDomain(domain, regionEndpoints as VpcEndpointRecord[], 'aws'),
        'domainEntry',
      ),
    );
  }
  const line = {
    maxChars: size,
    policies: count,
    meanStatements: Math.round(statements / count),
    truncatedAnalyses: truncated,
    analysisMs: {
      p50: round(percentile(analysis, 0.5)),
      p95: round(percentile(analysis, 0.95)),
      max: round(Math.max(...analysis)),
    },
    grantMs: {
      p50: round(percentile(grant, 0.5)),
      p95: round(percentile(grant, 0.95)),
      max: round(Math.max(...grant)),
    },
    cpuP95Ms: {
      analysis: round(percentile(cpu.analysis, 0.95)),
      grant: round(percentile(cpu.grant, 0.95)),
      indexEntry: round(percentile(cpu.indexEntry, 0.95)),
      domainEntry: round(percentile(cpu.domainEntry, 0.95)),
    },
    endpoints: endpointCount,
    indexEntryMs: {
      p50: round(percentile(indexEntry, 0.5)),
      p95: round(percentile(indexEntry, 0.95)),
      max: round(Math.max(...indexEntry)),
    },
    domainEntryMs: {
      p50: round(percentile(domainEntry, 0.5)),
      p95: round(percentile(domainEntry, 0.95)),
      max: round(Math.max(...domainEntry)),
    },
  };
  cpu.analysis = [];
  cpu.grant = [];
  cpu.indexEntry = [];
  cpu.domainEntry = [];
  results[size] = line;
  console.log(
    `${size} chars: ${count} policies, ${line.meanStatements} statements on average, ${truncated} analyses truncated | analysis p50 ${line.analysisMs.p50} ms, p95 ${line.analysisMs.p95} ms, max ${line.analysisMs.max} ms | grant p50 ${line.grantMs.p50} ms, p95 ${line.grantMs.p95} ms, max ${line.grantMs.max} ms | CPU time p95: analysis ${line.cpuP95Ms.analysis} ms, grant ${line.cpuP95Ms.grant} ms, index entry ${line.cpuP95Ms.indexEntry} ms, domain entry ${line.cpuP95Ms.domainEntry} ms`,
  );
  console.log(
    `${size} chars, estate-index entry with ${endpointCount} endpoints | API: p50 ${line.indexEntryMs.p50} ms, p95 ${line.indexEntryMs.p95} ms, max ${line.indexEntryMs.max} ms | private custom domain associated with every endpoint: p50 ${line.domainEntryMs.p50} ms, p95 ${line.domainEntryMs.p95} ms, max ${line.domainEntryMs.max} ms`,
  );
}
const targets = Object.values(results).every(
  (r: any) => r.analysisMs.p95 <= 50 && r.grantMs.p95 <= 100,
);
const indexTargets = Object.values(results).every(
  (r: any) => r.indexEntryMs.p95 <= (r.maxChars <= 8192 ? 50 : 100),
);
console.log(
  `targets: analysis p95 <= 50 ms and grant p95 <= 100 ms at every size: ${targets}; index entry p95 <= 50 ms at 8,192 characters and <= 100 ms above: ${indexTargets}`,
);
console.log(JSON.stringify({ policy: results }));
