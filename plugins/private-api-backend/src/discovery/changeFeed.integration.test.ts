import { mockServices } from '@backstage/backend-test-utils';
import { generateEstate, Simulator } from '@private-api-catalog/aws-simulator';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  estateApiKeys,
  inventoryApiKeys,
  startDiscoveryHarness,
} from '../__testUtils__/harness';
import { changeFeedFor } from './changeFeed';
import type { InventoryStore } from '../inventory/InventoryStore';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const estate = () =>
  generateEstate({
    accounts: 2,
    restApisPerAccount: 5,
    httpApisPerAccount: 3,
    regions: 1,
    seed: 11,
  });

function callsOf(simulator: Simulator, key: string): number {
  return Object.values(simulator.stats().calls[key] ?? {}).reduce(
    (a, b) => a + b,
    0,
  );
}

function apiGatewayCalls(simulator: Simulator): number {
  return Object.entries(simulator.stats().calls)
    .filter(([key]) => key.startsWith('apigateway'))
    .flatMap(([, byAccount]) => Object.values(byAccount))
    .reduce((a, b) => a + b, 0);
}

/** The first REST and the first HTTP API of the first account. */
function targets(simulator: Simulator) {
  const account = simulator.estate.accounts[0];
  const [region, state] = [...account.regions][0];
  return {
    accountId: account.id,
    region,
    rest: state.restApis[0].id,
    http: state.v2Apis.find(a => a.protocolType === 'HTTP')!.apiId,
  };
}

async function routeKeys(
  store: InventoryStore,
  t: { accountId: string; region: string },
  apiId: string,
) {
  const api = await store.getApi(t.accountId, t.region, apiId);
  return api!.routes.map(r => r.routeKey);
}

describe.each(databases.eachSupportedId())(
  'the change feed on %p',
  databaseId => {
    let harness: Awaited<ReturnType<typeof startDiscoveryHarness>> | undefined;
    afterEach(async () => {
      await harness?.stop();
      harness = undefined;
    });

    async function start(changeFeed = {}) {
      harness = await startDiscoveryHarness({
        knex: await databases.init(databaseId),
        estate: estate(),
        changeFeed: { eventBridgeDelaySeconds: 0, ...changeFeed },
      });
      await harness.runner.run();
      const logger = mockServices.logger.mock();
      const feed = changeFeedFor({
        runner: harness.runner,
        store: harness.store,
        clients: harness.clients,
        config: harness.config,
        logger,
      });
      return { ...harness, feed, logger };
    }

    it('re-crawls only the APIs that CloudTrail names, once', async () => {
      const { simulator, store, feed } = await start();
      const t = targets(simulator);
      simulator.changeApis([
        {
          accountId: t.accountId,
          region: t.region,
          apiId: t.rest,
          path: '/added-rest',
        },
        {
          accountId: t.accountId,
          region: t.region,
          apiId: t.http,
          path: '/added-http',
        },
      ]);
      simulator.resetStats();

      const result = await feed.pollAll();

      expect(result.recrawled).toBe(2);
      expect(await routeKeys(store, t, t.rest)).toContain('GET /added-rest');
      expect(await routeKeys(store, t, t.http)).toContain('GET /added-http');
      // Only the two named APIs were read: one GetStages each, no listing.
      expect(callsOf(simulator, 'apigateway:GetStages')).toBe(1);
      expect(callsOf(simulator, 'apigatewayv2:GetStages')).toBe(1);
      expect(callsOf(simulator, 'apigateway:GetRestApis')).toBe(0);
      expect(callsOf(simulator, 'cloudtrail:LookupEvents')).toBe(
        2 * simulator.estate.accounts.length,
      );
      expect(await inventoryApiKeys(store)).toEqual(estateApiKeys(simulator));

      // The same events on the next poll: already covered, nothing re-crawled.
      simulator.resetStats();
      const again = await feed.pollAll();
      expect(again.recrawled).toBe(0);
      expect(apiGatewayCalls(simulator)).toBe(0);
    });

    it('with an SQS queue, re-crawls from the queue and deletes what it handled', async () => {
      const { simulator, store, feed, clients } = await start();
      const t = targets(simulator);
      simulator.changeFeed.createQueue({
        accountId: t.accountId,
        region: t.region,
        name: 'api-changes',
      });
      const queueUrl = `${simulator.url}/${t.accountId}/api-changes`;
      simulator.changeApis([
        {
          accountId: t.accountId,
          region: t.region,
          apiId: t.rest,
          path: '/from-queue',
        },
      ]);

      const sqs = await clients.sqs(t.accountId, t.region);
      const result = await feed.receiveOnce(sqs, queueUrl, t.region);

      expect(result.recrawled).toBe(1);
      expect(await routeKeys(store, t, t.rest)).toContain('GET /from-queue');
      // Every message was handled and deleted: the queue is empty.
      expect(
        await simulator.changeFeed.receive(
          `${t.region}|${t.accountId}|api-changes`,
          10,
          0,
          0,
        ),
      ).toEqual([]);
    });

    it('misses dropped events until the next full crawl, which catches them', async () => {
      const { simulator, store, feed, runner } = await start();
      const t = targets(simulator);
      simulator.changeFeed.configure({ dropRate: 1 });
      simulator.changeApis([
        {
          accountId: t.accountId,
          region: t.region,
          apiId: t.rest,
          path: '/lost',
        },
      ]);

      expect((await feed.pollAll()).recrawled).toBe(0);
      expect(await routeKeys(store, t, t.rest)).not.toContain('GET /lost');

      await runner.run({ full: true });
      expect(await routeKeys(store, t, t.rest)).toContain('GET /lost');
    });

    it('falls back to scheduled polling with a warning when CloudTrail is denied', async () => {
      const { simulator, store, feed, runner, logger } = await start();
      const t = targets(simulator);
      simulator.setFaults([
        { type: 'accessDenied', account: t.accountId, service: 'cloudtrail' },
      ]);
      simulator.changeApis([
        {
          accountId: t.accountId,
          region: t.region,
          apiId: t.rest,
          path: '/polled',
        },
      ]);

      expect((await feed.pollScope(t.accountId, t.region)).recrawled).toBe(0);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /next scheduled discovery run.*cloudtrail:LookupEvents/s,
        ),
      );
      // The incremental run sees the new deployment and reads the API again.
      await runner.run();
      expect(await routeKeys(store, t, t.rest)).toContain('GET /polled');
    });
  },
);
