import type {
  ApiRecord,
  IntegrationRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { startDiscoveryHarness } from '../__testUtils__/harness';
import { partitionOf } from './normalize';
import { crawlRestApi, listRestApis } from './restApis';
import { crawlV2Api, listV2Apis } from './v2Apis';
import { AwsClientFactory } from '../aws/clients';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(120_000);

const databases = createTestDatabases();

/**
 * What the API pages show of an API's routes, integrations and authorizers, without the
 * ids that only the call-by-call reading has (resource ids, authorizer ids): each route with
 * its authorizer's name and its integration resolved.
 */
function shown(
  api: Pick<ApiRecord, 'routes' | 'integrations' | 'authorizers'>,
) {
  const integration = (id?: string) => {
    const found = api.integrations.find(i => i.id === id);
    if (!found) return undefined;
    const { id: _id, ...rest } = found as IntegrationRecord;
    return rest;
  };
  return {
    routes: api.routes
      .map(r => ({
        routeKey: r.routeKey,
        method: r.method,
        path: r.path,
        authorizationType: r.authorizationType,
        authorizer: api.authorizers.find(a => a.id === r.authorizerId)?.name,
        apiKeyRequired: r.apiKeyRequired,
        authorizationScopes: r.authorizationScopes?.length
          ? r.authorizationScopes
          : undefined,
        integration: integration(r.integrationId),
      }))
      .sort((a, b) => a.routeKey.localeCompare(b.routeKey)),
    // An authorizer no route uses is not what any caller meets; exports leave it out.
    authorizers: api.authorizers
      .filter(a => api.routes.some(r => r.authorizerId === a.id))
      .map(({ id: _id, ...rest }) => rest)
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

describe.each(databases.eachSupportedId())(
  'the inventory read from exports and call by call on %p',
  databaseId => {
    it('shows the same routes, integrations and authorizers for every API of the demo estate', async () => {
      const harness = await startDiscoveryHarness({
        knex: await databases.init(databaseId),
      });
      try {
        const { simulator, store, runner, config } = harness;
        const summary = await runner.run();
        expect(summary.scopes.filter(s => !s.ok)).toEqual([]);

        const clients = new AwsClientFactory({
          credentialsManager: DefaultAwsCredentialsManager.fromConfig(
            new ConfigReader({
              aws: {
                mainAccount: { accessKeyId: 'test', secretAccessKey: 'test' },
                accountDefaults: { roleName: 'BackstageDiscovery' },
                accounts: simulator.estate.accounts
                  .flatMap(a => (a.roles ?? []).map(r => ({ a, r })))
                  .filter(({ r }) => r.externalId)
                  .map(({ a, r }) => ({
                    accountId: a.id,
                    roleName: r.name,
                    externalId: r.externalId,
                  })),
              },
            }),
          ),
          config,
        });
        let compared = 0;
        for (const account of simulator.estate.accounts) {
          for (const region of account.regions.keys()) {
            const c = await clients.forScope(account.id, region);
            const scope = {
              accountId: account.id,
              region,
              partition: partitionOf(region),
            };
            const byCalls: Array<Awaited<ReturnType<typeof crawlRestApi>>> = [];
            for await (const page of listRestApis(c)) {
              for (const api of page) {
                byCalls.push(
                  await crawlRestApi({
                    clients: c,
                    api,
                    scope,
                    exportDefinitions: true,
                    mode: 'calls',
                  }),
                );
              }
            }
            for await (const page of listV2Apis(c)) {
              for (const api of page) {
                byCalls.push(
                  await crawlV2Api({
                    clients: c,
                    api,
                    scope,
                    exportDefinitions: true,
                    mode: 'calls',
                  }),
                );
              }
            }
            for (const expected of byCalls) {
              const { record } = expected;
              const stored = await store.getApi(
                account.id,
                region,
                record.apiId,
              );
              expect({ apiId: record.apiId, ...shown(stored!) }).toEqual({
                apiId: record.apiId,
                ...shown(record),
              });
              const byName = (stages: ApiRecord['stages']) =>
                JSON.parse(
                  JSON.stringify(
                    [...stages].sort((a, b) =>
                      a.stageName.localeCompare(b.stageName),
                    ),
                  ),
                );
              expect(byName(stored!.stages)).toEqual(byName(record.stages));
              if (record.apiType !== 'WEBSOCKET') {
                expect(stored!.detailsSource?.kind).toBe(
                  record.stages.length ? 'deployment' : 'working-copy',
                );
              }
              compared += 1;
            }
          }
        }
        expect(compared).toBe(
          simulator.estate.accounts
            .flatMap(a => [...a.regions.values()])
            .reduce((n, r) => n + r.restApis.length + r.v2Apis.length, 0),
        );
      } finally {
        await harness.stop();
      }
    });
  },
);
