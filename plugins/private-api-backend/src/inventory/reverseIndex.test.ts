import fc from 'fast-check';
import {
  evaluateAccess,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import {
  createTestDatabases,
  databaseServiceFor,
} from '../__testUtils__/databases';
import { executeApiEndpoint, privateRestApi } from '../__testUtils__/records';
import { InventoryStore } from './InventoryStore';
import { refreshEstateIndex } from './reverseIndex';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const REGION = 'us-east-1';
const ACCOUNTS = ['111111111111', '222222222222'];
const STRANGER = '999999999999';
const VPCS = ['vpc-0aaa', 'vpc-0bbb', 'vpc-0ccc'];
const VPCES = ['vpce-0a11', 'vpce-0a22', 'vpce-0b33'];

function endpoint(
  vpcEndpointId: string,
  vpcId: string,
  ownerAccountId: string,
): VpcEndpointRecord {
  return executeApiEndpoint({
    vpcEndpointId,
    vpcId,
    ownerAccountId,
    region: REGION,
  });
}

const allow = {
  Effect: 'Allow',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: 'execute-api:/*',
};
const vpceList = fc.subarray(VPCES, { minLength: 1 });
const vpcList = fc.subarray(VPCS, { minLength: 1 });
const statement = fc.oneof(
  fc.constant(allow),
  vpceList.map(v => ({
    ...allow,
    Effect: 'Deny',
    Condition: { StringNotEquals: { 'aws:SourceVpce': v } },
  })),
  vpcList.map(v => ({
    ...allow,
    Condition: { StringEquals: { 'aws:SourceVpc': v } },
  })),
  vpceList.map(v => ({
    ...allow,
    Effect: 'Deny',
    Condition: { StringEquals: { 'aws:SourceVpce': v } },
  })),
  fc.constantFrom(...ACCOUNTS).map(a => ({ ...allow, Principal: { AWS: a } })),
  fc.constant({ ...allow, Effect: 'Deny', Resource: 'execute-api:/test/*' }),
);
const policy = fc.option(
  fc
    .array(statement, { minLength: 1, maxLength: 4 })
    .map(Statement => JSON.stringify({ Version: '2012-10-17', Statement })),
  { freq: 6 },
);
const estate = fc.record({
  policies: fc.array(policy, { minLength: 1, maxLength: 5 }),
  endpoints: fc.uniqueArray(
    fc.record({
      id: fc.constantFrom(...VPCES, 'vpce-0fresh'),
      vpc: fc.constantFrom(...VPCS),
      owner: fc.constantFrom(...ACCOUNTS),
    }),
    { minLength: 1, maxLength: 4, selector: e => e.id },
  ),
});

/** The APIs' names, by position in the generated estate. */
const NAMES = ['beta', 'alpha', 'beta', 'gamma', 'alpha'];

const compareText = (a: string, b: string) => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};

/** How the endpoint gets into each API of a `reachableFrom` page, by API key. */
function effectiveAdmissions(
  reach: Map<string, { admissions: Array<{ caller: string }> }>,
  endpointId: string,
) {
  return Object.fromEntries(
    [...reach].map(([key, { admissions }]) => {
      const { caller: _, ...how } =
        admissions.find(a => a.caller === endpointId) ??
        admissions.find(a => a.caller === '*')!;
      return [key, how];
    }),
  );
}

/** Every API of a list, as keys, read two at a time by cursor. */
async function pagedKeys(
  store: InventoryStore,
  filter: Parameters<InventoryStore['listApis']>[0],
): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  do {
    const page = await store.listApis({ ...filter, limit: 2, after });
    keys.push(...page.items.map(a => `${a.accountId}:${a.region}:${a.apiId}`));
    after = page.nextCursor;
  } while (after);
  return keys;
}

/** Does the policy let some caller (anonymous, or signed by any account) in through e? */
function someCallerGetsIn(
  text: string | null,
  arn: string,
  e: VpcEndpointRecord,
) {
  if (!text) return false;
  return ['*', ...ACCOUNTS, STRANGER].some(principal =>
    ['prod', 'test'].some(
      stage =>
        evaluateAccess(text, {
          resource: `${arn}/${stage}/GET/orders`,
          principal,
          sourceVpc: e.vpcId,
          sourceVpce: e.vpcEndpointId,
        }).decision === 'allow',
    ),
  );
}

describe.each(databases.eachSupportedId())(
  'the stored reverse index on %p',
  databaseId => {
    it('lists an API for an endpoint exactly when evaluateAccess lets some caller through it', async () => {
      const knex = await databases.init(databaseId);
      const store = await InventoryStore.create({
        database: databaseServiceFor(knex),
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(estate, async ({ policies, endpoints }) => {
          run += 1;
          const runId = `run${run}`;
          const apis = policies.map((p, i) =>
            privateRestApi({
              apiId: `api${i}x${run}`,
              // Equal names too: a page ends inside a run of them.
              name: NAMES[i],
              accountId: ACCOUNTS[i % 2],
              policy: p ?? undefined,
            }),
          );
          const records = endpoints.map(e => endpoint(e.id, e.vpc, e.owner));
          for (const accountId of ACCOUNTS) {
            await store.startScope({
              accountId,
              region: REGION,
              startedAt: new Date(),
            });
            for (const api of apis.filter(a => a.accountId === accountId)) {
              await store.writeApi(
                runId,
                { record: api, details: 'replace', fingerprint: '' },
                'owner',
              );
            }
            await store.replaceScopeResources(accountId, REGION, {
              vpcLinks: [],
              domains: [],
              vpcEndpoints: records.filter(r => r.ownerAccountId === accountId),
              vpcs: [],
            });
            await store.completeScope(accountId, REGION, runId, {
              full: true,
              durationMs: 1,
              calls: 1,
              throttled: 0,
              finishedAt: new Date(),
            });
            await refreshEstateIndex(store, { accountId, region: REGION });
          }
          for (const e of records) {
            const { items } = await store.listApis({
              reachableFrom: [
                { vpcEndpointId: e.vpcEndpointId, region: REGION },
              ],
              limit: 1000,
            });
            const listed = items.map(a => a.apiId).sort();
            const expected = apis
              .filter(a =>
                someCallerGetsIn(a.policy ?? null, a.executeApiArn, e),
              )
              .map(a => a.apiId)
              .sort();
            expect(listed).toEqual(expected);
          }
          // Page by page, by name, as the explorer's "Callable from" list reads: from each
          // endpoint, and from each VPC (its endpoints together); then again after a rename
          // that no index refresh has followed yet.
          const callers = [
            ...records.map(e => [e]),
            ...VPCS.map(vpc => records.filter(e => e.vpcId === vpc)),
          ].filter(group => group.length > 0);
          /** Keys of APIs changed since the index pass: removed, or no longer private. */
          const unlisted = new Set<string>();
          /** Each API's monthly cost, as the derived figures last wrote it (none: unpriced). */
          const costs = new Map<string, number | null>();
          const price = async (cost: (i: number) => number | null) => {
            apis.forEach((a, i) => costs.set(a.apiId, cost(i)));
            await store.writeDerivedFigures(
              apis.map(a => ({
                apiKey: `${a.accountId}:${REGION}:${a.apiId}`,
                monthlyCostUsd: costs.get(a.apiId),
              })),
            );
          };
          const checkPages = async () => {
            for (const group of callers) {
              const callable = apis
                .filter(a => !unlisted.has(a.apiId))
                .filter(a =>
                  group.some(e =>
                    someCallerGetsIn(a.policy ?? null, a.executeApiArn, e),
                  ),
                );
              // The explorer's totals beside the pages: from the reverse index alone, and
              // through the APIs' rows when a filter narrows them (here one that keeps all).
              const reachableFrom = group.map(e => ({
                vpcEndpointId: e.vpcEndpointId,
                region: REGION,
              }));
              const priced = callable
                .map(a => costs.get(a.apiId))
                .filter((c): c is number => typeof c === 'number');
              for (const narrowing of [{}, { apiType: 'REST' as const }]) {
                const totals = await store.listApis({
                  ...narrowing,
                  reachableFrom,
                  limit: 0,
                  totals: true,
                });
                expect(totals.totalCount).toBe(callable.length);
                expect(totals.pricedCount).toBe(priced.length);
                expect(totals.monthlyCostTotalUsd).toBeCloseTo(
                  priced.reduce((sum, c) => sum + c, 0),
                  6,
                );
              }
              const expected = callable
                .map(a => [a.name, `${a.accountId}:${REGION}:${a.apiId}`])
                .sort(([n1, k1], [n2, k2]) =>
                  n1 === n2 ? compareText(k1, k2) : compareText(n1, n2),
                )
                .map(([, key]) => key);
              for (const order of ['asc', 'desc'] as const) {
                const keys = await pagedKeys(store, {
                  reachableFrom: group.map(e => ({
                    vpcEndpointId: e.vpcEndpointId,
                    region: REGION,
                  })),
                  sort: 'name',
                  order,
                });
                expect(keys).toEqual(
                  order === 'asc' ? expected : [...expected].reverse(),
                );
              }
            }
          };
          await price(i => (i % 3 === 2 ? null : 1.25 * (i + 1)));
          await checkPages();
          // How the endpoint gets into each API, as the page by name reads it with the page,
          // and as another order looks it up per API (its row, else the API's row for
          // endpoints the policy does not name).
          for (const e of records) {
            const reachableFrom = [
              { vpcEndpointId: e.vpcEndpointId, region: REGION },
            ];
            const byName = await store.listReachableApis({
              reachableFrom,
              sort: 'name',
              limit: 1000,
            });
            const byAccount = await store.listReachableApis({
              reachableFrom,
              sort: 'account',
              limit: 1000,
            });
            expect(effectiveAdmissions(byName.reach, e.vpcEndpointId)).toEqual(
              effectiveAdmissions(byAccount.reach, e.vpcEndpointId),
            );
          }
          // Priced again by a crawl's derived step, with no index pass since.
          await price(i => (i % 2 === 0 ? 0.5 * (i + 3) : null));
          apis[0] = { ...apis[0], name: 'zeta' };
          await store.writeApi(
            undefined,
            { record: apis[0], details: 'replace', fingerprint: '' },
            'owner',
          );
          await checkPages();
          // An API made regional and one deleted, as change-feed re-crawls see them, no index
          // pass since: neither is listed, and the pages around them stay whole.
          if (apis.length > 1) {
            apis[1] = { ...apis[1], endpointType: 'REGIONAL' };
            await store.writeApi(
              undefined,
              { record: apis[1], details: 'replace', fingerprint: '' },
              'owner',
            );
            unlisted.add(apis[1].apiId);
          }
          if (apis.length > 2) {
            await store.removeApis(apis[2].accountId, REGION, [apis[2].apiId]);
            unlisted.add(apis[2].apiId);
          }
          await checkPages();
        }),
        { numRuns: 15 },
      );
    });

    it('answers from the caller index: named verdicts, and open APIs that do not deny the endpoint', async () => {
      const knex = await databases.init(databaseId);
      const store = await InventoryStore.create({
        database: databaseServiceFor(knex),
      });
      const accountId = ACCOUNTS[0];
      const denying = (operator: string) =>
        JSON.stringify({
          Statement: [
            allow,
            {
              ...allow,
              Effect: 'Deny',
              Condition: { [operator]: { 'aws:SourceVpce': 'vpce-0a11' } },
            },
          ],
        });
      const scopes = {
        [REGION]: {
          apis: [
            privateRestApi({
              apiId: 'open',
              name: 'zz-open',
              policy: JSON.stringify({ Statement: [allow] }),
            }),
            // Open to any endpoint, but names vpce-0a11 to deny it.
            privateRestApi({
              apiId: 'openbutnot',
              name: 'mm-openbutnot',
              policy: denying('StringEquals'),
            }),
            // Only vpce-0a11.
            privateRestApi({
              apiId: 'only',
              name: 'nn-only',
              policy: denying('StringNotEquals'),
            }),
            privateRestApi({ apiId: 'nobody', policy: undefined }),
          ],
          endpoints: [
            endpoint('vpce-0a11', 'vpc-0aaa', accountId),
            endpoint('vpce-0a22', 'vpc-0aaa', accountId),
            endpoint('vpce-0b33', 'vpc-0bbb', accountId),
          ],
        },
        // Open to any endpoint, but of another Region: no endpoint above reaches it.
        'eu-west-1': {
          apis: [
            privateRestApi({
              apiId: 'elsewhere',
              region: 'eu-west-1',
              policy: JSON.stringify({ Statement: [allow] }),
            }),
          ],
          endpoints: [],
        },
      };
      for (const [region, { apis, endpoints }] of Object.entries(scopes)) {
        await store.startScope({ accountId, region, startedAt: new Date() });
        for (const api of apis) {
          await store.writeApi(
            'r1',
            { record: api, details: 'replace', fingerprint: '' },
            'owner',
          );
        }
        await store.replaceScopeResources(accountId, region, {
          vpcLinks: [],
          domains: [],
          vpcEndpoints: endpoints,
          vpcs: [],
        });
        await store.completeScope(accountId, region, 'r1', {
          full: true,
          durationMs: 1,
          calls: 1,
          throttled: 0,
          finishedAt: new Date(),
        });
        await refreshEstateIndex(store, { accountId, region });
      }
      const reachable = async (...ids: string[]) => {
        const page = await store.listApis({
          reachableFrom: ids.map(vpcEndpointId => ({
            vpcEndpointId,
            region: REGION,
          })),
        });
        expect(page.totalCount).toBe(page.items.length);
        return page.items.map(a => a.apiId).sort();
      };
      expect(await reachable('vpce-0a11')).toEqual(['only', 'open']);
      expect(await reachable('vpce-0a22')).toEqual(['open', 'openbutnot']);
      expect(await reachable('vpce-0b33')).toEqual(['open', 'openbutnot']);
      // The VPC of both: whatever one of its endpoints may call, each API once.
      expect(await reachable('vpce-0a11', 'vpce-0a22')).toEqual([
        'only',
        'open',
        'openbutnot',
      ]);
      const openOnly = await store.listApis({
        reachableFrom: [{ vpcEndpointId: 'vpce-0a11', region: REGION }],
        openToAnyEndpoint: true,
      });
      expect(openOnly.items.map(a => a.apiId)).toEqual(['open']);

      // By name, page by page; also in a database upgraded from before the index's rows
      // held their API's name.
      const byName = async () =>
        (
          await pagedKeys(store, {
            reachableFrom: ['vpce-0a11', 'vpce-0a22'].map(vpcEndpointId => ({
              vpcEndpointId,
              region: REGION,
            })),
            sort: 'name',
          })
        ).map(key => key.split(':')[2]);
      expect(await byName()).toEqual(['openbutnot', 'only', 'open']);
      const directory = require('node:path').resolve(
        __dirname,
        '../../migrations',
      );
      // The index that replaced this migration's goes first.
      const reachCost = { directory, name: '20261126_s7_reach_cost.js' };
      const migration = { directory, name: '20261126_s6_reach_by_name.js' };
      await knex.migrate.down(reachCost);
      await knex.migrate.down(migration);
      await knex.migrate.up(migration);
      await knex.migrate.up(reachCost);
      expect(await byName()).toEqual(['openbutnot', 'only', 'open']);
    });

    it('recomputes only what a crawl changed', async () => {
      const knex = await databases.init(databaseId);
      const store = await InventoryStore.create({
        database: databaseServiceFor(knex),
      });
      const crawl = async (
        runId: string,
        apis: ReturnType<typeof privateRestApi>[],
        endpoints: VpcEndpointRecord[],
      ) => {
        const accountId = ACCOUNTS[0];
        await store.startScope({
          accountId,
          region: REGION,
          startedAt: new Date(),
        });
        for (const api of apis) {
          await store.writeApi(
            runId,
            { record: api, details: 'replace', fingerprint: '' },
            'owner',
          );
        }
        await store.replaceScopeResources(accountId, REGION, {
          vpcLinks: [],
          domains: [],
          vpcEndpoints: endpoints,
          vpcs: [],
        });
        await store.completeScope(accountId, REGION, runId, {
          full: true,
          durationMs: 1,
          calls: 1,
          throttled: 0,
          finishedAt: new Date(),
        });
        return refreshEstateIndex(store, { accountId, region: REGION });
      };
      const open = JSON.stringify({ Statement: [allow] });
      const apis = [
        privateRestApi({ apiId: 'one', policy: open }),
        privateRestApi({ apiId: 'two', policy: open }),
      ];
      const endpoints = [endpoint('vpce-0a11', 'vpc-0aaa', ACCOUNTS[0])];
      expect(await crawl('r1', apis, endpoints)).toEqual({ recomputed: 2 });
      expect(await crawl('r2', apis, endpoints)).toEqual({ recomputed: 0 });
      const closed = JSON.stringify({
        Statement: [
          allow,
          {
            ...allow,
            Effect: 'Deny',
            Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0b33' } },
          },
        ],
      });
      expect(
        await crawl('r3', [apis[0], { ...apis[1], policy: closed }], endpoints),
      ).toEqual({ recomputed: 1 });
      const reachable = await store.listApis({
        reachableFrom: [{ vpcEndpointId: 'vpce-0a11', region: REGION }],
      });
      expect(reachable.items.map(a => a.apiId)).toEqual(['one']);
      // A new endpoint in the Region: every API there is answered for it.
      expect(
        await crawl(
          'r4',
          [apis[0], { ...apis[1], policy: closed }],
          [...endpoints, endpoint('vpce-0b33', 'vpc-0bbb', ACCOUNTS[0])],
        ),
      ).toEqual({ recomputed: 2 });
      const fromNew = await store.listApis({
        reachableFrom: [{ vpcEndpointId: 'vpce-0b33', region: REGION }],
      });
      expect(fromNew.items.map(a => a.apiId)).toEqual(['one', 'two']);
      // A deleted API leaves no rows behind.
      await crawl('r5', [apis[0]], endpoints);
      expect(
        await knex('private_api_callers').where('target_key', 'like', '%:two'),
      ).toEqual([]);
    });
  },
);
