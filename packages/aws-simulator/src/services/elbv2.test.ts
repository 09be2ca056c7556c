import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Simulator } from '../index';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  errorOf,
  startSimulator,
} from '../__testUtils__';

/** ELBv2 (awsQuery XML) against the demo estate. */
describe('Elastic Load Balancing v2', () => {
  let simulator: Simulator;
  let payments: ElasticLoadBalancingV2Client;

  beforeAll(async () => {
    simulator = await startSimulator();
    payments = new ElasticLoadBalancingV2Client(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
  });
  afterAll(() => simulator.stop());

  it('describes NLBs and ALBs', async () => {
    const { LoadBalancers } = await payments.send(
      new DescribeLoadBalancersCommand({}),
    );
    expect(
      LoadBalancers!.map(lb => [lb.LoadBalancerName, lb.Type, lb.Scheme]),
    ).toEqual([
      ['ledger-nlb', 'network', 'internal'],
      ['payments-alb', 'application', 'internal'],
    ]);
    expect(LoadBalancers![0]).toMatchObject({
      LoadBalancerArn: expect.stringMatching(
        /^arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer\/net\/ledger-nlb\/[0-9a-f]{16}$/,
      ),
      DNSName: expect.stringMatching(
        /^ledger-nlb-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/,
      ),
      VpcId: DEMO.paymentsVpc,
      State: { Code: 'active' },
      AvailabilityZones: [
        expect.objectContaining({ ZoneName: 'us-east-1a' }),
        expect.objectContaining({ ZoneName: 'us-east-1b' }),
      ],
    });
    expect(LoadBalancers![1].DNSName).toMatch(
      /^internal-payments-alb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/,
    );
    expect(LoadBalancers![0].CreatedTime).toBeInstanceOf(Date);
  });

  it('selects by name or ARN and pages with PageSize and Marker', async () => {
    const byName = await payments.send(
      new DescribeLoadBalancersCommand({ Names: ['payments-alb'] }),
    );
    expect(byName.LoadBalancers!.map(lb => lb.LoadBalancerName)).toEqual([
      'payments-alb',
    ]);
    const byArn = await payments.send(
      new DescribeLoadBalancersCommand({
        LoadBalancerArns: [byName.LoadBalancers![0].LoadBalancerArn!],
      }),
    );
    expect(byArn.LoadBalancers).toHaveLength(1);
    const first = await payments.send(
      new DescribeLoadBalancersCommand({ PageSize: 1 }),
    );
    expect(first.LoadBalancers).toHaveLength(1);
    const second = await payments.send(
      new DescribeLoadBalancersCommand({
        PageSize: 1,
        Marker: first.NextMarker,
      }),
    );
    expect(second.LoadBalancers![0].LoadBalancerName).toBe('payments-alb');
    expect(second.NextMarker).toBeUndefined();
  });

  it('describes the listeners of a load balancer and by listener ARN', async () => {
    const { LoadBalancers } = await payments.send(
      new DescribeLoadBalancersCommand({ Names: ['payments-alb'] }),
    );
    const { Listeners } = await payments.send(
      new DescribeListenersCommand({
        LoadBalancerArn: LoadBalancers![0].LoadBalancerArn,
      }),
    );
    expect(Listeners!.map(l => [l.Port, l.Protocol])).toEqual([
      [443, 'HTTPS'],
      [80, 'HTTP'],
    ]);
    expect(Listeners![0]).toMatchObject({
      LoadBalancerArn: LoadBalancers![0].LoadBalancerArn,
      ListenerArn: expect.stringMatching(
        /:listener\/app\/payments-alb\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
      ),
      DefaultActions: [expect.objectContaining({ Type: 'forward' })],
    });
    const byArn = await payments.send(
      new DescribeListenersCommand({
        ListenerArns: [Listeners![1].ListenerArn!],
      }),
    );
    expect(byArn.Listeners!.map(l => l.Port)).toEqual([80]);
  });

  it('answers LoadBalancerNotFound, ListenerNotFound and ValidationError', async () => {
    const lb = await errorOf(
      payments.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })),
    );
    expect(lb.name).toBe('LoadBalancerNotFoundException');
    expect(lb.Code ?? lb.name).toMatch(/LoadBalancerNotFound/);
    const listener = await errorOf(
      payments.send(
        new DescribeListenersCommand({
          ListenerArns: [
            'arn:aws:elasticloadbalancing:us-east-1:222222222222:listener/app/x/1/2',
          ],
        }),
      ),
    );
    expect(listener.name).toBe('ListenerNotFoundException');
    const neither = await errorOf(
      payments.send(new DescribeListenersCommand({})),
    );
    expect(neither.name).toBe('ValidationError');
  });
});
