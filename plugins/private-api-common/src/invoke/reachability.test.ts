import { endpoint, estate, privateApi } from '../__testUtils__/estate';
import { ReachabilityCheck, checkReachability } from './reachability';

const statuses = (result: ReachabilityCheck) =>
  Object.fromEntries(result.checks.map(c => [c.id, c.status]));
const check = (result: ReachabilityCheck, id: string) =>
  result.checks.find(c => c.id === id)!;

describe('checkReachability for a private API', () => {
  it('passes every check for the allowed endpoint with private DNS', () => {
    const result = checkReachability(
      privateApi(),
      'vpc-0aaa1111',
      estate([endpoint()]),
    );
    expect(result).toMatchObject({
      verdict: 'reachable',
      vpcEndpointId: 'vpce-0aaa1111',
      summary:
        'vpc-0aaa1111 can call orders through vpce-0aaa1111 (2 conditions not checked).',
    });
    expect(statuses(result)).toEqual({
      'vpc-known': 'ok',
      'endpoint-exists': 'ok',
      'endpoint-region': 'ok',
      'endpoint-available': 'ok',
      'resource-policy': 'ok',
      'execute-api-endpoint': 'ok',
      dns: 'ok',
      authorization: 'ok',
      'security-group': 'skipped',
      'endpoint-policy': 'skipped',
    });
    expect(check(result, 'authorization').message).toBe(
      'No authorization on 1 route; IAM on 1 route; Lambda authorizer token-check (TOKEN) on 1 route; Cognito user pool authorizer users on 1 route; an API key on 1 route.',
    );
    expect(check(result, 'security-group').message).toMatch(
      /^Not checked .*sg-0aaa1111 must allow TCP 443/,
    );
  });

  it('fails without an execute-api endpoint in the VPC, and says what to create', () => {
    const result = checkReachability(
      privateApi(),
      'vpc-0bbb2222',
      estate([endpoint()]),
    );
    expect(result.verdict).toBe('unreachable');
    expect(check(result, 'endpoint-exists')).toEqual({
      id: 'endpoint-exists',
      title: 'execute-api VPC endpoint',
      status: 'failed',
      message:
        'vpc-0bbb2222 has no interface VPC endpoint for execute-api, and a private API answers only through one.',
      fix: 'Create an interface VPC endpoint for com.amazonaws.us-east-1.execute-api in vpc-0bbb2222, with private DNS enabled.',
      docUrl:
        'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html',
    });
    expect(result.summary).toMatch(
      /^vpc-0bbb2222 cannot call orders: vpc-0bbb2222 has no interface VPC endpoint/,
    );
  });

  it('fails for an endpoint in another Region', () => {
    const result = checkReachability(
      privateApi(),
      'vpc-0ccc3333',
      estate([
        endpoint({
          vpcEndpointId: 'vpce-0ccc3333',
          vpcId: 'vpc-0ccc3333',
          region: 'eu-west-1',
        }),
      ]),
    );
    expect(check(result, 'endpoint-region')).toMatchObject({
      status: 'failed',
      message:
        'The endpoints of vpc-0ccc3333 are in eu-west-1 and the API in us-east-1: an endpoint reaches private APIs of its own Region only.',
    });
  });

  it('fails for an endpoint that is not available', () => {
    const result = checkReachability(
      privateApi(),
      'vpc-0aaa1111',
      estate([endpoint({ state: 'pending' })]),
    );
    expect(check(result, 'endpoint-available')).toMatchObject({
      status: 'failed',
      message: 'vpce-0aaa1111 is pending, not available.',
    });
  });

  it('fails when the policy denies the endpoint, with the grant as the fix', () => {
    const result = checkReachability(
      privateApi(),
      'vpc-0bbb2222',
      estate([
        endpoint({ vpcEndpointId: 'vpce-0bbb2222', vpcId: 'vpc-0bbb2222' }),
      ]),
    );
    expect(check(result, 'resource-policy')).toMatchObject({
      status: 'failed',
      fix: "Request access for vpce-0bbb2222: the owner's policy change lets calls from it in. Added vpce-0bbb2222 to the aws:SourceVpce values that Statement[1] (Deny) exempts (it denies every other caller), which lets vpce-0bbb2222 in.",
    });
  });

  it('settles on the endpoint the policy allows when the VPC has several', () => {
    const result = checkReachability(
      privateApi(),
      'vpc-0aaa1111',
      estate([
        endpoint({ vpcEndpointId: 'vpce-0bbb2222' }),
        endpoint({ vpcEndpointId: 'vpce-0aaa1111', privateDnsEnabled: false }),
      ]),
    );
    expect(result.vpcEndpointId).toBe('vpce-0aaa1111');
    expect(check(result, 'dns').message).toBe(
      'vpce-0aaa1111 is associated with the API: call abc123-vpce-0aaa1111.execute-api.us-east-1.amazonaws.com.',
    );
  });

  it('warns when neither private DNS nor an association gives a usable name', () => {
    const result = checkReachability(
      privateApi({ vpcEndpointIds: [] }),
      'vpc-0aaa1111',
      estate([endpoint({ privateDnsEnabled: false })]),
    );
    expect(result.verdict).toBe('conditional');
    expect(check(result, 'dns')).toMatchObject({
      status: 'warning',
      fix: 'Enable private DNS on vpce-0aaa1111, or associate it with the API for a Route 53 alias.',
    });
  });

  it('fails when the default endpoint is disabled and no private domain is associated', () => {
    const result = checkReachability(
      privateApi({ disableExecuteApiEndpoint: true }),
      'vpc-0aaa1111',
      estate([endpoint()]),
    );
    expect(check(result, 'execute-api-endpoint')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining(
        'This assumes that turning off the default execute-api endpoint also turns off the VPC endpoint names',
      ),
    });
    expect(result.checks.map(c => c.id)).not.toContain('dns');
  });

  it('warns about a VPC the inventory does not know, and about an endpoint of another account for IAM routes', () => {
    const result = checkReachability(
      privateApi(),
      'vpc-0eee5555',
      estate([
        endpoint({ vpcId: 'vpc-0eee5555', ownerAccountId: '444455556666' }),
      ]),
    );
    expect(check(result, 'vpc-known').status).toBe('warning');
    expect(check(result, 'authorization').message).toMatch(
      /The endpoint is in account 444455556666: IAM callers from there also need their own IAM policy/,
    );
  });
});

describe('checkReachability for a public API', () => {
  const regional = privateApi({
    endpointType: 'REGIONAL',
    policy: undefined,
    vpcEndpointIds: [],
  });

  it('fails when an execute-api endpoint with private DNS in the VPC captures the name', () => {
    const result = checkReachability(
      regional,
      'vpc-0aaa1111',
      estate([endpoint()]),
    );
    expect(result.verdict).toBe('unreachable');
    expect(check(result, 'private-dns-conflict')).toMatchObject({
      status: 'failed',
      fix: 'Give the API a custom domain name, or disable private DNS on vpce-0aaa1111.',
    });
  });

  it('passes from a VPC without such an endpoint, with the internet route not checked', () => {
    const result = checkReachability(
      regional,
      'vpc-0bbb2222',
      estate([endpoint()]),
    );
    expect(statuses(result)).toEqual({
      'vpc-known': 'ok',
      'public-endpoint': 'ok',
      'private-dns-conflict': 'ok',
      'internet-egress': 'skipped',
      authorization: 'ok',
    });
    expect(result.verdict).toBe('reachable');
  });

  it('reads the resource policy of a public REST API', () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
        },
      ],
    });
    const result = checkReachability(
      { ...regional, policy },
      'vpc-0bbb2222',
      estate([]),
    );
    expect(check(result, 'resource-policy')).toMatchObject({
      status: 'failed',
      message: 'The resource policy lets no call in.',
    });
  });
});
