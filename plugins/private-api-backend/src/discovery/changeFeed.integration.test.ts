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

    function newFeed(logger = mockServices.logger.mock()) {
      return changeFeedFor({
        runner: harness!.runner,
        store: harness!.store,
        clients: harness!.clients,
        config: harness!.config,
        logger,
      });
    }

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

    it('keeps its CloudTrail position across a restart: nothing read twice, nothing lost', async () => {
      const { simulator, store, feed } = await start();
      const t = targets(simulator);
      simulator.changeApis([
        {
          accountId: t.accountId,
          region: t.region,
          apiId: t.rest,
          path: '/before-restart',
        },
      ]);
      expect((await feed.pollAll()).recrawled).toBe(1);

      // A change while the backend is down, then a new process (a fresh feed, same database).
      simulator.changeApis([
        {
          accountId: t.accountId,
          region: t.region,
          apiId: t.http,
          path: '/while-down',
        },
      ]);
      const restarted = newFeed();
      simulator.resetStats();
      const result = await restarted.pollAll();

      // Only the API changed while down is read again; the one handled before is not.
      expect(result.recrawled).toBe(1);
      expect(callsOf(simulator, 'apigateway:GetStages')).toBe(0);
      expect(callsOf(simulator, 'apigatewayv2:GetStages')).toBe(1);
      expect(await routeKeys(store, t, t.http)).toContain('GET /while-down');
      expect(await routeKeys(store, t, t.rest)).toContain(
        'GET /before-restart',
      );
    });

    it('two replicas polling at once re-crawl each change once', async () => {
      const { simulator, store } = await start();
      const t = targets(simulator);
      simulator.changeApis([
        { accountId: t.accountId, region: t.region, apiId: t.rest, path: '/a' },
        { accountId: t.accountId, region: t.region, apiId: t.http, path: '/b' },
      ]);
      // Each re-crawl takes a while, so both replicas poll while the other holds a scope.
      const recrawl = harness!.runner.recrawl.bind(harness!.runner);
      jest
        .spyOn(harness!.runner, 'recrawl')
        .mockImplementation(async (...args) => {
          await new Promise(resolve => setTimeout(resolve, 300));
          return recrawl(...args);
        });
      simulator.resetStats();

      const [one, two] = await Promise.all([
        newFeed().pollAll(),
        newFeed().pollAll(),
      ]);

      expect(one.recrawled + two.recrawled).toBe(2);
      expect(one.skipped + two.skipped).toBeGreaterThanOrEqual(1);
      expect(callsOf(simulator, 'apigateway:GetStages')).toBe(1);
      expect(callsOf(simulator, 'apigatewayv2:GetStages')).toBe(1);
      expect(await routeKeys(store, t, t.rest)).toContain('GET /a');
      expect(await routeKeys(store, t, t.http)).toContain('GET /b');
    });

    it("leaves a scope another replica is polling to it, and takes it over when that replica's lease lapses", async () => {
      const { simulator, store, feed } = await start();
      const t = targets(simulator);
      const state = store.changeFeedState();
      const held = await state.claim(t.accountId, t.region, 'other', 60_000);
      expect(held).toBeDefined();
      simulator.changeApis([
        { accountId: t.accountId, region: t.region, apiId: t.rest, path: '/c' },
      ]);

      const skipped = await feed.pollScope(t.accountId, t.region);
      expect(skipped).toMatchObject({ skipped: 1, recrawled: 0 });
      expect(await routeKeys(store, t, t.rest)).not.toContain('GET /c');

      // The other replica crashed holding a lease that has now expired.
      await state.finish(held!);
      expect(
        await state.claim(t.accountId, t.region, 'crashed', -1),
      ).toBeDefined();
      expect((await feed.pollScope(t.accountId, t.region)).recrawled).toBe(1);
      expect(await routeKeys(store, t, t.rest)).toContain('GET /c');
    });

    it('runs one re-crawl at a time per scope; changes that arrive meanwhile share the next', async () => {
      // The cause of slow freshness at 10,000 APIs: every re-crawl ends with work over the
      // whole scope, so one re-crawl per message batch made a burst cost batches × scope.
      const { simulator, store, runner, clients, config } = await start();
      const t = targets(simulator);
      simulator.changeFeed.createQueue({
        accountId: t.accountId,
        region: t.region,
        name: 'burst',
      });
      const queueUrl = `${simulator.url}/${t.accountId}/burst`;
      const account = simulator.estate.accounts[0];
      const state = [...account.regions.values()][0];
      const changed = [
        ...state.restApis.map(a => a.id),
        ...state.v2Apis
          .filter(a => a.protocolType === 'HTTP')
          .map(a => a.apiId),
      ];
      simulator.changeApis(
        changed.map(apiId => ({
          accountId: t.accountId,
          region: t.region,
          apiId,
          path: '/burst',
        })),
      );
      const messages = simulator.changeFeed.queueDepth(
        `${t.region}|${t.accountId}|burst`,
      );
      // Three batches of ten or more.
      expect(messages).toBeGreaterThan(20);

      let running = 0;
      let maxRunning = 0;
      const recrawls: string[][] = [];
      const recrawl = runner.recrawl.bind(runner);
      jest.spyOn(runner, 'recrawl').mockImplementation(async (...args) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        recrawls.push(args[2].apiIds);
        try {
          await new Promise(resolve => setTimeout(resolve, 300));
          return await recrawl(...args);
        } finally {
          running -= 1;
        }
      });
      const feed = changeFeedFor({
        runner,
        store,
        clients,
        config: {
          ...config,
          changeFeed: {
            ...config.changeFeed,
            sqsQueueUrl: { [t.region]: queueUrl },
          },
        },
        logger: mockServices.logger.mock(),
      });
      feed.startQueues();
      try {
        for (let i = 0; i < 200; i++) {
          const seen = await Promise.all(
            changed.map(id => routeKeys(store, t, id)),
          );
          if (
            seen.every(keys => keys.includes('GET /burst')) &&
            simulator.changeFeed.queueDepth(
              `${t.region}|${t.accountId}|burst`,
            ) === 0
          )
            break;
          await new Promise(resolve => setTimeout(resolve, 100));
        }
      } finally {
        await feed.stop();
      }

      for (const id of changed)
        expect(await routeKeys(store, t, id)).toContain('GET /burst');
      expect(maxRunning).toBe(1);
      // Three or more message batches, at most two re-crawls: the first batch's, and one for
      // everything that arrived while it ran.
      expect(recrawls.length).toBeLessThanOrEqual(2);
      expect(new Set(recrawls.flat())).toEqual(new Set(changed));
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
