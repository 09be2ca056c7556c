import fc from 'fast-check';
import {
  API_LIST_SORTS,
  ApiListSort,
} from '@private-api-catalog/plugin-private-api-common';
import {
  createTestDatabases,
  databaseServiceFor,
} from '../__testUtils__/databases';
import { privateRestApi } from '../__testUtils__/records';
import { InventoryStore } from './InventoryStore';
import { encodeSortCursor } from './explorerSort';

jest.setTimeout(180_000);

const databases = createTestDatabases();

/** One generated API and the figures the crawl's derived step and estate index would write. */
interface Generated {
  name: string;
  account: string;
  region: string;
  apiType: 'REST' | 'HTTP';
  endpointType: 'PRIVATE' | 'REGIONAL';
  ownerTag?: string;
  cost: number | null;
  callerAccess: 'any' | 'listed' | 'none' | 'unknown' | null;
  allowedVpcCount: number | null;
  authorization: 'AWS_IAM' | 'NONE';
}

// Lowercase ASCII names only: PostgreSQL compares text with its collation, which may order
// case and punctuation otherwise than JavaScript does; the property is about keyset paging.
const ACCOUNTS = ['111111111111', '222222222222'];
const REGIONS = ['eu-west-1', 'us-east-1'];
const generated = fc.record<Generated>({
  name: fc.constantFrom('alpha', 'beta', 'beta2', 'gamma', 'orders', 'o'),
  account: fc.constantFrom(...ACCOUNTS),
  region: fc.constantFrom(...REGIONS),
  apiType: fc.constantFrom('REST', 'HTTP'),
  endpointType: fc.constantFrom('PRIVATE', 'REGIONAL'),
  ownerTag: fc.option(fc.constantFrom('team-a', 'Team-B', 'user:jane', ' '), {
    nil: undefined,
  }),
  cost: fc.option(fc.constantFrom(0, 0.5, 3.25, 3.25, 120), { nil: null }),
  callerAccess: fc.option(fc.constantFrom('any', 'listed', 'none', 'unknown'), {
    nil: null,
  }),
  allowedVpcCount: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  authorization: fc.constantFrom('AWS_IAM', 'NONE'),
});

const DEFAULT_OWNER = 'team-platform';

function ownerRef(g: Generated): string {
  const tag = g.ownerTag?.trim();
  if (!tag) return `group:default/${DEFAULT_OWNER}`;
  return tag.includes(':')
    ? `${tag.split(':')[0]}:default/${tag.split(':')[1]}`
    : `group:default/${tag.toLowerCase()}`;
}

/** The sort values of a row, as the explorer's columns read (written independently of the SQL). */
function sortValues(
  g: Generated & { key: string },
  sort: ApiListSort,
): Array<string | number> {
  const callersRank = () => {
    switch (g.callerAccess) {
      case 'any':
        return 1e9;
      case 'listed':
        return 1 + (g.allowedVpcCount ?? 0);
      case 'none':
        return 0;
      case 'unknown':
        return -1;
      default:
        return -2;
    }
  };
  switch (sort) {
    case 'name':
      return [g.name];
    case 'account':
      return [g.account, g.region, g.name];
    case 'region':
      return [g.region, g.name];
    case 'type':
      return [g.apiType, g.endpointType, g.name];
    case 'owner':
      return [ownerRef(g), g.name];
    case 'allowedCallers':
      return [callersRank(), g.name];
    case 'monthlyCost':
      return [g.cost ?? -1, g.name];
    default:
      throw new Error(sort);
  }
}

function compare(a: Array<string | number>, b: Array<string | number>) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

/**
 * A crawl of every scope that finds `apis` (the APIs of earlier runs are removed), written
 * through the store as discovery writes it; only the estate index's verdict column is set
 * directly.
 */
async function writeEstate(
  store: InventoryStore,
  knex: Awaited<ReturnType<typeof databases.init>>,
  apis: Generated[],
  run: number,
) {
  const runId = `run${run}`;
  const scopes = ACCOUNTS.flatMap(accountId =>
    REGIONS.map(region => ({ accountId, region })),
  );
  for (const scope of scopes) {
    await store.startScope({ ...scope, startedAt: new Date() });
  }
  const keyed = [];
  for (const [i, g] of apis.entries()) {
    const apiId = `r${run}x${String(i).padStart(3, '0')}`;
    const record = privateRestApi({
      apiId,
      name: g.name,
      accountId: g.account,
      region: g.region,
      apiType: g.apiType,
      endpointType: g.endpointType,
      tags: g.ownerTag === undefined ? {} : { owner: g.ownerTag },
    });
    record.routes = record.routes.map(r => ({
      ...r,
      authorizationType: g.authorization,
    }));
    await store.writeApi(
      runId,
      { record, details: 'replace', fingerprint: apiId },
      {
        tagKey: 'owner',
        defaultOwner: DEFAULT_OWNER,
      },
    );
    const key = `${g.account}:${g.region}:${apiId}`;
    await store.writeDerivedFigures([
      {
        apiKey: key,
        monthlyCostUsd: g.cost,
        allowedVpcCount: g.allowedVpcCount,
      },
    ]);
    await knex('private_api_apis')
      .where({ api_key: key })
      .update({ caller_access: g.callerAccess });
    keyed.push({ ...g, key, apiId });
  }
  for (const scope of scopes) {
    await store.completeScope(scope.accountId, scope.region, runId, {
      full: true,
      durationMs: 1,
      calls: 1,
      throttled: 0,
      finishedAt: new Date(),
    });
  }
  return keyed;
}

describe.each(databases.eachSupportedId())('explorer sorts on %p', id => {
  it('pages by cursor in every sort and order exactly as the full list sorts', async () => {
    const knex = await databases.init(id);
    const store = await InventoryStore.create({
      database: databaseServiceFor(knex),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(generated, { minLength: 0, maxLength: 25 }),
        fc.constantFrom(...API_LIST_SORTS),
        fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
        fc.integer({ min: 1, max: 7 }),
        fc.option(fc.constantFrom<'AWS_IAM' | 'NONE'>('AWS_IAM', 'NONE'), {
          nil: undefined,
        }),
        fc.option(fc.constantFrom(...ACCOUNTS), { nil: undefined }),
        async (apis, sort, order, limit, authorization, accountId) => {
          run++;
          const keyed = await writeEstate(store, knex, apis, run);
          const shown = keyed.filter(
            g =>
              (!authorization || g.authorization === authorization) &&
              (!accountId || g.account === accountId),
          );
          const expected = [...shown]
            .sort((a, b) => {
              const c = compare(
                [...sortValues(a, sort), a.key],
                [...sortValues(b, sort), b.key],
              );
              return order === 'asc' ? c : -c;
            })
            .map(g => g.apiId);
          const seen: string[] = [];
          let after: string | undefined;
          let totals: {
            totalCount?: number;
            monthlyCostTotalUsd?: number;
            pricedCount?: number;
          } = {};
          do {
            const page = await store.listApis({
              sort,
              order,
              limit,
              after,
              authorization,
              accountId,
              totals: !after,
            });
            if (!after) totals = page;
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map(a => a.apiId));
            after = page.nextCursor;
          } while (after);
          expect(seen).toEqual(expected);
          expect(totals.totalCount).toBe(shown.length);
          expect(totals.pricedCount).toBe(
            shown.filter(g => g.cost !== null).length,
          );
          expect(totals.monthlyCostTotalUsd).toBeCloseTo(
            shown.reduce((sum, g) => sum + (g.cost ?? 0), 0),
            6,
          );
          // The totals alone, as the explorer asks them (no page: from the scopes' rows
          // when the filters match whole scopes).
          const alone = await store.listApis({
            limit: 0,
            totals: true,
            authorization,
            accountId,
          });
          expect(alone).toEqual({
            items: [],
            totalCount: totals.totalCount,
            pricedCount: totals.pricedCount,
            monthlyCostTotalUsd: expect.closeTo(totals.monthlyCostTotalUsd!, 6),
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('filters and shows the owner the catalog gives each API', async () => {
    const knex = await databases.init(id);
    const store = await InventoryStore.create({
      database: databaseServiceFor(knex),
    });
    const apis: Generated[] = [
      { ownerTag: ' team-a ' },
      { ownerTag: 'Team-A' },
      { ownerTag: 'user:jane' },
      {},
    ].map((o, i) => ({
      name: `api${i}`,
      account: '111111111111',
      region: 'us-east-1',
      apiType: 'REST',
      endpointType: 'PRIVATE',
      cost: null,
      callerAccess: null,
      allowedVpcCount: null,
      authorization: 'NONE',
      ...o,
    }));
    await writeEstate(store, knex, apis, 0);
    const names = async (owner: string) =>
      (await store.listApis({ owner })).items.map(a => a.name);
    expect(await names('group:default/team-a')).toEqual(['api0', 'api1']);
    expect(await names('team-a')).toEqual(['api0', 'api1']);
    expect(await names('user:default/jane')).toEqual(['api2']);
    expect(await names(`group:default/${DEFAULT_OWNER}`)).toEqual(['api3']);
    expect(
      (await store.listApis({ sort: 'owner' })).items.map(a => a.owner),
    ).toEqual([
      'group:default/team-a',
      'group:default/team-a',
      `group:default/${DEFAULT_OWNER}`,
      'user:default/jane',
    ]);
  });

  it('refuses a malformed cursor and a cursor of another sort', async () => {
    const knex = await databases.init(id);
    const store = await InventoryStore.create({
      database: databaseServiceFor(knex),
    });
    await expect(store.listApis({ after: 'garbage' })).rejects.toThrow(
      /Invalid after: pass the nextCursor/,
    );
    const byCost = encodeSortCursor('monthlyCost', 'desc', {
      values: [3, 'orders'],
      key: 'k',
    });
    await expect(
      store.listApis({ sort: 'monthlyCost', order: 'asc', after: byCost }),
    ).rejects.toThrow(/sorted by monthlyCost \(desc\).*first page/);
    await expect(
      store.listApis({ sort: 'name', after: byCost }),
    ).rejects.toThrow(/sorted by monthlyCost/);
    const wrongTypes = encodeSortCursor('monthlyCost', 'desc', {
      values: ['3', 'orders'],
      key: 'k',
    });
    await expect(
      store.listApis({ sort: 'monthlyCost', order: 'desc', after: wrongTypes }),
    ).rejects.toThrow(/Invalid after/);
  });
});
