import { DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type { Simulator } from '../index';
import { clientConfig, DEMO, errorOf, startSimulator } from '../__testUtils__';

/** STS: base credentials act in mainAccount; AssumeRole moves every later call to the role's account. */
describe('STS', () => {
  let simulator: Simulator;
  let sts: STSClient;

  beforeAll(async () => {
    simulator = await startSimulator();
    sts = new STSClient(clientConfig(simulator));
  });
  afterAll(() => simulator.stop());

  it('identifies static credentials as a user of the main account', async () => {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: DEMO.platform,
      Arn: `arn:aws:iam::${DEMO.platform}:user/simulator`,
      UserId: expect.stringMatching(/^AIDA/),
    });
  });

  it('assumes a role with its ExternalId; later calls act in that account and Region', async () => {
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${DEMO.payments}:role/BackstageDiscovery`,
        RoleSessionName: 'discovery',
        ExternalId: 'backstage-payments-7d1f',
        DurationSeconds: 900,
      }),
    );
    expect(assumed.Credentials).toMatchObject({
      AccessKeyId: expect.stringMatching(/^ASIA[0-9A-Z]{16}$/),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
    });
    const ttl = assumed.Credentials!.Expiration!.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(800_000);
    expect(ttl).toBeLessThanOrEqual(900_000);
    expect(assumed.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${DEMO.payments}:assumed-role/BackstageDiscovery/discovery`,
      AssumedRoleId: expect.stringMatching(/^AROA[0-9A-Z]+:discovery$/),
    });

    const credentials = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    const asPayments = new STSClient(clientConfig(simulator, credentials));
    const identity = await asPayments.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(DEMO.payments);
    expect(identity.Arn).toBe(assumed.AssumedRoleUser!.Arn);

    const ec2 = new EC2Client(
      clientConfig(simulator, { ...credentials, region: 'eu-west-1' }),
    );
    const { VpcEndpoints } = await ec2.send(
      new DescribeVpcEndpointsCommand({}),
    );
    expect(VpcEndpoints!.map(e => [e.VpcEndpointId, e.OwnerId])).toEqual([
      ['vpce-5f68be12873f71830', DEMO.payments],
    ]);
  });

  it('denies a wrong or missing ExternalId, an unlisted role and an account outside the estate', async () => {
    const attempts = [
      {
        RoleArn: `arn:aws:iam::${DEMO.payments}:role/BackstageDiscovery`,
        ExternalId: 'wrong',
      },
      { RoleArn: `arn:aws:iam::${DEMO.payments}:role/BackstageDiscovery` },
      { RoleArn: `arn:aws:iam::${DEMO.identity}:role/Admin` },
      { RoleArn: 'arn:aws:iam::999999999999:role/BackstageDiscovery' },
    ];
    for (const attempt of attempts) {
      const error = await errorOf(
        sts.send(
          new AssumeRoleCommand({ ...attempt, RoleSessionName: 'discovery' }),
        ),
      );
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toContain(attempt.RoleArn);
    }
  });

  it('validates the role ARN, session name and duration', async () => {
    const arn = await errorOf(
      sts.send(
        new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'x1' }),
      ),
    );
    expect(arn.name).toBe('ValidationError');
    const session = await errorOf(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${DEMO.identity}:role/BackstageDiscovery`,
          RoleSessionName: 'has spaces',
        }),
      ),
    );
    expect(session.name).toBe('ValidationError');
    const duration = await errorOf(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${DEMO.identity}:role/BackstageDiscovery`,
          RoleSessionName: 'ok',
          DurationSeconds: 60,
        }),
      ),
    );
    expect(duration.name).toBe('ValidationError');
  });

  it('accepts any role name when the estate lists no roles for the account', async () => {
    const open = await startSimulator({
      estate: {
        accounts: [
          { id: '111122223333', name: 'main' },
          { id: '444455556666', name: 'open' },
        ],
      },
    });
    try {
      const client = new STSClient(clientConfig(open));
      const assumed = await client.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::444455556666:role/path/AnyRole',
          RoleSessionName: 'x1',
        }),
      );
      expect(assumed.AssumedRoleUser!.Arn).toBe(
        'arn:aws:sts::444455556666:assumed-role/AnyRole/x1',
      );
    } finally {
      await open.stop();
    }
  });

  it('maps static access keys listed in the estate to their account', async () => {
    const keyed = await startSimulator({
      estate: {
        accounts: [
          { id: '111122223333', name: 'main' },
          {
            id: '444455556666',
            name: 'keyed',
            accessKeys: ['AKIAKEYEDACCOUNT0001'],
          },
        ],
      },
    });
    try {
      const client = new STSClient(
        clientConfig(keyed, { accessKeyId: 'AKIAKEYEDACCOUNT0001' }),
      );
      expect(
        (await client.send(new GetCallerIdentityCommand({}))).Account,
      ).toBe('444455556666');
    } finally {
      await keyed.stop();
    }
  });
});
