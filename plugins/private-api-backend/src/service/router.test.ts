import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import {
  createTestDatabases,
  databaseServiceFor,
  testBackendDatabase,
} from '../__testUtils__/databases';
import { privateRestApi } from '../__testUtils__/records';
import { InventoryStore } from '../inventory/InventoryStore';
import { privateApiPlugin } from '../plugin';
import { createRouter } from './router';

const databases = createTestDatabases();

async function appWith(options: {
  allow: boolean;
  triggerDiscovery?: () => Promise<void>;
}) {
  const store = await InventoryStore.create({
    database: databaseServiceFor(await databases.init('SQLITE_3')),
  });
  await store.startScope({
    accountId: '111111111111',
    region: 'us-east-1',
    startedAt: new Date(),
  });
  await store.writeApi(
    'run1',
    {
      record: privateRestApi(),
      details: 'replace',
      fingerprint: 'x',
      definition: { stageName: 'prod', content: '{"openapi":"3.0.1"}' },
    },
    'owner',
  );
  await store.completeScope('111111111111', 'us-east-1', 'run1', {
    full: true,
    durationMs: 1,
    calls: 1,
    throttled: 0,
    finishedAt: new Date(),
  });

  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockResolvedValue([
    { result: options.allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY },
  ]);
  const router = await createRouter({
    logger: mockServices.logger.mock(),
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user(),
    }),
    permissions,
    store,
    triggerDiscovery: options.triggerDiscovery,
  });
  const app = express().use(router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return app;
}

describe('private-api router', () => {
  it('answers /health without credentials', async () => {
    const { server } = await startTestBackend({
      features: [
        privateApiPlugin,
        mockServices.rootConfig.factory({ data: {} }),
        await testBackendDatabase(databases),
      ],
    });
    const response = await request(server).get('/api/private-api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('requires credentials for the inventory', async () => {
    const { server } = await startTestBackend({
      features: [
        privateApiPlugin,
        mockServices.rootConfig.factory({ data: {} }),
        await testBackendDatabase(databases),
      ],
    });
    const response = await request(server)
      .get('/api/private-api/apis')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });

  it('lists and filters APIs', async () => {
    const app = await appWith({ allow: true });
    const all = await request(app).get('/apis');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      totalCount: 1,
      items: [{ apiId: 'a1b2c3d4e5', endpointType: 'PRIVATE' }],
    });
    const none = await request(app).get('/apis?apiType=HTTP');
    expect(none.body.totalCount).toBe(0);
  });

  it('says which filter is wrong', async () => {
    const app = await appWith({ allow: true });
    const response = await request(app).get('/apis?accountId=123&apiType=SOAP');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /accountId: must be a 12-digit AWS account id/,
    );
    expect(response.body.error.message).toMatch(/apiType/);
  });

  it('sorts, totals and pages by cursor; a wrong sort or cursor is a 400 that says what to do', async () => {
    const app = await appWith({ allow: true });
    const page = await request(app).get(
      '/apis?sort=monthlyCost&order=desc&totals=true&limit=1&owner=team-orders',
    );
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      totalCount: 1,
      pricedCount: 0,
      monthlyCostTotalUsd: 0,
      items: [{ apiId: 'a1b2c3d4e5', owner: 'group:default/team-orders' }],
    });
    // limit=0: the totals alone, as the explorer asks them beside its pages.
    const totalsOnly = await request(app).get(
      '/apis?limit=0&totals=true&owner=team-orders',
    );
    expect(totalsOnly.status).toBe(200);
    expect(totalsOnly.body).toEqual({
      items: [],
      totalCount: 1,
      pricedCount: 0,
      monthlyCostTotalUsd: 0,
    });
    const countOnly = await request(app).get('/apis?limit=0&apiType=HTTP');
    expect(countOnly.body).toEqual({ items: [], totalCount: 0 });
    const bySort = await request(app).get('/apis?sort=price');
    expect(bySort.status).toBe(400);
    expect(bySort.body.error.message).toMatch(/sort/);
    const malformed = await request(app).get('/apis?after=not-a-cursor');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /Invalid after: pass the nextCursor of the previous page/,
    );
    const cursor = Buffer.from(
      JSON.stringify({ s: 'owner', o: 'asc', v: ['x', 'y'], k: 'k' }),
    ).toString('base64url');
    const otherSort = await request(app).get(`/apis?sort=name&after=${cursor}`);
    expect(otherSort.status).toBe(400);
    expect(otherSort.body.error.message).toMatch(
      /continues the list sorted by owner \(asc\); to sort otherwise, ask for the first page/,
    );
  });

  it('returns one API with its scope status, and 404 with what to check when unknown', async () => {
    const app = await appWith({ allow: true });
    const found = await request(app).get(
      '/apis/111111111111/us-east-1/a1b2c3d4e5',
    );
    expect(found.status).toBe(200);
    expect(found.body.api.routes).toHaveLength(1);
    expect(found.body.scope).toMatchObject({ status: 'ok', apiCount: 1 });
    const missing = await request(app).get(
      '/apis/111111111111/us-east-1/zzzzzzzzzz',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(
      /No API zzzzzzzzzz in account 111111111111/,
    );
    expect(
      (
        await request(app).get(
          '/apis/111111111111/us-east-1/a1b2c3d4e5/definition',
        )
      ).text,
    ).toBe('{"openapi":"3.0.1"}');
  });

  it("prices an API with its scope's shared tiers, and says which price table it used", async () => {
    const app = await appWith({ allow: true });
    const response = await request(app).get(
      '/apis/111111111111/us-east-1/a1b2c3d4e5/cost',
    );
    expect(response.status).toBe(200);
    expect(response.body.estimate).toMatchObject({
      apiId: 'a1b2c3d4e5',
      apiType: 'REST',
    });
    expect(response.body.priceTables[0]).toMatchObject({
      region: 'us-east-1',
      asOf: expect.any(String),
    });
    expect(
      (await request(app).get('/apis/111111111111/us-east-1/zzzzzzzzzz/cost'))
        .status,
    ).toBe(404);
  });

  it('serves a scope page to the catalog module', async () => {
    const app = await appWith({ allow: true });
    const response = await request(app).get(
      '/scopes/111111111111/us-east-1/apis?limit=10',
    );
    expect(response.body.items).toEqual([
      expect.objectContaining({
        api: expect.objectContaining({ apiId: 'a1b2c3d4e5' }),
        definition: '{"openapi":"3.0.1"}',
      }),
    ]);
  });

  it('starts a discovery run only with the refresh permission', async () => {
    const trigger = jest.fn().mockResolvedValue(undefined);
    const denied = await request(
      await appWith({ allow: false, triggerDiscovery: trigger }),
    ).post('/refresh');
    expect(denied.status).toBe(403);
    expect(trigger).not.toHaveBeenCalled();
    const allowed = await request(
      await appWith({ allow: true, triggerDiscovery: trigger }),
    ).post('/refresh');
    expect(allowed.status).toBe(202);
    expect(trigger).toHaveBeenCalledTimes(1);
  });

  it('explains that discovery is not configured', async () => {
    const response = await request(await appWith({ allow: true })).post(
      '/refresh',
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/Discovery is not configured/);
  });
});
