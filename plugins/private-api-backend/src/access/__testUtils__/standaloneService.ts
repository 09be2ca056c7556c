import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { Knex } from 'knex';
import { createDiscoveryRunner } from '../../discovery/createDiscoveryRunner';
import { databaseServiceFor } from '../../__testUtils__/databases';
import { InventoryStore } from '../../inventory/InventoryStore';
import { AccessRequestService } from '../AccessRequestService';
import { AccessRequestStore } from '../AccessRequestStore';
import { AccessRequestNotifier } from '../notifier';

export const silentLogger: LoggerService = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silentLogger,
};

/**
 * The access workflow without the HTTP layer, on a database and a simulator: what a backend
 * replica runs. The recovery test runs one in a child process (and kills it mid-apply) and
 * one in the test; the benchmark uses the store.
 */
export async function standaloneAccessService(options: {
  knex: Knex;
  simulatorUrl: string;
  accounts: Array<{ accountId: string; name?: string }>;
  regions: string[];
  leaseSeconds: number;
  owners: string[];
}) {
  process.env.AWS_ENDPOINT_URL_STS = options.simulatorUrl;
  const rootConfig = new ConfigReader({
    aws: {
      mainAccount: { accessKeyId: 'test-key', secretAccessKey: 'test-secret' },
      accountDefaults: { roleName: 'BackstageDiscovery' },
    },
    privateApi: {
      accounts: options.accounts,
      regions: options.regions,
      endpoints: { default: options.simulatorUrl },
      quotas: { enabled: false },
      maxAttempts: 1,
      requestTimeoutMs: 120_000,
      accessRequests: { mode: 'direct', leaseSeconds: options.leaseSeconds },
    },
  });
  const database = databaseServiceFor(options.knex);
  const inventory = await InventoryStore.create({ database });
  const requests = await AccessRequestStore.create({ database });
  const { runner, clients, config } = createDiscoveryRunner({
    rootConfig,
    store: inventory,
    logger: silentLogger,
  });
  const service = new AccessRequestService({
    requests,
    inventory,
    config,
    clients,
    locks: requests.createLocks({
      ttlMs: options.leaseSeconds * 1000,
      waitMs: options.leaseSeconds * 2000,
    }),
    notifier: new AccessRequestNotifier({ logger: silentLogger }),
    logger: silentLogger,
    resolveOwners: async () => options.owners,
    crawlApi: (a, r, i) => runner.crawlApi(a, r, i),
  });
  return { service, requests, inventory, runner };
}
