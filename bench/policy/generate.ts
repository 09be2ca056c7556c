/**
 * Generated worst-case resource policies for the policy benchmark: as many statements as fit
 * in the size limit, each with long condition lists on every key the analysis models, with
 * NotPrincipal and NotResource, wildcards, `IfExists` and `ForAnyValue:` operators, several
 * stages and methods, and principals of several accounts. Seeded, so runs are comparable.
 */
import type {
  PolicyDocument,
  PolicyStatementDocument,
} from '@private-api-catalog/plugin-private-api-common';

/** mulberry32: a small seeded PRNG, so that every run generates the same policies. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BENCH_API_ARN =
  'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5';

export function generatePolicy(seed: number, maxChars: number): PolicyDocument {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: T[]): T => items[int(items.length)];
  const hex = (n: number) =>
    Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  // Pools with overlap between statements, so that lists share values as real ones do.
  const vpcs = Array.from({ length: 40 }, () => `vpc-${hex(17)}`);
  const vpces = Array.from({ length: 60 }, () => `vpce-${hex(17)}`);
  const accounts = Array.from({ length: 12 }, () =>
    String(100000000000 + int(899999999999)),
  );
  const orgs = Array.from({ length: 6 }, () => `o-${hex(10)}`);
  const stages = ['prod', 'beta', 'dev', 'test'];
  const methods = ['GET', 'POST', 'PUT', 'DELETE', '*'];
  const list = <T>(pool: T[], max: number) => {
    const n = 1 + int(max);
    return [...new Set(Array.from({ length: n }, () => pick(pool)))];
  };
  const cidr = () => `10.${int(256)}.${int(256)}.0/${pick([16, 20, 24, 28])}`;
  const resource = () =>
    pick([
      `${BENCH_API_ARN}/*`,
      `execute-api:/${pick(stages)}/*`,
      `execute-api:/${pick(stages)}/${pick(methods)}/${pick([
        'orders',
        'items',
        'users',
      ])}/*`,
      `${BENCH_API_ARN}/${pick(stages)}/${pick(methods)}/*`,
      `arn:aws:execute-api:eu-west-1:*:*/${pick(stages)}/*`,
    ]);
  const principal = () =>
    pick<PolicyStatementDocument['Principal']>([
      '*',
      { AWS: list(accounts, 4) },
      {
        AWS: list(accounts, 3).map(
          a => `arn:aws:iam::${a}:role/caller-${hex(4)}`,
        ),
      },
      { AWS: `arn:aws:iam::${pick(accounts)}:root` },
    ]);
  const condition = (): Record<string, Record<string, string | string[]>> => {
    const out: Record<string, Record<string, string | string[]>> = {};
    const add = (operator: string, key: string, value: string | string[]) => {
      (out[operator] ??= {})[key] = value;
    };
    const clauses = 1 + int(4);
    for (let i = 0; i < clauses; i++) {
      switch (int(9)) {
        case 0:
          add('StringEquals', 'aws:SourceVpce', list(vpces, 12));
          break;
        case 1:
          add('StringNotEquals', 'aws:SourceVpc', list(vpcs, 10));
          break;
        case 2:
          add(
            'StringLike',
            'aws:SourceVpce',
            list(vpces, 6).map(v => `${v.slice(0, 7 + int(6))}*`),
          );
          break;
        case 3:
          add('StringEqualsIfExists', 'aws:SourceVpc', list(vpcs, 8));
          break;
        case 4:
          add(
            pick(['IpAddress', 'NotIpAddressIfExists']),
            'aws:VpcSourceIp',
            Array.from({ length: 1 + int(5) }, cidr),
          );
          break;
        case 5:
          add(
            'ForAnyValue:StringLike',
            'aws:PrincipalOrgID',
            list(orgs, 3).map(o => pick([o, `${o.slice(0, 6)}*`])),
          );
          break;
        case 6:
          add('StringNotEqualsIfExists', 'aws:SourceVpce', list(vpces, 10));
          break;
        case 7:
          add('StringEquals', 'aws:PrincipalAccount', list(accounts, 4));
          break;
        default:
          add(
            'StringNotLike',
            'aws:SourceVpc',
            list(vpcs, 4).map(v => `${v.slice(0, 6 + int(4))}*`),
          );
      }
    }
    return out;
  };
  const statement = (i: number): PolicyStatementDocument => {
    const effect = random() < 0.55 ? 'Allow' : 'Deny';
    const s: PolicyStatementDocument = { Sid: `S${i}`, Effect: effect };
    if (effect === 'Deny' && random() < 0.3)
      s.NotPrincipal = { AWS: list(accounts, 3) };
    else s.Principal = principal();
    s.Action = pick([
      'execute-api:Invoke',
      'execute-api:*',
      ['execute-api:Invoke', 'execute-api:ManageConnections'],
    ]);
    if (random() < 0.2) s.NotResource = [resource(), resource()];
    else s.Resource = random() < 0.5 ? resource() : [resource(), resource()];
    if (random() < 0.9) s.Condition = condition();
    return s;
  };
  const statements: PolicyStatementDocument[] = [];
  for (let i = 0; ; i++) {
    const next = statement(i);
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [...statements, next],
    });
    if (text.length > maxChars) break;
    statements.push(next);
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** A Region's execute-api endpoint, as the estate index reads it. */
export interface BenchEndpoint {
  vpcEndpointId: string;
  vpcId: string;
}

/**
 * `count` VPC endpoints for the index-entry figure: half drawn from the values the policy's
 * own VPC and endpoint conditions name (a StringLike pattern completed to a full id, so the
 * pattern matches it), the rest ids the policy does not name; VPCs shared by several
 * endpoints, as in a real Region. Seeded, so runs are comparable.
 */
export function generateEndpoints(
  policy: PolicyDocument,
  count: number,
  seed: number,
): BenchEndpoint[] {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const hex = (n: number) =>
    Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const complete = (value: string, prefix: string) => {
    const head = value.replace(/[*?].*$/, '');
    return head.startsWith(prefix)
      ? head + hex(Math.max(0, prefix.length + 17 - head.length))
      : `${prefix}${hex(17)}`;
  };
  const named = { vpc: [] as string[], vpce: [] as string[] };
  for (const statement of [policy.Statement].flat()) {
    const condition = (statement.Condition ?? {}) as Record<
      string,
      Record<string, string | string[]>
    >;
    for (const clauses of Object.values(condition)) {
      for (const [key, values] of Object.entries(clauses)) {
        const lower = key.toLowerCase();
        const into =
          lower === 'aws:sourcevpc'
            ? named.vpc
            : lower === 'aws:sourcevpce'
            ? named.vpce
            : undefined;
        for (const v of into ? [values].flat() : []) into!.push(v);
      }
    }
  }
  const vpcs = [
    ...named.vpc.map(v => complete(v, 'vpc-')),
    ...Array.from({ length: 10 }, () => `vpc-${hex(17)}`),
  ];
  const used = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const fromPolicy = i % 2 === 0;
    let vpcEndpointId =
      fromPolicy && named.vpce.length
        ? complete(named.vpce[int(named.vpce.length)], 'vpce-')
        : `vpce-${hex(17)}`;
    // A Region lists each endpoint once: a value drawn twice gives way to a fresh id.
    while (used.has(vpcEndpointId)) vpcEndpointId = `vpce-${hex(17)}`;
    used.add(vpcEndpointId);
    return {
      vpcEndpointId,
      vpcId: vpcs[fromPolicy ? int(vpcs.length) : vpcs.length - 1 - int(10)],
    };
  });
}
