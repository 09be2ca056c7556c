import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  doesIdentityRequireRefresh,
  isIdentityExpired,
  memoizeIdentityProvider,
} from '@smithy/core';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { Pluggable } from '@smithy/types';
import type { AwsServiceName, PrivateApiConfig } from '../config/config';
import { describeAwsError } from './errors';
import { AccountQuota, QuotaRegistry } from './quota';
import { partitionOf } from '../discovery/normalize';

/** Calls made and throttling answers received, for one scope of one run. */
export class CallCounter {
  calls = 0;
  throttled = 0;
  readonly byOperation: Record<string, number> = {};

  record(operation: string) {
    this.calls += 1;
    this.byOperation[operation] = (this.byOperation[operation] ?? 0) + 1;
  }
}

/** The clients discovery uses in one account and Region. */
export interface ScopeClients {
  partition: string;
  apigateway: APIGatewayClient;
  apigatewayv2: ApiGatewayV2Client;
  ec2: EC2Client;
  elbv2: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
  cloudtrail: CloudTrailClient;
  counter: CallCounter;
  /**
   * Closes the clients' kept-alive connections. Each scope's work makes its own clients
   * (its own credentials and quota), so without it every crawl of every account and
   * Region would leave six connection pools behind until the sockets time out.
   */
  destroy(): void;
}

export const USER_AGENT = 'backstage-private-api-catalog';

/**
 * Counts every attempt (retries included) and, for API Gateway, waits for the account's
 * quota first. It sits in the finalizeRequest step below the SDK's retry middleware so that
 * each retry attempt also waits its turn.
 */
function meteringMiddleware(
  counter: CallCounter,
  quota: AccountQuota | undefined,
): Pluggable<any, any> {
  return {
    applyToStack: stack => {
      stack.add(
        (next, context) => async args => {
          const operation = String(context.commandName ?? 'Unknown').replace(
            /Command$/,
            '',
          );
          await quota?.acquire(operation);
          counter.record(operation);
          try {
            return await next(args);
          } catch (error) {
            if (describeAwsError(error).throttling) {
              counter.throttled += 1;
              quota?.throttled(operation);
            }
            throw error;
          }
        },
        {
          step: 'finalizeRequest',
          priority: 'low',
          name: 'privateApiMeteringMiddleware',
        },
      );
    },
  };
}

/** Builds SDK clients with credentials from Backstage's AWS integration config. */
export class AwsClientFactory {
  constructor(
    private readonly options: {
      credentialsManager: AwsCredentialsManager;
      config: PrivateApiConfig;
      quotas?: QuotaRegistry;
    },
  ) {}

  /**
   * One credential provider per account, memoized until shortly before the credentials
   * expire: every client of every Region of the account shares one AssumeRole.
   */
  private readonly accountCredentials = new Map<
    string,
    Promise<AwsCredentialIdentityProvider>
  >();

  private credentialsFor(accountId: string) {
    let provider = this.accountCredentials.get(accountId);
    if (!provider) {
      provider = this.options.credentialsManager
        .getCredentialProvider({ accountId })
        .then(
          ({ sdkCredentialProvider }) =>
            memoizeIdentityProvider(
              sdkCredentialProvider,
              isIdentityExpired,
              doesIdentityRequireRefresh,
            ) as AwsCredentialIdentityProvider,
        );
      // A failure (an unknown account) is not cached: the next run asks again.
      provider.catch(() => this.accountCredentials.delete(accountId));
      this.accountCredentials.set(accountId, provider);
    }
    return provider!;
  }

  private endpoint(service: AwsServiceName): string | undefined {
    const { endpoints } = this.options.config;
    return endpoints[service] ?? endpoints.default;
  }

  private async baseConfig(
    accountId: string,
    region: string,
    assumeRoleName?: string,
  ) {
    const sdkCredentialProvider = await this.credentialsFor(accountId);
    // The apply role, when configured, is assumed from the account's own credentials.
    const credentials = assumeRoleName
      ? fromTemporaryCredentials({
          masterCredentials: sdkCredentialProvider,
          params: {
            RoleArn: `arn:${partitionOf(
              region,
            )}:iam::${accountId}:role/${assumeRoleName}`,
            RoleSessionName: 'backstage-private-api-apply',
          },
          clientConfig: { region },
        })
      : sdkCredentialProvider;
    return {
      region,
      credentials,
      customUserAgent: USER_AGENT,
      maxAttempts: this.options.config.maxAttempts,
      retryMode: 'standard',
      requestHandler: {
        requestTimeout: this.options.config.requestTimeoutMs,
        connectionTimeout: this.options.config.requestTimeoutMs,
        // Without it the SDK only logs a warning and waits on: a request whose answer never
        // comes (a connection the server dropped) held a scope's crawl forever.
        throwOnRequestTimeout: true,
      },
    };
  }

  /** Clients acting in one account and Region; `assumeRoleName` for the apply role. */
  async forScope(
    accountId: string,
    region: string,
    options: { assumeRoleName?: string } = {},
  ): Promise<ScopeClients> {
    const base = await this.baseConfig(
      accountId,
      region,
      options.assumeRoleName,
    );
    const counter = new CallCounter();
    const quota = this.options.quotas?.forAccount(accountId);
    const apiGatewayMetering = meteringMiddleware(counter, quota);
    const otherMetering = meteringMiddleware(counter, undefined);

    const apigateway = new APIGatewayClient({
      ...base,
      endpoint: this.endpoint('apigateway'),
    });
    apigateway.middlewareStack.use(apiGatewayMetering);
    const apigatewayv2 = new ApiGatewayV2Client({
      ...base,
      endpoint: this.endpoint('apigateway'),
    });
    apigatewayv2.middlewareStack.use(apiGatewayMetering);
    const ec2 = new EC2Client({ ...base, endpoint: this.endpoint('ec2') });
    ec2.middlewareStack.use(otherMetering);
    const elbv2 = new ElasticLoadBalancingV2Client({
      ...base,
      endpoint: this.endpoint('elasticloadbalancing'),
    });
    elbv2.middlewareStack.use(otherMetering);
    const cloudwatch = new CloudWatchClient({
      ...base,
      endpoint: this.endpoint('monitoring'),
    });
    cloudwatch.middlewareStack.use(otherMetering);
    const cloudtrail = new CloudTrailClient({
      ...base,
      endpoint: this.endpoint('cloudtrail'),
    });
    cloudtrail.middlewareStack.use(otherMetering);

    const sdkClients = {
      apigateway,
      apigatewayv2,
      ec2,
      elbv2,
      cloudwatch,
      cloudtrail,
    };
    return {
      partition: partitionOf(region),
      ...sdkClients,
      counter,
      destroy() {
        for (const client of Object.values(sdkClients)) client.destroy();
      },
    };
  }

  /** Runs `use` with the clients of one scope, and closes their connections after. */
  async withScope<T>(
    accountId: string,
    region: string,
    options: { assumeRoleName?: string },
    use: (clients: ScopeClients) => Promise<T>,
  ): Promise<T> {
    const clients = await this.forScope(accountId, region, options);
    try {
      return await use(clients);
    } finally {
      clients.destroy();
    }
  }

  /** An SQS client in the account and Region of a change-feed queue. */
  async sqs(accountId: string, region: string): Promise<SQSClient> {
    const base = await this.baseConfig(accountId, region);
    // A long poll holds the request up to 20 s: the timeout must outlast it.
    const timeout = Math.max(this.options.config.requestTimeoutMs, 30_000);
    return new SQSClient({
      ...base,
      endpoint: this.endpoint('sqs'),
      requestHandler: {
        requestTimeout: timeout,
        connectionTimeout: timeout,
        throwOnRequestTimeout: true,
      },
    });
  }

  /** Organizations is a global service served from us-east-1. */
  async organizations(accountId: string): Promise<OrganizationsClient> {
    const base = await this.baseConfig(accountId, 'us-east-1');
    return new OrganizationsClient({
      ...base,
      endpoint: this.endpoint('organizations'),
    });
  }
}

/**
 * Credentials come from @backstage/integration-aws-node, whose STS client takes no endpoint
 * option; the AWS SDK's standard `AWS_ENDPOINT_URL_STS` variable is the one way to point it
 * at a simulator or LocalStack. Set it from config unless the environment already does.
 */
export function applyStsEndpointOverride(
  config: PrivateApiConfig,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const sts = config.endpoints.sts ?? config.endpoints.default;
  if (sts && !env.AWS_ENDPOINT_URL_STS) {
    env.AWS_ENDPOINT_URL_STS = sts;
    return sts;
  }
  return undefined;
}
