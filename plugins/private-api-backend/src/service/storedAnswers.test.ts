import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import request from 'supertest';
import { analyzeResourcePolicy } from '@private-api-catalog/plugin-private-api-common';
import {
  createTestDatabases,
  databaseServiceFor,
  testDatabaseIds,
} from '../__testUtils__/databases';
import { privateRestApi } from '../__testUtils__/records';
import { refreshDerivedFigures } from '../discovery/derived';
import { InventoryStore } from '../inventory/InventoryStore';
import { createRouter } from './router';

const databases = createTestDatabases();
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: {
        StringNotEquals: {
          'aws:SourceVpce': [
            'vpce-0123456789abcdef0',
            'vpce-0aaaaaaaaaaaaaaaa',
          ],
        },
      },
    },
  ],
});

async function crawled(
  databaseId: typeof databases extends { init(id: infer I): any } ? I : never,
) {
  const store = await InventoryStore.create({
    database: databaseServiceFor(await databases.init(databaseId)),
  });
  await store.startScope({
    accountId: ACCOUNT,
    region: REGION,
    startedAt: new Date(),
  });
  const record = privateRestApi({ policy: POLICY });
  await store.writeApi(
    'run1',
    { record, details: 'replace', fingerprint: 'x' },
    'owner',
  );
  await store.completeScope(ACCOUNT, REGION, 'run1', {
    full: true,
    durationMs: 1,
    calls: 1,
    throttled: 0,
    finishedAt: new Date(),
  });
  const router = await createRouter({
    logger: mockServices.logger.mock(),
    httpAuth: {} as any,
    permissions: {} as any,
    store,
  });
  const app = express().use(router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return { store, record, app };
}

describe.each(testDatabaseIds())(
  'answers stored by the crawl (%s)',
  databaseId => {
    it('serves the policy analysis with the API detail and the same cost answer as computed on demand', async () => {
      const { store, record, app } = await crawled(databaseId);
      const path = `/apis/${ACCOUNT}/${REGION}/${record.apiId}`;
      // Before the derived step (an inventory from before it existed): no analysis, cost computed.
      expect(
        (await request(app).get(path)).body.policyAnalysis,
      ).toBeUndefined();
      const computed = (await request(app).get(`${path}/cost`)).body;
      expect(computed.estimate).toMatchObject({ apiId: record.apiId });

      await refreshDerivedFigures(store, ACCOUNT, REGION);
      const detail = await request(app).get(path);
      expect(detail.status).toBe(200);
      expect(detail.body.api.apiId).toBe(record.apiId);
      expect(detail.body.policyAnalysis).toEqual(
        JSON.parse(
          JSON.stringify(
            analyzeResourcePolicy(POLICY, {
              apiArn: record.executeApiArn,
              endpointType: 'PRIVATE',
              associatedVpcEndpointIds: record.vpcEndpointIds,
              stages: ['prod'],
            }),
          ),
        ),
      );
      expect(detail.body.policyAnalysis.vpcEndpoints.allowed).toEqual([
        'vpce-0123456789abcdef0',
        'vpce-0aaaaaaaaaaaaaaaa',
      ]);
      expect((await request(app).get(`${path}/cost`)).body).toEqual(computed);
      // The snapshot is the record as assembled from its rows.
      expect(detail.body.api).toEqual(
        JSON.parse(
          JSON.stringify(await store.getApi(ACCOUNT, REGION, record.apiId)),
        ),
      );
      expect(detail.body.api.routes).toHaveLength(1);

      // Rewritten by a crawl: served from its rows until the derived step runs again.
      await store.writeApi(
        'run2',
        {
          record: { ...record, name: 'renamed' },
          details: 'replace',
          fingerprint: 'y',
        },
        'owner',
      );
      expect((await request(app).get(path)).body.api.name).toBe('renamed');
      expect(
        (await request(app).get(`/apis/${ACCOUNT}/${REGION}/zzzzzzzzzz/cost`))
          .status,
      ).toBe(404);
    });

    it('keeps an analysis whose inputs did not change, and redoes one whose policy changed', async () => {
      const { store, record } = await crawled(databaseId);
      await refreshDerivedFigures(store, ACCOUNT, REGION);
      const first = await store.getPolicyAnalysisHashes(ACCOUNT, REGION);
      expect(first.get(record.apiId)?.allowedVpcCount).toBe(2);
      await refreshDerivedFigures(store, ACCOUNT, REGION);
      expect(await store.getPolicyAnalysisHashes(ACCOUNT, REGION)).toEqual(
        first,
      );

      const narrower = POLICY.replace(',"vpce-0aaaaaaaaaaaaaaaa"', '');
      await store.writeApi(
        'run2',
        {
          record: { ...record, policy: narrower },
          details: 'replace',
          fingerprint: 'y',
        },
        'owner',
      );
      await refreshDerivedFigures(store, ACCOUNT, REGION);
      const second = await store.getPolicyAnalysisHashes(ACCOUNT, REGION);
      expect(second.get(record.apiId)?.hash).not.toBe(
        first.get(record.apiId)?.hash,
      );
      expect(second.get(record.apiId)?.allowedVpcCount).toBe(1);
      const stored = await store.getStoredAnswers(
        ACCOUNT,
        REGION,
        record.apiId,
      );
      expect(
        JSON.parse(stored!.policyAnalysisJson!).vpcEndpoints.allowed,
      ).toEqual(['vpce-0123456789abcdef0']);
    });
  },
);
