import { generateEstate, Simulator } from '@private-api-catalog/aws-simulator';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  estateApiKeys,
  inventoryApiKeys,
  startDiscoveryHarness,
} from '../__testUtils__/harness';
import { refreshEstateIndex, regionEndpoints } from '../inventory/reverseIndex';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const smallEstate = () =>
  generateEstate({
    accounts: 3,
    restApisPerAccount: 6,
    httpApisPerAccount: 4,
    regions: 2,
    seed: 7,
  });

/** Calls of one operation in the simulator's counters, across accounts. */
function callsOf(simulator: Simulator, key: string): number {
  return Object.values(simulator.stats().calls[key] ?? {}).reduce(
    (a, b) => a + b,
    0,
  );
}

describe.each(databases.eachSupportedId())(
  'discovery against the simulator on %p',
  databaseId => {
    let harness: Awaited<ReturnType<typeof startDiscoveryHarness>> | undefined;
    afterEach(async () => {
      await harness?.stop();
      harness = undefined;
    });

    it('finds every API of the demo estate, with the details the pages need', async () => {
      harness = await startDiscoveryHarness({
        knex: await databases.init(databaseId),
      });
      const { store, runner, simulator } = harness;
      const summary = await runner.run();

      expect(summary.scopes.filter(s => !s.ok)).toEqual([]);
      expect(await inventoryApiKeys(store)).toEqual(estateApiKeys(simulator));

      // Spot checks against the estate model: the first private REST API with an association.
      const producer = simulator.estate.accounts
        .flatMap(a => [...a.regions.values()])
        .flatMap(r => r.restApis)
        .find(
          api =>
            api.endpointType === 'PRIVATE' && api.vpcEndpointIds.length > 0,
        )!;
      const stored = await store.getApi(
        producer.accountId,
        producer.region,
        producer.id,
      );
      expect(stored).toMatchObject({
        endpointType: 'PRIVATE',
        vpcEndpointIds: producer.vpcEndpointIds,
      });
      expect(stored!.stages.map(s => s.stageName).sort()).toEqual(
        producer.stages.map(s => s.stageName).sort(),
      );
      expect(stored!.routes.length).toBeGreaterThan(0);
      expect(stored!.policy).toBeDefined();
      expect(stored!.traffic?.periodDays).toBe(30);

      // Every execute-api endpoint of the estate, resolvable to its VPC and owner.
      const endpoints = await store.listVpcEndpoints();
      expect(endpoints.map(e => e.vpcEndpointId).sort()).toEqual(
        [...simulator.estate.vpcEndpointsById.values()]
          .filter(e => e.serviceName.endsWith('.execute-api'))
          .map(e => e.id)
          .sort(),
      );
      expect((await store.listScopes()).every(s => s.status === 'ok')).toBe(
        true,
      );
    });

    it('reads deployed APIs from their exports: GetStages and one export per distinct deployment', async () => {
      harness = await startDiscoveryHarness({
        knex: await databases.init(databaseId),
        estate: smallEstate(),
      });
      const { runner, simulator } = harness;
      await runner.run();
      const regions = simulator.estate.accounts.flatMap(a => [
        ...a.regions.values(),
      ]);
      const deployments = (stages: Array<{ deploymentId: string }>) =>
        new Set(stages.map(s => s.deploymentId)).size;
      const restApis = regions.flatMap(r => r.restApis);
      const httpApis = regions
        .flatMap(r => r.v2Apis)
        .filter(a => a.protocolType === 'HTTP');
      expect(callsOf(simulator, 'apigateway:GetExport')).toBe(
        restApis.reduce((n, api) => n + deployments(api.stages), 0),
      );
      expect(callsOf(simulator, 'apigatewayv2:ExportApi')).toBe(
        httpApis.reduce(
          (n, api) => n + Math.max(1, deployments(api.stages)),
          0,
        ),
      );
      // Only APIs that no stage runs are read call by call.
      expect(callsOf(simulator, 'apigateway:GetResources')).toBe(
        restApis.filter(api => api.stages.length === 0).length,
      );
      expect(callsOf(simulator, 'apigateway:GetAuthorizers')).toBe(
        restApis.filter(api => api.stages.length === 0).length,
      );
      const v2Reads = callsOf(simulator, 'apigatewayv2:GetRoutes');
      expect(v2Reads).toBe(
        regions
          .flatMap(r => r.v2Apis)
          .filter(a => a.protocolType === 'WEBSOCKET').length,
      );
      // One AssumeRole per account, shared by every client and Region.
      expect(callsOf(simulator, 'sts:AssumeRole')).toBe(
        simulator.estate.accounts.length,
      );
    });

    it('re-crawls incrementally: unchanged APIs cost one GetStages call, changed ones are re-read', async () => {
      harness = await startDiscoveryHarness({
        knex: await databases.init(databaseId),
        estate: smallEstate(),
      });
      const { runner, simulator, store } = harness;
      await runner.run();
      const restApiCount = estateApiKeys(simulator).length; // REST and v2 together
      expect(callsOf(simulator, 'apigateway:GetExport')).toBeGreaterThan(0);

      simulator.resetStats();
      const second = await runner.run();
      expect(second.scopes.every(s => s.ok && !s.full)).toBe(true);
      expect(second.scopes.reduce((n, s) => n + s.unchangedApis, 0)).toBe(
        restApiCount,
      );
      expect(callsOf(simulator, 'apigateway:GetResources')).toBe(0);
      expect(callsOf(simulator, 'apigateway:GetExport')).toBe(0);
      expect(callsOf(simulator, 'apigatewayv2:GetRoutes')).toBe(0);
      expect(await inventoryApiKeys(store)).toEqual(estateApiKeys(simulator));
      // Kept details still say they are the deployed ones.
      const kept = simulator.estate.accounts[0].regions.values().next().value!
        .restApis[0];
      expect(
        (await store.getApi(kept.accountId, kept.region, kept.id))!
          .detailsSource,
      ).toMatchObject({ kind: 'deployment' });

      // Redeploy one stage in AWS: only that API's details are fetched again.
      const api = simulator.estate.accounts[0].regions.values().next().value!
        .restApis[0];
      api.stages[0].deploymentId = 'redeployed1';
      simulator.resetStats();
      const third = await runner.run();
      expect(third.scopes.reduce((n, s) => n + s.unchangedApis, 0)).toBe(
        restApiCount - 1,
      );
      expect(callsOf(simulator, 'apigateway:GetExport')).toBe(
        new Set(api.stages.map(s => s.deploymentId)).size,
      );

      // A forced full crawl reads everything again.
      simulator.resetStats();
      await runner.run({ full: true });
      expect(callsOf(simulator, 'apigateway:GetExport')).toBeGreaterThanOrEqual(
        simulator.estate.accounts
          .flatMap(a => [...a.regions.values()])
          .reduce(
            (n, r) => n + r.restApis.filter(x => x.stages.length).length,
            0,
          ),
      );
    });

    it('indexes each API as it is crawled, against every endpoint of its Region', async () => {
      const knex = await databases.init(databaseId);
      harness = await startDiscoveryHarness({ knex, estate: smallEstate() });
      const { runner, store, simulator } = harness;
      const summary = await runner.run({ full: true });
      expect(summary.scopes.filter(s => !s.ok)).toEqual([]);

      // The traffic of every API, read in batches as the crawl went.
      const [{ apis }] = await knex('private_api_apis').count({ apis: '*' });
      const [{ withTraffic }] = await knex('private_api_traffic').countDistinct(
        {
          withTraffic: 'api_key',
        },
      );
      expect(Number(withTraffic)).toBe(Number(apis));

      // Every entry was computed with its Region's endpoints as they are now, and with the
      // API as it is stored: checking again recomputes nothing.
      const accounts = simulator.estate.accounts.map(a => a.id);
      for (const region of ['us-east-1', 'eu-west-1']) {
        const endpoints = await regionEndpoints(store, region);
        const rows = await knex('private_api_apis')
          .where({ region })
          .select('callers_hash', 'callers_endpoints_hash');
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every(r => r.callers_hash)).toBe(true);
        expect(
          rows.filter(r => r.callers_endpoints_hash !== endpoints.hash),
        ).toEqual([]);
        for (const accountId of accounts) {
          expect(
            await refreshEstateIndex(store, { accountId, region }),
          ).toEqual({ recomputed: 0 });
        }
      }
    });

    it('keeps an account that denies access, marked stale, and refreshes the others', async () => {
      harness = await startDiscoveryHarness({
        knex: await databases.init(databaseId),
        estate: smallEstate(),
      });
      const { runner, simulator, store } = harness;
      await runner.run();
      const before = await inventoryApiKeys(store);
      const denied = simulator.estate.accounts[1].id;

      simulator.setFaults([{ type: 'accessDenied', account: denied }]);
      const secondRunAt = new Date();
      const summary = await runner.run();

      const failed = summary.scopes.filter(s => !s.ok);
      expect(failed.map(s => s.accountId)).toEqual([denied, denied]);
      // The crawl's first call is EC2's (the Region's VPC endpoints), which says
      // UnauthorizedOperation where API Gateway says AccessDenied.
      expect(failed[0].error?.code).toMatch(
        /AccessDenied|UnauthorizedOperation/,
      );
      expect(await inventoryApiKeys(store)).toEqual(before);
      const scopes = await store.listScopes();
      expect(
        scopes.filter(s => s.accountId === denied).map(s => s.status),
      ).toEqual(['stale', 'stale']);
      expect(
        scopes
          .filter(s => s.accountId !== denied)
          // Crawled again; nothing changed in them, so the catalog has nothing to do.
          .every(
            s =>
              s.status === 'ok' &&
              Date.parse(s.lastSuccessAt!) >= secondRunAt.getTime() &&
              s.generation === 1,
          ),
      ).toBe(true);
      expect(
        scopes.find(s => s.accountId === denied)!.lastErrorMessage,
      ).toMatch(/discovery role/);
    });

    it('survives a throttling and 5xx storm with nothing lost', async () => {
      harness = await startDiscoveryHarness({
        knex: await databases.init(databaseId),
        estate: smallEstate(),
        // AWS's rate with a burst small enough that this small estate is throttled, no
        // client-side buckets, and flaky answers: only the SDK's retry stands between us and
        // data loss.
        simulatorQuotas: { services: { apigateway: { rate: 10, burst: 5 } } },
        faults: [{ type: 'serverError', rate: 0.05, seed: 3 }],
        privateApi: { maxAttempts: 8, concurrency: { apisPerAccount: 16 } },
      });
      const { runner, simulator, store } = harness;
      const summary = await runner.run();
      expect(simulator.stats().totals.throttled).toBeGreaterThan(0);
      const lost = summary.scopes.filter(s => !s.ok || s.apiDetailErrors > 0);
      expect(lost).toEqual([]);
      expect(await inventoryApiKeys(store)).toEqual(estateApiKeys(simulator));
      expect(
        summary.scopes.reduce((n, s) => n + s.throttled, 0),
      ).toBeGreaterThan(0);
    });
  },
);
