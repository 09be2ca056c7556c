import {
  APIGatewayClient,
  GetModelsCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CloudWatchClient,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeInstancesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { Simulator, SimulatorStats } from './index';
import { clientConfig, DEMO, errorOf, startSimulator } from './__testUtils__';

/** Routing, errors no service claims, and the /_simulator control API. */
describe('simulator server', () => {
  let simulator: Simulator;

  beforeAll(async () => {
    simulator = await startSimulator();
  });
  afterAll(() => simulator.stop());

  it('listens on loopback on the port it was given (0: a free one)', () => {
    expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}`);
    expect(simulator.port).toBeGreaterThan(0);
  });

  it('names the unimplemented operation in every protocol, with a 501 the SDK does not retry', async () => {
    const config = clientConfig(simulator);
    const cases: Array<[() => Promise<unknown>, string]> = [
      [
        () =>
          new APIGatewayClient(config).send(
            new GetModelsCommand({ restApiId: DEMO.paymentsApi }),
          ),
        `GET /restapis/${DEMO.paymentsApi}/models`,
      ],
      [
        () => new EC2Client(config).send(new DescribeInstancesCommand({})),
        'DescribeInstances',
      ],
      [
        () =>
          new ElasticLoadBalancingV2Client(config).send(
            new DescribeTargetGroupsCommand({}),
          ),
        'DescribeTargetGroups',
      ],
      [
        () => new STSClient(config).send(new GetSessionTokenCommand({})),
        'GetSessionToken',
      ],
      [
        () => new CloudWatchClient(config).send(new ListMetricsCommand({})),
        'ListMetrics',
      ],
      [
        () =>
          new OrganizationsClient(config).send(
            new DescribeOrganizationCommand({}),
          ),
        'DescribeOrganization',
      ],
    ];
    for (const [call, operation] of cases) {
      const error = await errorOf(call());
      expect(error.name).toBe('UnknownOperationException');
      expect(error.$metadata.httpStatusCode).toBe(501);
      expect(error.message).toContain(operation);
      expect(error.message).toContain('Implemented:');
    }
  });

  it('rejects unsigned requests and unknown services with AWS-shaped JSON errors', async () => {
    const unsigned = await fetch(`${simulator.url}/restapis`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe(
      'MissingAuthenticationTokenException',
    );

    const s3 = await fetch(`${simulator.url}/bucket`, {
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
      },
    });
    expect(s3.status).toBe(501);
    expect((await s3.json()).message).toContain("service 's3'");
  });

  it('counts calls per operation and account, logs them, and resets', async () => {
    simulator.resetStats();
    const ec2 = new EC2Client(clientConfig(simulator));
    await ec2.send(new DescribeVpcsCommand({}));
    await ec2.send(new DescribeVpcsCommand({}));
    await errorOf(
      ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0000000000000000a'] })),
    );

    const stats = (await (
      await fetch(`${simulator.url}/_simulator/stats`)
    ).json()) as SimulatorStats;
    expect(stats.calls['ec2:DescribeVpcs']).toEqual({ [DEMO.platform]: 3 });
    expect(stats.totals).toEqual({ calls: 3, throttled: 0, errors: 1 });
    expect(stats.errors).toEqual({ 'InvalidVpcID.NotFound': 1 });
    expect(
      stats.log.map(entry => [entry.operation, entry.status, entry.region]),
    ).toEqual([
      ['DescribeVpcs', 200, 'us-east-1'],
      ['DescribeVpcs', 200, 'us-east-1'],
      ['DescribeVpcs', 400, 'us-east-1'],
    ]);
    expect(simulator.stats()).toEqual(stats);

    const reset = await fetch(`${simulator.url}/_simulator/reset`, {
      method: 'POST',
    });
    expect(reset.status).toBe(200);
    expect(simulator.stats().totals.calls).toBe(0);
  });

  it('keeps the request log bounded', async () => {
    const small = await startSimulator({ logLimit: 2 });
    try {
      const ec2 = new EC2Client(clientConfig(small));
      for (let i = 0; i < 4; i++) await ec2.send(new DescribeVpcsCommand({}));
      expect(small.stats().log).toHaveLength(2);
      expect(small.stats().totals.calls).toBe(4);
    } finally {
      await small.stop();
    }
  });

  it('answers health and names the control routes on a wrong one', async () => {
    expect(
      await (await fetch(`${simulator.url}/_simulator/health`)).json(),
    ).toEqual({ status: 'ok', accounts: 5 });
    const wrong = await fetch(`${simulator.url}/_simulator/nope`);
    expect(wrong.status).toBe(404);
    expect((await wrong.json()).message).toContain('/_simulator/stats');
  });

  it('adds the configured latency to every answer', async () => {
    const slow = await startSimulator({ latencyMs: 120 });
    try {
      const started = Date.now();
      await new EC2Client(clientConfig(slow)).send(new DescribeVpcsCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.stop();
    }
  });
});
