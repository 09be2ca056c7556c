import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { applyStsEndpointOverride, AwsClientFactory } from '../aws/clients';
import { QuotaRegistry } from '../aws/quota';
import { PrivateApiConfig, readPrivateApiConfig } from '../config/config';
import { InventoryStore } from '../inventory/InventoryStore';
import { DiscoveryRunner } from './DiscoveryRunner';
import type { PolicyWork } from '../policyWork/PolicyWork';

/**
 * Discovery wired from app config: Backstage's AWS credentials, the endpoint overrides, the
 * quota buckets and the inventory. The plugin, the integration tests and the benchmark all
 * build it here.
 */
export function createDiscoveryRunner(options: {
  rootConfig: Config;
  store: InventoryStore;
  logger: LoggerService;
  config?: PrivateApiConfig;
  /** Where the crawl's policy analyses run; inline by default. */
  policyWork?: PolicyWork;
}): {
  runner: DiscoveryRunner;
  config: PrivateApiConfig;
  clients: AwsClientFactory;
} {
  const config = options.config ?? readPrivateApiConfig(options.rootConfig);
  const sts = applyStsEndpointOverride(config);
  if (sts) {
    options.logger.info(
      `AWS STS calls go to ${sts} (AWS_ENDPOINT_URL_STS, from privateApi.endpoints)`,
    );
  }
  const clients = new AwsClientFactory({
    credentialsManager: DefaultAwsCredentialsManager.fromConfig(
      options.rootConfig,
    ),
    config,
    quotas: config.quotas.enabled
      ? new QuotaRegistry(config.quotas)
      : undefined,
  });
  const runner = new DiscoveryRunner({
    config,
    rootConfig: options.rootConfig,
    clients,
    store: options.store,
    logger: options.logger,
    prices: config.prices,
    policyWork: options.policyWork,
  });
  return { runner, config, clients };
}
