import {
  APIGatewayClient,
  CreateDeploymentCommand,
  GetResourcesCommand,
  GetRestApisCommand,
} from '@aws-sdk/client-api-gateway';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Simulator } from './index';
import { QuotaEnforcer, resolveQuotas } from './quota';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  errorOf,
  startSimulator,
} from './__testUtils__';

describe('QuotaEnforcer', () => {
  it('lets a burst through, then refills at the rate', () => {
    let now = 0;
    const quotas = new QuotaEnforcer(resolveQuotas(), () => now);
    const results = Array.from({ length: 41 }, () =>
      quotas.acquire('a', 'apigateway', 'GetRestApis'),
    );
    expect(results.slice(0, 40).every(r => r === undefined)).toBe(true);
    expect(results[40]).toBe(1);
    now += 100; // 10 rps: one token back after 100 ms
    expect(quotas.acquire('a', 'apigateway', 'GetRestApis')).toBeUndefined();
    expect(quotas.acquire('a', 'apigateway', 'GetRestApis')).toBe(1);
  });

  it('limits GetResources to 5 per 2 s and CreateDeployment to 1 per 5 s, per account', () => {
    let now = 0;
    const quotas = new QuotaEnforcer(resolveQuotas(), () => now);
    for (let i = 0; i < 5; i++)
      expect(quotas.acquire('a', 'apigateway', 'GetResources')).toBeUndefined();
    expect(quotas.acquire('a', 'apigateway', 'GetResources')).toBe(1);
    // Another account has its own buckets; other operations still pass.
    expect(quotas.acquire('b', 'apigateway', 'GetResources')).toBeUndefined();
    expect(quotas.acquire('a', 'apigateway', 'GetStages')).toBeUndefined();
    now += 400;
    expect(quotas.acquire('a', 'apigateway', 'GetResources')).toBeUndefined();

    expect(
      quotas.acquire('a', 'apigateway', 'CreateDeployment'),
    ).toBeUndefined();
    expect(quotas.acquire('a', 'apigateway', 'CreateDeployment')).toBe(5);
    now += 5000;
    expect(
      quotas.acquire('a', 'apigateway', 'CreateDeployment'),
    ).toBeUndefined();
  });

  it('starts a burst-1 bucket full although the clock moves on at every read', () => {
    let now = 0;
    const quotas = new QuotaEnforcer(resolveQuotas(), () => (now += 0.001));
    expect(
      quotas.acquire('a', 'apigateway', 'CreateDeployment'),
    ).toBeUndefined();
  });

  it('does not spend the service token when the operation bucket refuses', () => {
    const quotas = new QuotaEnforcer(
      resolveQuotas({ services: { apigateway: { rate: 1, burst: 6 } } }),
      () => 0,
    );
    for (let i = 0; i < 10; i++)
      quotas.acquire('a', 'apigateway', 'GetResources');
    // 5 GetResources took 5 of 6 service tokens; the refused ones took none.
    expect(quotas.acquire('a', 'apigateway', 'GetStages')).toBeUndefined();
    expect(quotas.acquire('a', 'apigateway', 'GetStages')).toBe(1);
  });

  it('is overridable per bucket and off with false', () => {
    const config = resolveQuotas(
      { operations: { 'apigateway:GetResources': false } },
      { services: { ec2: { rate: 1, burst: 1 } } },
    );
    expect(config && config.operations['apigateway:GetResources']).toBe(false);
    expect(config && config.services.ec2).toEqual({ rate: 1, burst: 1 });
    expect(config && config.services.apigateway).toEqual({
      rate: 10,
      burst: 40,
    });
    expect(resolveQuotas({ services: {} }, false)).toBe(false);
    expect(
      new QuotaEnforcer(false).acquire('a', 'apigateway', 'GetResources'),
    ).toBeUndefined();
  });
});

describe('quotas over HTTP', () => {
  let simulator: Simulator;

  beforeEach(async () => {
    simulator = await startSimulator({ quotas: {} });
  });
  afterEach(() => simulator.stop());

  it('answers a burst of GetResources with 429 TooManyRequestsException and Retry-After', async () => {
    const payments = new APIGatewayClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        payments
          .send(new GetResourcesCommand({ restApiId: DEMO.paymentsApi }))
          .then(
            () => 'ok',
            error => error,
          ),
      ),
    );
    const throttled = outcomes.filter(o => o !== 'ok');
    expect(outcomes.filter(o => o === 'ok').length).toBeGreaterThanOrEqual(5);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    for (const error of throttled) {
      expect(error.name).toBe('TooManyRequestsException');
      expect(error.$metadata.httpStatusCode).toBe(429);
      expect(error.retryAfterSeconds).toBe('1');
      expect(error.$response.headers['retry-after']).toBe('1');
    }
    // Other operations of the same account still pass (their bucket is not empty).
    await expect(
      payments.send(new GetRestApisCommand({})),
    ).resolves.toBeDefined();
    const stats = simulator.stats();
    expect(stats.throttled['apigateway:GetResources'][DEMO.payments]).toBe(
      throttled.length,
    );
  });

  it('allows one CreateDeployment per 5 seconds', async () => {
    const payments = new APIGatewayClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
    await payments.send(
      new CreateDeploymentCommand({
        restApiId: DEMO.paymentsApi,
        stageName: 'prod',
      }),
    );
    const error = await errorOf(
      payments.send(
        new CreateDeploymentCommand({
          restApiId: DEMO.paymentsApi,
          stageName: 'staging',
        }),
      ),
    );
    expect(error.name).toBe('TooManyRequestsException');
    expect(Number(error.retryAfterSeconds)).toBeGreaterThanOrEqual(4);
  });

  it('throttles other services with their own error codes', async () => {
    await simulator.stop();
    simulator = await startSimulator({
      quotas: {
        services: {
          ec2: { rate: 0.1, burst: 1 },
          sts: { rate: 0.1, burst: 1 },
        },
      },
    });
    const ec2 = new EC2Client(clientConfig(simulator));
    await ec2.send(new DescribeVpcsCommand({}));
    const ec2Error = await errorOf(ec2.send(new DescribeVpcsCommand({})));
    expect(ec2Error.name).toBe('RequestLimitExceeded');
    expect(ec2Error.$metadata.httpStatusCode).toBe(503);
    const sts = new STSClient(clientConfig(simulator));
    await sts.send(new GetCallerIdentityCommand({}));
    expect(
      (await errorOf(sts.send(new GetCallerIdentityCommand({})))).name,
    ).toBe('Throttling');
  });

  it('is retried by the SDK as throttling', async () => {
    await simulator.stop();
    // One call per 50 ms: the SDK's jittered retries soon find a token.
    simulator = await startSimulator({
      quotas: {
        operations: { 'apigateway:GetRestApis': { rate: 20, burst: 1 } },
      },
    });
    const client = new APIGatewayClient({
      ...clientConfig(simulator),
      maxAttempts: 5,
    });
    await client.send(new GetRestApisCommand({}));
    await expect(
      client.send(new GetRestApisCommand({})),
    ).resolves.toBeDefined();
    expect(simulator.stats().totals.throttled).toBeGreaterThanOrEqual(1);
  });
});
