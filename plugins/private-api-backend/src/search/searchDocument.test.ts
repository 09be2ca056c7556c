import {
  EstateContext,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { privateRestApi } from '../__testUtils__/records';
import { mockServices } from '@backstage/backend-test-utils';
import { createPolicyWork } from '../policyWork/PolicyWork';
import { admittedCallers, admittedCallersAnalysis } from './admittedCallers';
import { apiSearchDocument } from './searchDocument';

const ARN = 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/*';

function endpoint(
  vpcEndpointId: string,
  vpcId: string,
  region = 'us-east-1',
): VpcEndpointRecord {
  return {
    vpcEndpointId,
    vpcId,
    ownerAccountId: '222222222222',
    region,
    state: 'available',
    privateDnsEnabled: false,
    serviceName: `com.amazonaws.${region}.execute-api`,
    dnsNames: [],
    subnetIds: [],
    securityGroupIds: [],
    tags: {},
  };
}

const A = endpoint('vpce-0aaaaaaaaaaaaaaa1', 'vpc-0aaaaaaaaaaaaaaa1');
const A2 = endpoint('vpce-0aaaaaaaaaaaaaaa2', 'vpc-0aaaaaaaaaaaaaaa1');
const B = endpoint('vpce-0bbbbbbbbbbbbbbb1', 'vpc-0bbbbbbbbbbbbbbb1');
/** In the allowed VPC's id space, but another Region: it never reaches the API. */
const EU = endpoint(
  'vpce-0eeeeeeeeeeeeeee1',
  'vpc-0aaaaaaaaaaaaaaa1',
  'eu-west-1',
);
const estate: EstateContext = {
  accounts: [{ accountId: '111111111111', name: 'orders-prod' }],
  vpcEndpoints: [A, A2, B, EU],
  vpcs: [],
};

const allow = (condition?: object) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: ARN,
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });

describe('admittedCallers', () => {
  it('admits the endpoints the reverse index lists, and their VPCs', () => {
    const api = privateRestApi({
      policy: allow({ StringEquals: { 'aws:SourceVpce': A.vpcEndpointId } }),
    });
    expect(admittedCallers(api, [A])).toEqual({
      vpcEndpointIds: [A.vpcEndpointId],
      vpcIds: [A.vpcId],
    });
  });

  it('adds the VPCs and endpoints the policy names, also outside the inventory', () => {
    const api = privateRestApi({
      policy: allow({
        StringEquals: {
          'aws:SourceVpc': [A.vpcId, 'vpc-0fffffffffffffff1'],
        },
      }),
    });
    expect(admittedCallers(api, [A, A2])).toEqual({
      vpcEndpointIds: [A.vpcEndpointId, A2.vpcEndpointId],
      vpcIds: [A.vpcId, 'vpc-0fffffffffffffff1'],
    });
  });

  it('admits nothing through a Deny for everyone, or for public APIs', () => {
    const denyAll = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        JSON.parse(allow()).Statement[0],
        { Effect: 'Deny', Principal: '*', Action: '*', Resource: ARN },
      ],
    });
    expect(admittedCallers(privateRestApi({ policy: denyAll }), [])).toEqual({
      vpcEndpointIds: [],
      vpcIds: [],
    });
    expect(
      admittedCallers(
        privateRestApi({ policy: allow(), endpointType: 'REGIONAL' }),
        [A, B],
      ),
    ).toEqual({ vpcEndpointIds: [], vpcIds: [] });
  });

  it('reads the same callers from an analysis made on the policy worker threads', async () => {
    const pool = createPolicyWork(
      { threads: 1, maxQueue: 10 },
      mockServices.logger.mock(),
    );
    try {
      expect(await pool.mode()).toBe('threads');
      const api = privateRestApi({
        policy: allow({
          StringEquals: { 'aws:SourceVpc': [A.vpcId, 'vpc-0fffffffffffffff1'] },
        }),
      });
      const unreadable = privateRestApi({ policy: '{"Statement": 3}' });
      for (const each of [api, unreadable]) {
        const analysis = await admittedCallersAnalysis(each, pool);
        expect(admittedCallers(each, [A], analysis)).toEqual(
          admittedCallers(each, [A]),
        );
      }
      expect(await admittedCallersAnalysis(unreadable, pool)).toBeNull();
      expect(
        admittedCallers(api, [A], await admittedCallersAnalysis(api, pool))
          .vpcIds,
      ).toEqual([A.vpcId, 'vpc-0fffffffffffffff1']);
    } finally {
      await pool.close();
    }
  });
});

describe('apiSearchDocument', () => {
  const transform = {
    tagKeys: { owner: 'owner', system: 'system', lifecycle: 'lifecycle' },
    defaults: { owner: 'group:default/platform-team', lifecycle: 'production' },
  };

  it('holds what a user searches for: routes, Lambda functions, hosts, domains, callers, owner', () => {
    const api = privateRestApi({
      policy: allow({ StringEquals: { 'aws:SourceVpce': B.vpcEndpointId } }),
      routes: [
        {
          id: 'r1/GET',
          method: 'GET',
          path: '/orders/{id}',
          routeKey: 'GET /orders/{id}',
          authorizationType: 'CUSTOM',
          authorizerId: 'au1',
          apiKeyRequired: false,
        },
        {
          id: 'r2/POST',
          method: 'POST',
          path: '/orders',
          routeKey: 'POST /orders',
          authorizationType: 'NONE',
          apiKeyRequired: false,
        },
      ],
      integrations: [
        {
          id: 'r1/GET',
          type: 'AWS_PROXY',
          connectionType: 'INTERNET',
          target: {
            kind: 'lambda',
            functionArn:
              'arn:aws:lambda:us-east-1:111111111111:function:orders-read:live',
          },
        },
        {
          id: 'r2/POST',
          type: 'HTTP_PROXY',
          connectionType: 'INTERNET',
          target: { kind: 'http', url: 'https://orders.corp.example.com/v1' },
        },
      ],
      authorizers: [
        {
          id: 'au1',
          name: 'tokens',
          type: 'TOKEN',
          lambdaArn:
            'arn:aws:lambda:us-east-1:111111111111:function:orders-authorizer',
        },
      ],
      domains: [
        {
          domainName: 'orders.internal.example.com',
          endpointType: 'PRIVATE',
          accountId: '111111111111',
          region: 'us-east-1',
          accessAssociations: [],
          mappings: [{ basePath: '', apiId: 'a1b2c3d4e5' }],
        },
      ],
      tags: {},
    });
    expect(apiSearchDocument(api, estate, transform, [B])).toEqual({
      title: 'orders-internal',
      text: `PRIVATE REST API a1b2c3d4e5 in account orders-prod (111111111111), us-east-1. Callable through ${B.vpcEndpointId}, ${B.vpcId}. Lambda: orders-authorizer, orders-read. Custom domains: orders.internal.example.com.`,
      location: '/catalog/default/api/orders-internal-a1b2c3d4e5/private-api',
      entityRef: 'api:default/orders-internal-a1b2c3d4e5',
      apiId: 'a1b2c3d4e5',
      apiType: 'REST',
      endpointType: 'PRIVATE',
      accountId: '111111111111',
      accountName: 'orders-prod',
      region: 'us-east-1',
      owner: 'group:default/platform-team',
      routes: 'GET /orders/{id}, POST /orders',
      lambdaFunctions: 'orders-authorizer, orders-read',
      integrationHosts: 'orders.corp.example.com',
      customDomains: 'orders.internal.example.com',
      vpcEndpointIds: B.vpcEndpointId,
      vpcIds: B.vpcId,
    });
  });

  it("takes the owner from the API's owner tag", () => {
    const api = privateRestApi({ tags: { owner: 'team-orders' } });
    expect(apiSearchDocument(api, estate, transform, []).owner).toBe(
      'team-orders',
    );
  });
});
