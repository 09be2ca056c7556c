import {
  APIGatewayClient,
  GetRestApisCommand,
} from '@aws-sdk/client-api-gateway';
import { DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { FaultInjector } from './faults';
import type { Simulator } from './index';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  errorOf,
  startSimulator,
} from './__testUtils__';

describe('FaultInjector', () => {
  const call = {
    account: '111111111111',
    service: 'apigateway',
    operation: 'GetRestApis',
  };

  it('fails the same share of calls the same way for the same seed', () => {
    const draw = () => {
      const faults = new FaultInjector();
      faults.set([{ type: 'serverError', rate: 0.3, seed: 42 }]);
      return Array.from(
        { length: 200 },
        () => faults.decide(call).serverError ?? 0,
      );
    };
    const first = draw();
    expect(draw()).toEqual(first);
    const failures = first.filter(status => status === 503).length;
    expect(failures).toBeGreaterThan(40);
    expect(failures).toBeLessThan(80);
  });

  it('matches faults by account, service and operation', () => {
    const faults = new FaultInjector();
    faults.set([
      { type: 'accessDenied', account: '222222222222' },
      { type: 'slow', delayMs: 50, service: 'ec2' },
      { type: 'slow', delayMs: 25, operation: 'GetRestApis' },
    ]);
    expect(faults.decide(call)).toEqual({
      timeout: false,
      accessDenied: false,
      delayMs: 25,
    });
    expect(
      faults.decide({ ...call, account: '222222222222' }).accessDenied,
    ).toBe(true);
    expect(
      faults.decide({ ...call, service: 'ec2', operation: 'DescribeVpcs' })
        .delayMs,
    ).toBe(50);
  });

  it('rejects malformed faults', () => {
    const faults = new FaultInjector();
    expect(() =>
      faults.set([{ type: 'serverError', rate: 2 } as never]),
    ).toThrow(/rate/);
    expect(() => faults.set([{ type: 'timeout' } as never])).toThrow(/account/);
    expect(() =>
      faults.set([
        { type: 'slow', delayMs: 5 },
        { type: 'serverError' } as never,
      ]),
    ).toThrow(/"path": \[\s*1,\s*"rate"/);
  });
});

describe('faults over HTTP', () => {
  let simulator: Simulator;

  beforeEach(async () => {
    simulator = await startSimulator();
  });
  afterEach(() => simulator.stop());

  it('denies every call acting in an account, including assuming a role in it', async () => {
    const payments = new APIGatewayClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
    simulator.setFaults([{ type: 'accessDenied', account: DEMO.payments }]);

    const apigateway = await errorOf(payments.send(new GetRestApisCommand({})));
    expect(apigateway.name).toBe('AccessDeniedException');
    expect(apigateway.$metadata.httpStatusCode).toBe(403);

    const sts = new STSClient(clientConfig(simulator));
    const assume = await errorOf(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${DEMO.payments}:role/BackstageDiscovery`,
          RoleSessionName: 'x1',
          ExternalId: 'backstage-payments-7d1f',
        }),
      ),
    );
    expect(assume.name).toBe('AccessDenied');

    // Other accounts are unaffected.
    await expect(
      new APIGatewayClient(clientConfig(simulator)).send(
        new GetRestApisCommand({}),
      ),
    ).resolves.toBeDefined();
    const ec2 = new EC2Client(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.identity)),
    );
    await expect(
      ec2.send(new DescribeVpcEndpointsCommand({})),
    ).resolves.toBeDefined();
  });

  it('answers a seeded share of calls with 5xx', async () => {
    simulator.setFaults([
      {
        type: 'serverError',
        rate: 0.5,
        seed: 7,
        status: 500,
        service: 'apigateway',
      },
    ]);
    const client = new APIGatewayClient(clientConfig(simulator));
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(
        await client.send(new GetRestApisCommand({})).then(
          () => 'ok',
          error => `${error.name}:${error.$metadata.httpStatusCode}`,
        ),
      );
    }
    expect(new Set(outcomes)).toEqual(new Set(['ok', 'InternalFailure:500']));

    // The same seed and call order give the same outcomes.
    simulator.setFaults([
      {
        type: 'serverError',
        rate: 0.5,
        seed: 7,
        status: 500,
        service: 'apigateway',
      },
    ]);
    const again: string[] = [];
    for (let i = 0; i < 20; i++) {
      again.push(
        await client.send(new GetRestApisCommand({})).then(
          () => 'ok',
          error => `${error.name}:${error.$metadata.httpStatusCode}`,
        ),
      );
    }
    expect(again).toEqual(outcomes);
  });

  it('answers 503 ServiceUnavailableException by default', async () => {
    simulator.setFaults([{ type: 'serverError', rate: 1 }]);
    const error = await errorOf(
      new APIGatewayClient(clientConfig(simulator)).send(
        new GetRestApisCommand({}),
      ),
    );
    expect(error.name).toBe('ServiceUnavailableException');
    expect(error.$metadata.httpStatusCode).toBe(503);
  });

  it('slows answers down', async () => {
    simulator.setFaults([{ type: 'slow', delayMs: 150, service: 'ec2' }]);
    const ec2 = new EC2Client(clientConfig(simulator));
    const started = Date.now();
    await ec2.send(new DescribeVpcEndpointsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('never answers an account that times out, until the client gives up', async () => {
    simulator.setFaults([{ type: 'timeout', account: DEMO.platform }]);
    const client = new APIGatewayClient({
      ...clientConfig(simulator),
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    const error = await errorOf(client.send(new GetRestApisCommand({})));
    expect(error.name).toBe('TimeoutError');
    expect(simulator.stats().log.at(-1)).toMatchObject({
      cause: 'timeout',
      account: DEMO.platform,
      operation: 'GetRestApis',
    });
  });

  it('takes faults from the estate and from POST /_simulator/faults', async () => {
    await simulator.stop();
    simulator = await startSimulator({
      estate: {
        accounts: [{ id: '111122223333', name: 'main' }],
        faults: [
          { type: 'accessDenied', account: '111122223333', service: 'ec2' },
        ],
      },
    });
    const ec2 = new EC2Client(clientConfig(simulator));
    expect(
      (await errorOf(ec2.send(new DescribeVpcEndpointsCommand({})))).name,
    ).toBe('UnauthorizedOperation');

    const cleared = await fetch(`${simulator.url}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ faults: [] }),
    });
    expect(cleared.status).toBe(200);
    await expect(
      ec2.send(new DescribeVpcEndpointsCommand({})),
    ).resolves.toBeDefined();

    const invalid = await fetch(`${simulator.url}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify([{ type: 'meteor' }]),
    });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).issues[0]).toMatch(
      /^faults\[0\]\.type: Invalid discriminator value/,
    );
    const listed = await (
      await fetch(`${simulator.url}/_simulator/faults`)
    ).json();
    expect(listed).toEqual({ faults: [] });
  });
});
