import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { start, Simulator, StartOptions } from '../index';

/** Shared by the test suites: a simulator on a free port, quotas off unless asked for. */
export function startSimulator(options: StartOptions = {}): Promise<Simulator> {
  return start({ quotas: false, ...options });
}

export interface ClientOptions {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/** What every SDK client gets: the endpoint override, static credentials, no retries. */
export function clientConfig(
  simulator: Simulator,
  options: ClientOptions = {},
) {
  return {
    endpoint: simulator.url,
    region: options.region ?? 'us-east-1',
    credentials: {
      accessKeyId: options.accessKeyId ?? 'test',
      secretAccessKey: options.secretAccessKey ?? 'test',
      sessionToken: options.sessionToken,
    },
    maxAttempts: 1,
  };
}

/** The error a rejected promise carries, for assertions on name, status and headers. */
export async function errorOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The demo estate's accounts and ids that tests refer to. */
export const DEMO = {
  platform: '111111111111',
  payments: '222222222222',
  identity: '333333333333',
  commerce: '444444444444',
  analytics: '555555555555',
  paymentsApi: '4qzwubhjbs',
  refundsApi: '4hz0tjbczp',
  ledgerApi: 'q3bs8n405e',
  cardTokenizationApi: 'eg7u75ar5q',
  fraudScoringApi: 'leistkypct',
  payoutsApi: '72v9kwgp8o',
  paymentsEventsHttp: 'ss7tlfdy38',
  paymentMethodsHttp: 'i8zg02jmqw',
  identityApi: '0fd7wk91sz',
  identityTokensHttp: '3vd8rchlv1',
  identityNotificationsWs: 'p0aw2qo4gc',
  ordersInternal: 'lq0j59ibrf',
  catalogApi: 'nuuw2qz4wq',
  shippingQuotesHttp: 'al9a9m47nt',
  reportsExportApi: 'lzj7zqzjyy',
  platformSharedVpce: 'vpce-32024f650157d106c',
  platformOnPremVpce: 'vpce-7f1e4286439ccf7e5',
  paymentsVpce: 'vpce-33e2315ca97db1aff',
  paymentsVpc: 'vpc-f78fb60a435c0369c',
  identityVpce: 'vpce-25b9b6786ae073c4b',
  commerceVpce: 'vpce-9c8c1280311ae9ffb',
  commerceS3Vpce: 'vpce-5eb1949f333882b37',
};

/** Client options acting in `accountId` through STS AssumeRole of the demo's discovery role. */
export async function assumeDemoRole(
  simulator: Simulator,
  accountId: string,
  region = 'us-east-1',
): Promise<ClientOptions> {
  const externalIds: Record<string, string> = {
    [DEMO.payments]: 'backstage-payments-7d1f',
    [DEMO.analytics]: 'backstage-data-91c3',
  };
  const sts = new STSClient(clientConfig(simulator));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/BackstageDiscovery`,
      RoleSessionName: 'tests',
      ExternalId: externalIds[accountId],
    }),
  );
  return {
    region,
    accessKeyId: Credentials!.AccessKeyId,
    secretAccessKey: Credentials!.SecretAccessKey,
    sessionToken: Credentials!.SessionToken,
  };
}
