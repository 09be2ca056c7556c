/*
 * The embedded default's AWS: when `awsSimulator.enabled` is true (app-config.yaml), the
 * backend starts the AWS simulator with the demo estate on loopback, and discovery talks
 * to it with the real AWS SDK clients (privateApi.endpoints). Production configs leave it
 * off and point at real AWS.
 */
import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { start } from '@private-api-catalog/aws-simulator';

export default createBackendPlugin({
  pluginId: 'aws-simulator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const section = config.getOptionalConfig('awsSimulator');
        if (!section?.getOptionalBoolean('enabled')) return;
        const port = section.getOptionalNumber('port') ?? 4566;
        const estate = section.getOptionalString('estate');
        const simulator = await start({
          port,
          // Relative paths are relative to the repository root, like the rest of app-config.
          estateFile: estate
            ? resolvePackagePath('backend', '../..', estate)
            : undefined,
          quotas:
            section.getOptionalBoolean('quotas') === false ? false : undefined,
        });
        logger.info(
          `AWS simulator serving the ${estate ?? 'demo'} estate at ${
            simulator.url
          } (stats: ${simulator.url}/_simulator/stats)`,
        );
        lifecycle.addShutdownHook(() => simulator.stop());
      },
    });
  },
});
