import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Knex } from 'knex';
import {
  ChangeFeedOptions,
  EstateInput,
  FaultInput,
  QuotasInput,
  Simulator,
  start,
} from '@private-api-catalog/aws-simulator';
import { createDiscoveryRunner } from '../discovery/createDiscoveryRunner';
import { InventoryStore } from '../inventory/InventoryStore';
import { databaseServiceFor } from './databases';

/** Every API of the simulator's estate, keyed like the inventory. */
export function estateApiKeys(simulator: Simulator): string[] {
  const keys: string[] = [];
  for (const account of simulator.estate.accounts) {
    for (const [region, state] of account.regions) {
      for (const api of state.restApis)
        keys.push(`${account.id}:${region}:${api.id}`);
      for (const api of state.v2Apis)
        keys.push(`${account.id}:${region}:${api.apiId}`);
    }
  }
  return keys.sort();
}

/** The inventory's APIs, keyed like `estateApiKeys`. */
export async function inventoryApiKeys(
  store: InventoryStore,
): Promise<string[]> {
  const { items } = await store.listApis({ limit: 100_000 });
  return items.map(a => `${a.accountId}:${a.region}:${a.apiId}`).sort();
}

/**
 * The real discovery stack (SDK clients, Backstage's AWS credentials, the inventory on a
 * real database) against a simulator started on a free loopback port.
 */
export async function startDiscoveryHarness(options: {
  knex: Knex;
  estate?: EstateInput;
  simulatorQuotas?: QuotasInput;
  faults?: FaultInput[];
  privateApi?: Record<string, unknown>;
  /** Our client-side quotas; off by default so tests run fast. */
  clientQuotas?: boolean;
  /** CloudTrail delays, dropped events and SQS queues of the simulator. */
  changeFeed?: ChangeFeedOptions;
}) {
  const simulator = await start({
    changeFeed: options.changeFeed,
    estate: options.estate,
    quotas: options.simulatorQuotas ?? false,
    faults: options.faults,
  });
  // @backstage/integration-aws-node's STS client only takes its endpoint from here.
  process.env.AWS_ENDPOINT_URL_STS = simulator.url;

  const accounts = simulator.estate.accounts.map(a => ({
    accountId: a.id,
    name: a.name,
  }));
  const regions = [
    ...new Set(simulator.estate.accounts.flatMap(a => [...a.regions.keys()])),
  ];
  const rootConfig = new ConfigReader({
    aws: {
      mainAccount: { accessKeyId: 'test-key', secretAccessKey: 'test-secret' },
      accountDefaults: { roleName: 'BackstageDiscovery' },
      accounts: simulator.estate.accounts
        .flatMap(a => (a.roles ?? []).map(r => ({ account: a.id, role: r })))
        .filter(({ role }) => role.externalId)
        .map(({ account, role }) => ({
          accountId: account,
          roleName: role.name,
          externalId: role.externalId,
        })),
    },
    privateApi: {
      accounts,
      regions,
      endpoints: { default: simulator.url },
      quotas: { enabled: options.clientQuotas ?? false },
      maxAttempts: 3,
      // Generous: the simulator shares the test's process with the crawl's indexing, and
      // with 2 s a loaded machine timed calls out (a test then counted 42 exports of 47).
      requestTimeoutMs: 10_000,
      ...options.privateApi,
    },
  });
  const store = await InventoryStore.create({
    database: databaseServiceFor(options.knex),
  });
  const { runner, config, clients } = createDiscoveryRunner({
    rootConfig,
    store,
    logger: mockServices.logger.mock(),
  });
  return {
    simulator,
    store,
    runner,
    config,
    clients,
    async stop() {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await simulator.stop();
    },
  };
}
