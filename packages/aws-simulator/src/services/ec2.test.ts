import {
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import type { Simulator } from '../index';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  errorOf,
  startSimulator,
} from '../__testUtils__';

/** EC2 DescribeVpcEndpoints and DescribeVpcs (ec2Query XML) against the demo estate. */
describe('EC2', () => {
  let simulator: Simulator;
  let platform: EC2Client;
  let commerce: EC2Client;

  beforeAll(async () => {
    simulator = await startSimulator();
    platform = new EC2Client(clientConfig(simulator));
    commerce = new EC2Client(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.commerce)),
    );
  });
  afterAll(() => simulator.stop());

  it('describes execute-api endpoints with DNS entries, private DNS and owner', async () => {
    const { VpcEndpoints } = await platform.send(
      new DescribeVpcEndpointsCommand({
        Filters: [
          {
            Name: 'service-name',
            Values: ['com.amazonaws.us-east-1.execute-api'],
          },
        ],
      }),
    );
    expect(VpcEndpoints!.map(e => e.VpcEndpointId)).toEqual([
      DEMO.platformSharedVpce,
      DEMO.platformOnPremVpce,
    ]);
    const [shared, onPrem] = VpcEndpoints!;
    expect(shared).toMatchObject({
      VpcEndpointType: 'Interface',
      VpcId: 'vpc-a6174cba9b412eab7',
      OwnerId: DEMO.platform,
      State: 'available',
      PrivateDnsEnabled: true,
      ServiceName: 'com.amazonaws.us-east-1.execute-api',
      SubnetIds: [
        expect.stringMatching(/^subnet-/),
        expect.stringMatching(/^subnet-/),
      ],
      Groups: [
        expect.objectContaining({
          GroupId: expect.stringMatching(/^sg-[0-9a-f]{17}$/),
        }),
      ],
      Tags: [{ Key: 'Name', Value: 'shared-services-execute-api' }],
    });
    expect(shared.CreationTimestamp).toBeInstanceOf(Date);
    expect(JSON.parse(shared.PolicyDocument!).Statement[0].Effect).toBe(
      'Allow',
    );
    const names = shared.DnsEntries!.map(d => d.DnsName);
    expect(names[0]).toMatch(
      /^vpce-32024f650157d106c-[a-z0-9]{8}\.execute-api\.us-east-1\.vpce\.amazonaws\.com$/,
    );
    expect(names).toContain('*.execute-api.us-east-1.amazonaws.com');

    expect(onPrem.PrivateDnsEnabled).toBe(false);
    expect(onPrem.DnsEntries!.map(d => d.DnsName)).not.toContain(
      '*.execute-api.us-east-1.amazonaws.com',
    );
    expect(onPrem.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'access', Value: 'on-premises-vpn' },
        expect.objectContaining({ Key: 'Description' }),
      ]),
    );
  });

  it('filters by service name, VPC id, endpoint id and tag', async () => {
    const all = await commerce.send(new DescribeVpcEndpointsCommand({}));
    expect(all.VpcEndpoints!.map(e => e.VpcEndpointId)).toEqual([
      DEMO.commerceVpce,
      DEMO.commerceS3Vpce,
    ]);
    const executeApi = await commerce.send(
      new DescribeVpcEndpointsCommand({
        Filters: [{ Name: 'service-name', Values: ['*.execute-api'] }],
      }),
    );
    expect(executeApi.VpcEndpoints!.map(e => e.VpcEndpointId)).toEqual([
      DEMO.commerceVpce,
    ]);
    const gateway = await commerce.send(
      new DescribeVpcEndpointsCommand({
        Filters: [{ Name: 'vpc-endpoint-id', Values: [DEMO.commerceS3Vpce] }],
      }),
    );
    expect(gateway.VpcEndpoints![0]).toMatchObject({
      VpcEndpointType: 'Gateway',
      PrivateDnsEnabled: false,
      DnsEntries: [],
    });
    const byVpc = await platform.send(
      new DescribeVpcEndpointsCommand({
        Filters: [{ Name: 'vpc-id', Values: ['vpc-b02fe1dc5ee320d6e'] }],
      }),
    );
    expect(byVpc.VpcEndpoints!.map(e => e.VpcEndpointId)).toEqual([
      DEMO.platformOnPremVpce,
    ]);
    const byTag = await platform.send(
      new DescribeVpcEndpointsCommand({
        Filters: [{ Name: 'tag:access', Values: ['on-premises-vpn'] }],
      }),
    );
    expect(byTag.VpcEndpoints!.map(e => e.VpcEndpointId)).toEqual([
      DEMO.platformOnPremVpce,
    ]);
  });

  it('pages with MaxResults and NextToken', async () => {
    const simulatorWithMany = await startSimulator({
      estate: {
        accounts: [
          {
            id: '123456789012',
            name: 'many-endpoints',
            regions: {
              'us-east-1': {
                vpcs: [{ id: 'vpc-00000000000000001', cidr: '10.0.0.0/16' }],
                vpcEndpoints: Array.from({ length: 12 }, (_, i) => ({
                  id: `vpce-${String(i).padStart(17, '0')}`,
                  vpc: 'vpc-00000000000000001',
                })),
              },
            },
          },
        ],
      },
    });
    try {
      const client = new EC2Client(clientConfig(simulatorWithMany));
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await client.send(
          new DescribeVpcEndpointsCommand({ MaxResults: 5, NextToken: token }),
        );
        seen.push(...page.VpcEndpoints!.map(e => e.VpcEndpointId!));
        token = page.NextToken;
        pages += 1;
      } while (token);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(12);
      const error = await errorOf(
        client.send(new DescribeVpcEndpointsCommand({ MaxResults: 2 })),
      );
      expect(error.name).toBe('InvalidParameterValue');
    } finally {
      await simulatorWithMany.stop();
    }
  });

  it('answers the EC2 error codes for unknown and malformed ids and filters', async () => {
    const notFound = await errorOf(
      platform.send(
        new DescribeVpcEndpointsCommand({
          VpcEndpointIds: ['vpce-0000000000000000a'],
        }),
      ),
    );
    expect(notFound.name).toBe('InvalidVpcEndpointId.NotFound');
    expect(notFound.$metadata.httpStatusCode).toBe(400);
    const malformed = await errorOf(
      platform.send(
        new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['endpoint-1'] }),
      ),
    );
    expect(malformed.name).toBe('InvalidVpcEndpointId.Malformed');
    const filter = await errorOf(
      platform.send(
        new DescribeVpcEndpointsCommand({
          Filters: [{ Name: 'colour', Values: ['red'] }],
        }),
      ),
    );
    expect(filter.name).toBe('InvalidParameterValue');
    expect(filter.message).toContain("'colour'");
    const vpc = await errorOf(
      platform.send(
        new DescribeVpcsCommand({ VpcIds: ['vpc-0000000000000000a'] }),
      ),
    );
    expect(vpc.name).toBe('InvalidVpcID.NotFound');
  });

  it('describes VPCs with CIDR blocks and Name tags', async () => {
    const payments = new EC2Client(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
    const { Vpcs } = await payments.send(new DescribeVpcsCommand({}));
    expect(Vpcs).toEqual([
      expect.objectContaining({
        VpcId: DEMO.paymentsVpc,
        OwnerId: DEMO.payments,
        State: 'available',
        CidrBlock: '10.20.0.0/16',
        IsDefault: false,
        Tags: [{ Key: 'Name', Value: 'payments-prod' }],
      }),
    ]);
    expect(Vpcs![0].CidrBlockAssociationSet!.map(a => a.CidrBlock)).toEqual([
      '10.20.0.0/16',
      '100.64.0.0/22',
    ]);
    const filtered = await platform.send(
      new DescribeVpcsCommand({
        Filters: [{ Name: 'tag:connectivity', Values: ['site-to-site-vpn'] }],
      }),
    );
    expect(filtered.Vpcs!.map(v => v.VpcId)).toEqual(['vpc-b02fe1dc5ee320d6e']);
  });

  it('sees the Region of the credential scope', async () => {
    const eu = new EC2Client(clientConfig(simulator, { region: 'eu-west-1' }));
    const { VpcEndpoints } = await eu.send(new DescribeVpcEndpointsCommand({}));
    expect(VpcEndpoints!.map(e => e.VpcEndpointId)).toEqual([
      'vpce-aef10900bddd03e80',
    ]);
    const empty = new EC2Client(
      clientConfig(simulator, { region: 'ap-south-1' }),
    );
    expect((await empty.send(new DescribeVpcsCommand({}))).Vpcs).toEqual([]);
  });
});
