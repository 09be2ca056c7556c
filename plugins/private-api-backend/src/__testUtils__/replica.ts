/*
 * One backend replica for the replicas integration test, run in its own process:
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs src/__testUtils__/replica.ts
 *
 * with REPLICA_NAME and REPLICA_CONFIG (the app-config as JSON) in the environment. It is the
 * private-api plugin with Backstage's real database and scheduler services (on the shared
 * PostgreSQL of the config), and it prints the plugin's log lines, prefixed with its name,
 * on stdout. It stops on SIGTERM.
 */
import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { privateApiPlugin } from '../plugin';

const name = process.env.REPLICA_NAME ?? 'replica';

function lineLogger(fields: Record<string, unknown> = {}): RootLoggerService {
  const write = (level: string) => (message: string, meta?: Error | object) => {
    process.stdout.write(
      `${JSON.stringify({
        replica: name,
        level,
        message,
        ...fields,
        ...(meta instanceof Error ? { error: String(meta) } : {}),
      })}\n`,
    );
  };
  const logger: LoggerService = {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: () => {},
    child: meta => lineLogger({ ...fields, ...meta }),
  };
  return logger;
}

async function main() {
  const backend = await startTestBackend({
    features: [
      privateApiPlugin,
      databaseServiceFactory,
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: JSON.parse(process.env.REPLICA_CONFIG ?? '{}'),
      }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => lineLogger(),
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        // Access requests ask the catalog for owners; discovery never does.
        factory: () =>
          ({
            getEntityByRef: async () => undefined,
          } as Partial<CatalogService> as CatalogService),
      }),
    ],
  });
  process.stdout.write(`${JSON.stringify({ replica: name, ready: true })}\n`);
  process.on('SIGTERM', () => {
    backend.stop().finally(() => process.exit(0));
  });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
