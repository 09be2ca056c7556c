import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import {
  createTestDatabases,
  databaseServiceFor,
} from '../__testUtils__/databases';
import { executeApiEndpoint, privateRestApi } from '../__testUtils__/records';
import { InventoryStore } from './InventoryStore';
import { refreshEstateIndex } from './reverseIndex';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

async function createStore(id: TestDatabaseId) {
  const knex = await databases.init(id);
  const store = await InventoryStore.create({
    database: databaseServiceFor(knex),
  });
  return { knex, store };
}

async function crawl(
  store: InventoryStore,
  runId: string,
  writes: Array<Parameters<InventoryStore['writeApi']>[1]>,
) {
  await store.startScope({
    accountId: ACCOUNT,
    region: REGION,
    startedAt: new Date(),
  });
  for (const write of writes) await store.writeApi(runId, write, 'owner');
  return store.completeScope(ACCOUNT, REGION, runId, {
    full: true,
    durationMs: 10,
    calls: 5,
    throttled: 1,
    finishedAt: new Date(),
  });
}

describe.each(databases.eachSupportedId())(
  'InventoryStore on %p',
  databaseId => {
    it('migrates up and down cleanly', async () => {
      const { knex } = await createStore(databaseId);
      expect(await knex.schema.hasTable('private_api_apis')).toBe(true);
      await knex.migrate.rollback(
        {
          directory: require('node:path').resolve(
            __dirname,
            '../../migrations',
          ),
        },
        true,
      );
      expect(await knex.schema.hasTable('private_api_apis')).toBe(false);
    });

    it('stores an API with its children and reads it back assembled', async () => {
      const { store } = await createStore(databaseId);
      await store.startScope({
        accountId: ACCOUNT,
        region: REGION,
        startedAt: new Date(),
      });
      await store.writeApi(
        'run1',
        {
          record: privateRestApi(),
          details: 'replace',
          fingerprint: 'prod=dep001',
          definition: { stageName: 'prod', content: '{"openapi":"3.0.1"}' },
        },
        'owner',
      );
      await store.replaceScopeResources(ACCOUNT, REGION, {
        vpcLinks: [
          {
            id: 'vl0001',
            name: 'orders-link',
            version: 'V1',
            status: 'AVAILABLE',
            targetArns: [],
            loadBalancers: [],
          },
          {
            id: 'vl0002',
            name: 'unused-link',
            version: 'V1',
            loadBalancers: [],
          },
        ],
        domains: [
          {
            domainName: 'orders.internal.example.com',
            domainNameId: 'abc123',
            endpointType: 'PRIVATE',
            accountId: ACCOUNT,
            region: REGION,
            accessAssociations: [{ vpcEndpointId: 'vpce-0123456789abcdef0' }],
            mappings: [{ basePath: 'v1', apiId: 'a1b2c3d4e5', stage: 'prod' }],
          },
        ],
        vpcEndpoints: [],
        vpcs: [],
      });
      await store.writeTraffic(
        ACCOUNT,
        REGION,
        new Map([
          [
            'a1b2c3d4e5',
            {
              periodDays: 2,
              total: 30,
              daily: [
                { date: '2026-11-20', count: 10 },
                { date: '2026-11-21', count: 20 },
              ],
            },
          ],
        ]),
      );
      await store.completeScope(ACCOUNT, REGION, 'run1', {
        full: true,
        durationMs: 1,
        calls: 1,
        throttled: 0,
        finishedAt: new Date(),
      });

      const api = await store.getApi(ACCOUNT, REGION, 'a1b2c3d4e5');
      expect(api).toMatchObject({
        name: 'orders-internal',
        endpointType: 'PRIVATE',
        stages: [{ stageName: 'prod', deploymentId: 'dep001' }],
        routes: [{ routeKey: 'GET /orders', authorizationType: 'AWS_IAM' }],
        integrations: [{ id: 'res1/GET', connectionId: 'vl0001' }],
        traffic: { total: 30, periodDays: 2 },
      });
      // Only the link the API's integrations use, and only domains mapping to it.
      expect(api!.vpcLinks.map(l => l.id)).toEqual(['vl0001']);
      expect(api!.domains.map(d => d.domainName)).toEqual([
        'orders.internal.example.com',
      ]);
      expect(await store.getDefinition(ACCOUNT, REGION, 'a1b2c3d4e5')).toEqual({
        stageName: 'prod',
        content: '{"openapi":"3.0.1"}',
      });
      expect(await store.getApi(ACCOUNT, REGION, 'zzzzzzzzzz')).toBeUndefined();
    });

    it("keeps an unchanged API's routes and definition on an incremental write", async () => {
      const { store } = await createStore(databaseId);
      await crawl(store, 'run1', [
        {
          record: privateRestApi(),
          details: 'replace',
          fingerprint: 'prod=dep001',
          definition: { stageName: 'prod', content: 'v1' },
        },
      ]);
      await crawl(store, 'run2', [
        {
          record: privateRestApi({
            routes: [],
            integrations: [],
            tags: { owner: 'team-new' },
          }),
          details: 'keep',
          fingerprint: 'prod=dep001',
        },
      ]);
      const api = await store.getApi(ACCOUNT, REGION, 'a1b2c3d4e5');
      expect(api!.routes).toHaveLength(1);
      expect(api!.tags.owner).toBe('team-new');
      expect(
        (await store.getDefinition(ACCOUNT, REGION, 'a1b2c3d4e5'))?.content,
      ).toBe('v1');
      expect(await store.getFingerprints(ACCOUNT, REGION)).toEqual(
        new Map([['a1b2c3d4e5', 'prod=dep001']]),
      );
    });

    it('keeps stored details when a detail crawl failed, and asks for them again next time', async () => {
      const { store } = await createStore(databaseId);
      await crawl(store, 'run1', [
        {
          record: privateRestApi(),
          details: 'replace',
          fingerprint: 'prod=dep001',
        },
      ]);
      await crawl(store, 'run2', [
        {
          record: privateRestApi({ stages: [], routes: [] }),
          details: 'keep',
          fingerprint: '',
          detailError: 'TooManyRequestsException: Rate exceeded',
        },
      ]);
      const api = await store.getApi(ACCOUNT, REGION, 'a1b2c3d4e5');
      expect(api!.stages).toHaveLength(1);
      expect(api!.routes).toHaveLength(1);
      expect(await store.getFingerprints(ACCOUNT, REGION)).toEqual(new Map());
    });

    it('removes APIs a successful crawl no longer saw, and counts generations', async () => {
      const { store } = await createStore(databaseId);
      await crawl(store, 'run1', [
        { record: privateRestApi(), details: 'replace', fingerprint: 'a' },
        {
          record: privateRestApi({ apiId: 'b2c3d4e5f6', name: 'payments' }),
          details: 'replace',
          fingerprint: 'b',
        },
      ]);
      const { removedApiIds } = await crawl(store, 'run2', [
        { record: privateRestApi(), details: 'replace', fingerprint: 'a' },
      ]);
      expect(removedApiIds).toEqual(['b2c3d4e5f6']);
      expect(await store.getApi(ACCOUNT, REGION, 'b2c3d4e5f6')).toBeUndefined();
      expect(await store.getScope(ACCOUNT, REGION)).toMatchObject({
        status: 'ok',
        apiCount: 1,
        generation: 2,
      });
    });

    it('moves the generation only when a crawl changed something, and says what', async () => {
      const { store } = await createStore(databaseId);
      const payments = (name = 'payments') =>
        privateRestApi({ apiId: 'b2c3d4e5f6', name });
      const same = () => [
        {
          record: privateRestApi(),
          details: 'replace' as const,
          fingerprint: 'a',
        },
        { record: payments(), details: 'keep' as const, fingerprint: 'b' },
      ];
      await crawl(store, 'run1', same());
      expect((await store.getScope(ACCOUNT, REGION))!.generation).toBe(1);

      // The same content again (details re-read or kept): nothing to announce.
      await crawl(store, 'run2', same());
      await crawl(store, 'run3', same());
      expect((await store.getScope(ACCOUNT, REGION))!.generation).toBe(1);
      const window = { since: 1, through: 1 };
      expect(
        (
          await store.listScopeApiChanges(ACCOUNT, REGION, {
            ...window,
            limit: 10,
          })
        ).items,
      ).toEqual([]);

      // One API renamed: it is the only change, and its old entity name is removed.
      await crawl(store, 'run4', [
        same()[0],
        { record: payments('payments-v2'), details: 'keep', fingerprint: 'b' },
      ]);
      expect((await store.getScope(ACCOUNT, REGION))!.generation).toBe(2);
      const changes = await store.listScopeApiChanges(ACCOUNT, REGION, {
        since: 1,
        through: 2,
        limit: 10,
      });
      expect(changes.items.map(i => i.api.name)).toEqual(['payments-v2']);
      expect(
        await store.listRemovedEntityNames(ACCOUNT, REGION, {
          since: 1,
          through: 2,
        }),
      ).toEqual(['payments-b2c3d4e5f6']);

      // A removal alone moves the generation too.
      await crawl(store, 'run5', [same()[0]]);
      expect((await store.getScope(ACCOUNT, REGION))!.generation).toBe(3);
      expect(
        await store.listRemovedEntityNames(ACCOUNT, REGION, {
          since: 2,
          through: 3,
        }),
      ).toEqual(['payments-v2-b2c3d4e5f6']);
    });

    it('pages changed APIs by key', async () => {
      const { store } = await createStore(databaseId);
      await crawl(
        store,
        'run1',
        ['a0', 'a1', 'a2', 'a3', 'a4'].map(apiId => ({
          record: privateRestApi({ apiId, name: apiId }),
          details: 'replace' as const,
          fingerprint: apiId,
        })),
      );
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await store.listScopeApiChanges(ACCOUNT, REGION, {
          since: 0,
          through: 1,
          after,
          limit: 2,
        });
        seen.push(...page.items.map(i => i.api.apiId));
        after = page.next;
      } while (after);
      expect(seen).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    });

    it('keeps everything of a scope whose crawl failed, marked stale with the error', async () => {
      const { store } = await createStore(databaseId);
      await crawl(store, 'run1', [
        { record: privateRestApi(), details: 'replace', fingerprint: 'a' },
      ]);
      await store.startScope({
        accountId: ACCOUNT,
        region: REGION,
        startedAt: new Date(),
      });
      await store.failScope(ACCOUNT, REGION, {
        code: 'AccessDeniedException',
        message: 'not authorized',
        durationMs: 5,
        calls: 1,
        throttled: 0,
        finishedAt: new Date(),
      });
      expect(await store.getApi(ACCOUNT, REGION, 'a1b2c3d4e5')).toBeDefined();
      expect(await store.getScope(ACCOUNT, REGION)).toMatchObject({
        status: 'stale',
        lastErrorCode: 'AccessDeniedException',
        generation: 1,
        apiCount: 1,
      });
      const { items } = await store.listApis();
      expect(items).toEqual([
        expect.objectContaining({ apiId: 'a1b2c3d4e5', stale: true }),
      ]);
    });

    it('lists and filters APIs', async () => {
      const { store } = await createStore(databaseId);
      await crawl(store, 'run1', [
        { record: privateRestApi(), details: 'replace', fingerprint: 'a' },
        {
          record: privateRestApi({
            apiId: 'h1h2h3h4h5',
            name: 'Catalog HTTP',
            apiType: 'HTTP',
            endpointType: 'REGIONAL',
            tags: { owner: 'team-catalog' },
          }),
          details: 'replace',
          fingerprint: 'b',
        },
      ]);
      expect(
        (await store.listApis({ apiType: 'HTTP' })).items.map(a => a.apiId),
      ).toEqual(['h1h2h3h4h5']);
      expect(
        (await store.listApis({ endpointType: 'PRIVATE' })).items.map(
          a => a.apiId,
        ),
      ).toEqual(['a1b2c3d4e5']);
      expect((await store.listApis({ owner: 'team-catalog' })).totalCount).toBe(
        1,
      );
      // Search reads the documents the estate index writes after a crawl.
      await refreshEstateIndex(store, { accountId: ACCOUNT, region: REGION });
      const found = async (text: string) =>
        (await store.listApis({ text })).items.map(a => a.name);
      expect(await found('catalog')).toEqual(['Catalog HTTP']);
      expect(await found('CATA')).toEqual(['Catalog HTTP']);
      expect(await found('/orders')).toEqual([
        'Catalog HTTP',
        'orders-internal',
      ]);
      expect(await found('orders catalog')).toEqual(['Catalog HTTP']);
      expect(await found('a1b2c3d4e5')).toEqual(['orders-internal']);
      expect(await found('vpce-0123456789abcdef0')).toEqual([
        'Catalog HTTP',
        'orders-internal',
      ]);
      expect(await found('nothing-like-this')).toEqual([]);
      expect(await found('%')).toEqual([]);

      expect((await store.listApis({ limit: 1 })).items).toHaveLength(1);
      expect((await store.listApis({ limit: 1 })).totalCount).toBe(2);
      // Keyset paging: the cursor of a page leads to the next one, the last has none.
      const first = await store.listApis({ limit: 1 });
      const second = await store.listApis({
        limit: 1,
        after: first.nextCursor,
      });
      expect([...first.items, ...second.items].map(a => a.name)).toEqual([
        'Catalog HTTP',
        'orders-internal',
      ]);
      expect(second.nextCursor).toBeUndefined();
      await expect(store.listApis({ after: 'garbage' })).rejects.toThrow(
        /Invalid after/,
      );

      // The summary columns the index writes, and their filters.
      expect(
        (await store.listApis({ noPolicy: true })).items.map(a => a.apiId),
      ).toEqual([]);
      const [privateApi] = (await store.listApis({ endpointType: 'PRIVATE' }))
        .items;
      expect(privateApi).toMatchObject({
        hasPolicy: true,
        callerAccess: 'none',
        crossAccount: false,
        tags: { owner: 'team-orders', system: 'commerce' },
      });
      expect(
        (await store.listApis({ openToAnyEndpoint: true })).totalCount,
      ).toBe(0);
      expect((await store.listApis({ stale: true })).totalCount).toBe(0);
    });

    it('keeps every stored API and its children when the migrations of its columns are rolled back and applied again', async () => {
      const { knex, store } = await createStore(databaseId);
      const record = privateRestApi({
        stages: [
          { stageName: 'prod', deploymentId: 'd1', cacheClusterEnabled: false },
        ],
      });
      await crawl(store, 'run1', [
        { record, details: 'replace', fingerprint: 'a' },
      ]);
      const children = async () =>
        Object.fromEntries(
          await Promise.all(
            ['private_api_apis', 'private_api_stages'].map(async table => [
              table,
              Number((await knex(table).count({ n: '*' }).first())?.n ?? 0),
            ]),
          ),
        );
      const before = await children();
      expect(before).toEqual({ private_api_apis: 1, private_api_stages: 1 });
      const directory = require('node:path').resolve(
        __dirname,
        '../../migrations',
      );
      // Back to before the first migration that adds columns to the APIs' table, one
      // migration at a time, checking nothing stored was lost on the way.
      for (;;) {
        const [done] = await knex.migrate.list({ directory });
        const last: string = (done.at(-1) as any)?.name ?? '';
        if (last < '20261126110000') break;
        await knex.migrate.down({ directory });
        expect({ after: last, rows: await children() }).toEqual({
          after: last,
          rows: before,
        });
      }
      await knex.migrate.latest({ directory });
      expect(await children()).toEqual(before);
    });

    it("lists an API's tags as its last write left them, also for rows stored before", async () => {
      const { knex, store } = await createStore(databaseId);
      const record = privateRestApi({ tags: { owner: 'team-a', env: 'prod' } });
      await crawl(store, 'run1', [
        { record, details: 'replace', fingerprint: 'a' },
      ]);
      const listedTags = async () =>
        (await store.listApis({ accountId: ACCOUNT })).items.map(a => a.tags);
      // Written with the record: no estate-index step has run for this API.
      expect(await listedTags()).toEqual([{ owner: 'team-a', env: 'prod' }]);
      await crawl(store, 'run2', [
        {
          record: { ...record, tags: { owner: 'team-b' } },
          details: 'keep',
          fingerprint: 'a',
        },
      ]);
      expect(await listedTags()).toEqual([{ owner: 'team-b' }]);

      // A row the crawl stored before it wrote tags with the record gets them from the
      // record when the database is upgraded.
      const listRowIndex = {
        directory: require('node:path').resolve(__dirname, '../../migrations'),
        name: '20261126_s5_list_row_index.js',
      };
      await knex.migrate.down(listRowIndex);
      await knex('private_api_apis').update({ tags: null });
      await knex.migrate.up(listRowIndex);
      expect(await listedTags()).toEqual([{ owner: 'team-b' }]);
    });

    it("keeps whole scopes' totals as APIs are found, priced and removed, also between crawls and for scopes stored before", async () => {
      const { knex, store } = await createStore(databaseId);
      const api = (apiId: string) =>
        privateRestApi({ apiId, accountId: ACCOUNT, region: REGION });
      const totals = (filter: { accountId?: string; region?: string } = {}) =>
        store.listApis({ ...filter, limit: 0, totals: true });
      const key = (apiId: string) => `${ACCOUNT}:${REGION}:${apiId}`;
      await crawl(store, 'run1', [
        { record: api('a1'), details: 'replace', fingerprint: 'a' },
        { record: api('a2'), details: 'replace', fingerprint: 'a' },
      ]);
      expect(await totals()).toEqual({
        items: [],
        totalCount: 2,
        pricedCount: 0,
        monthlyCostTotalUsd: 0,
      });
      // Priced after the crawl completed, as a re-crawl of one API does.
      await store.writeDerivedFigures([
        { apiKey: key('a1'), monthlyCostUsd: 3.5 },
        { apiKey: key('a2'), monthlyCostUsd: 1.25 },
      ]);
      expect(await totals({ accountId: ACCOUNT })).toMatchObject({
        totalCount: 2,
        pricedCount: 2,
        monthlyCostTotalUsd: 4.75,
      });
      // Found by the change feed: counted at once, priced later.
      await store.writeApi(
        undefined,
        { record: api('a3'), details: 'replace', fingerprint: 'a' },
        'owner',
      );
      expect(await totals({ region: REGION })).toMatchObject({
        totalCount: 3,
        pricedCount: 2,
      });
      await store.removeApis(ACCOUNT, REGION, ['a1']);
      expect(await totals()).toMatchObject({
        totalCount: 2,
        pricedCount: 1,
        monthlyCostTotalUsd: 1.25,
      });
      expect(await totals({ region: 'eu-west-1' })).toMatchObject({
        totalCount: 0,
        monthlyCostTotalUsd: 0,
      });
      // What a list of every API counts agrees.
      const listed = await store.listApis({ apiType: 'REST', totals: true });
      expect(listed.totalCount).toBe(2);
      expect(listed.monthlyCostTotalUsd).toBe(1.25);

      // A database upgraded from before scopes kept totals gets them from its APIs.
      const migration = {
        directory: require('node:path').resolve(__dirname, '../../migrations'),
        name: '20261126_s6_scope_totals.js',
      };
      await knex.migrate.down(migration);
      await knex('private_api_scopes').update({ api_count: 0 });
      await knex.migrate.up(migration);
      expect(await totals()).toMatchObject({
        totalCount: 2,
        pricedCount: 1,
        monthlyCostTotalUsd: 1.25,
      });
    });

    it('keeps reverse-index rows only for private REST APIs of the inventory, whatever wrote last', async () => {
      const { knex, store } = await createStore(databaseId);
      const vpce = 'vpce-0123456789abcdef0';
      // Lets in the one endpoint it names: the reverse index has a row naming it.
      const onlyVpce = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringEquals: { 'aws:SourceVpce': vpce } },
          },
        ],
      });
      const api = (apiId: string, name: string) =>
        privateRestApi({ apiId, name, policy: onlyVpce });
      const key = (apiId: string) => `${ACCOUNT}:${REGION}:${apiId}`;
      await crawl(store, 'run1', [
        { record: api('a1', 'alpha'), details: 'replace', fingerprint: 'a' },
        { record: api('b2', 'beta'), details: 'replace', fingerprint: 'a' },
        { record: api('c3', 'gamma'), details: 'replace', fingerprint: 'a' },
      ]);
      await store.replaceScopeResources(ACCOUNT, REGION, {
        vpcLinks: [],
        domains: [],
        vpcEndpoints: [
          executeApiEndpoint({
            vpcEndpointId: vpce,
            vpcId: 'vpc-0aaa',
            ownerAccountId: ACCOUNT,
            region: REGION,
          }),
        ],
        vpcs: [],
      });
      await refreshEstateIndex(store, { accountId: ACCOUNT, region: REGION });
      const rowsOf = async (apiId: string) =>
        (await knex('private_api_callers').where({ target_key: key(apiId) }))
          .length;
      const callable = async () =>
        (
          await store.listApis({
            reachableFrom: [{ vpcEndpointId: vpce, region: REGION }],
            sort: 'name',
            limit: 1,
          })
        ).items.map(a => a.name);
      expect(await rowsOf('b2')).toBeGreaterThan(0);
      expect(await callable()).toEqual(['alpha']);
      // Priced, then its rows written again by an index pass: the totals "Callable from"
      // shows beside its pages keep the costs.
      const totals = () =>
        store.listApis({
          reachableFrom: [{ vpcEndpointId: vpce, region: REGION }],
          limit: 0,
          totals: true,
        });
      await store.writeDerivedFigures([
        { apiKey: key('a1'), monthlyCostUsd: 2 },
        { apiKey: key('c3'), monthlyCostUsd: 5.5 },
      ]);
      // An index entry as a pass computes it for such an API.
      const entry = (apiId: string, name: string) => ({
        apiKey: key(apiId),
        hash: 'again',
        endpointsHash: 'again',
        callerAccess: 'listed' as const,
        crossAccount: false,
        hasPolicy: true,
        tags: {},
        searchText: name,
        callers: [
          { caller: '*', verdict: 'denied' as const },
          { caller: vpce, verdict: 'allowed' as const },
        ].map(row => ({
          ...row,
          targetKey: key(apiId),
          targetKind: 'api' as const,
          region: REGION,
          principals: [],
          reason: 'From the policy',
        })),
      });
      await store.writeIndexEntries([entry('c3', 'gamma')]);
      expect(await totals()).toMatchObject({
        totalCount: 3,
        pricedCount: 2,
        monthlyCostTotalUsd: 7.5,
      });
      // What an index pass computed while b2 was private, written after a change-feed
      // re-crawl made it regional.
      const computedWhilePrivate = entry('b2', 'beta');
      await store.writeApi(
        undefined,
        {
          record: { ...api('b2', 'beta'), endpointType: 'REGIONAL' },
          details: 'replace',
          fingerprint: 'b',
        },
        'owner',
      );
      expect(await rowsOf('b2')).toBe(0);
      await store.writeIndexEntries([computedWhilePrivate]);
      expect(await rowsOf('b2')).toBe(0);
      await store.removeApis(ACCOUNT, REGION, ['a1']);
      expect(await rowsOf('a1')).toBe(0);
      // The first page of one is the first private API left, with a next page no more.
      const page = await store.listApis({
        reachableFrom: [{ vpcEndpointId: vpce, region: REGION }],
        sort: 'name',
        limit: 1,
      });
      expect(page.items.map(a => a.name)).toEqual(['gamma']);
      expect(page.nextCursor).toBeUndefined();
      expect(await totals()).toMatchObject({
        totalCount: 1,
        pricedCount: 1,
        monthlyCostTotalUsd: 5.5,
      });

      // Rows the earlier code left (of an API since removed) go with the migration.
      const migration = {
        directory: require('node:path').resolve(__dirname, '../../migrations'),
        name: '20261126_s7_index_rows_of_private_apis.js',
      };
      await knex.migrate.down(migration);
      await knex('private_api_callers').insert({
        target_key: key('gone'),
        target_kind: 'api',
        region: REGION,
        caller: '*',
        verdict: 'allowed',
        reason: 'Allowed by Statement[0] (Allow)',
        target_name: 'aardvark',
      });
      await knex.migrate.up(migration);
      expect(await rowsOf('gone')).toBe(0);
      expect(await rowsOf('c3')).toBeGreaterThan(0);
      expect(await callable()).toEqual(['gamma']);
    });

    it('keeps what a listed invoke URL needs beside the record, also for rows stored before', async () => {
      const { knex, store } = await createStore(databaseId);
      const record = privateRestApi({
        partition: 'aws-cn',
        vpcEndpointIds: ['vpce-0123456789abcdef0', 'vpce-0fedcba9876543210'],
        disableExecuteApiEndpoint: true,
        stages: [
          { stageName: 'test', deploymentId: 'd1', cacheClusterEnabled: false },
          { stageName: 'prod', deploymentId: 'd1', cacheClusterEnabled: false },
        ],
      });
      await crawl(store, 'run1', [
        { record, details: 'replace', fingerprint: 'a' },
      ]);
      const stored = () =>
        knex('private_api_apis')
          .where({ api_id: record.apiId })
          .first(
            'aws_partition',
            'vpc_endpoint_ids',
            'disable_execute_api_endpoint',
            'first_stage',
          )
          .then(row => ({
            ...row,
            disable_execute_api_endpoint: Boolean(
              row.disable_execute_api_endpoint,
            ),
          }));
      const expected = {
        aws_partition: 'aws-cn',
        vpc_endpoint_ids: 'vpce-0123456789abcdef0,vpce-0fedcba9876543210',
        disable_execute_api_endpoint: true,
        first_stage: 'prod',
      };
      expect(await stored()).toEqual(expected);

      // A database upgraded from before these columns gets them from the stored record and
      // stages, without waiting for a crawl.
      const directory = require('node:path').resolve(
        __dirname,
        '../../migrations',
      );
      const invokeColumns = {
        directory,
        name: '20261126_h30_invoke_columns.js',
      };
      // The list-row index that replaced this migration's page index goes first.
      const listRowIndex = { directory, name: '20261126_s5_list_row_index.js' };
      await knex.migrate.down(listRowIndex);
      await knex.migrate.down(invokeColumns);
      expect(
        await knex.schema.hasColumn('private_api_apis', 'first_stage'),
      ).toBe(false);
      await knex.migrate.up(invokeColumns);
      await knex.migrate.up(listRowIndex);
      expect(await stored()).toEqual(expected);

      // A crawl whose details failed keeps the stored stages, and so the first stage.
      await crawl(store, 'run2', [
        {
          record: { ...record, stages: [] },
          details: 'replace',
          fingerprint: 'b',
          detailError: 'throttled',
        },
      ]);
      expect((await stored()).first_stage).toBe('prod');
      await crawl(store, 'run3', [
        {
          record: {
            ...record,
            vpcEndpointIds: [],
            disableExecuteApiEndpoint: false,
            stages: [
              {
                stageName: 'v2',
                deploymentId: 'd2',
                cacheClusterEnabled: false,
              },
            ],
          },
          details: 'replace',
          fingerprint: 'c',
        },
      ]);
      expect(await stored()).toEqual({
        aws_partition: 'aws-cn',
        vpc_endpoint_ids: '',
        disable_execute_api_endpoint: false,
        first_stage: 'v2',
      });
      // An API associated with many endpoints is stored too (no index entry grows with them:
      // PostgreSQL refuses B-tree entries over about 2.7 KB, even compressed).
      const many = Array.from(
        { length: 150 },
        (_, i) =>
          `vpce-${createHash('sha256')
            .update(String(i))
            .digest('hex')
            .slice(0, 17)}`,
      );
      await crawl(store, 'run4', [
        {
          record: { ...record, vpcEndpointIds: many },
          details: 'replace',
          fingerprint: 'd',
        },
      ]);
      expect((await stored()).vpc_endpoint_ids).toBe(many.join(','));
    });

    it("matches a name's short number whole, and longer numbers and ids as prefixes", async () => {
      const { store } = await createStore(databaseId);
      const api = (apiId: string, name: string) => ({
        record: privateRestApi({ apiId, name }),
        details: 'replace' as const,
        fingerprint: apiId,
      });
      await crawl(store, 'run1', [
        api('a1b2c3d4e5', 'orders-7'),
        api('b1b2c3d4e5', 'orders-70'),
        // An id that starts with the digit: a prefix match of "7" would find it.
        api('7c1b2c3d4e', 'payments'),
      ]);
      await refreshEstateIndex(store, { accountId: ACCOUNT, region: REGION });
      const found = async (text: string) =>
        (await store.listApis({ text })).items.map(a => a.name).sort();
      expect(await found('orders-7')).toEqual(['orders-7']);
      expect(await found('orders-70')).toEqual(['orders-70']);
      expect(await found('7c1b')).toEqual(['payments']);
      // Part of the account id (four digits or more) is a prefix.
      expect(await found('1111')).toEqual([
        'orders-7',
        'orders-70',
        'payments',
      ]);
    });
  },
);
