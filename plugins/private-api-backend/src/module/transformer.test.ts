import { apiEntityName } from '@private-api-catalog/plugin-private-api-common';
import { privateRestApi } from '../__testUtils__/records';
import {
  apiToEntity,
  describeRoutes,
  integrationResourceToEntity,
  vpcEndpointToEntity,
} from './transformer';

const options = {
  tagKeys: { owner: 'owner', system: 'system', lifecycle: 'lifecycle' },
  defaults: { owner: 'group:default/platform', lifecycle: 'production' },
};

describe('apiToEntity', () => {
  it('writes an API entity with owner and system from tags, the AWS annotations and the exported definition', () => {
    const { entity, defaulted } = apiToEntity(
      privateRestApi(),
      '{"openapi":"3.0.1"}',
      options,
    );
    expect(defaulted).toEqual(['lifecycle']);
    expect(entity).toMatchObject({
      kind: 'API',
      metadata: {
        name: 'orders-internal-a1b2c3d4e5',
        title: 'orders-internal',
        annotations: {
          'amazonaws.com/account-id': '111111111111',
          'amazonaws.com/region': 'us-east-1',
          'amazonaws.com/arn':
            'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5',
          'amazonaws.com/api-gateway-api-id': 'a1b2c3d4e5',
          'amazonaws.com/api-gateway-api-type': 'REST',
          'amazonaws.com/api-gateway-endpoint-type': 'PRIVATE',
          'backstage.io/managed-by-location':
            'private-api:111111111111/us-east-1',
          'backstage.io/view-url': expect.stringContaining(
            'console.aws.amazon.com/apigateway',
          ),
          'private-api.catalog/defaulted-fields': 'lifecycle',
        },
      },
      spec: {
        type: 'openapi',
        owner: 'team-orders',
        system: 'commerce',
        lifecycle: 'production',
        definition: '{"openapi":"3.0.1"}',
      },
    });
  });

  it('uses the configured defaults, and says so, when tags are missing', () => {
    const { entity, defaulted } = apiToEntity(
      privateRestApi({ tags: {} }),
      undefined,
      options,
    );
    expect(defaulted).toEqual(['owner', 'system', 'lifecycle']);
    expect(entity.spec).toMatchObject({
      owner: 'group:default/platform',
      type: 'aws-api-gateway',
    });
    expect(entity.spec).not.toHaveProperty('system');
    expect(entity.spec.definition).toContain('- GET /orders  (AWS_IAM)');
  });

  it('makes valid, unique names from any API name', () => {
    expect(
      apiEntityName({ name: 'Orders API (internal) v2!', apiId: 'a1b2c3d4e5' }),
    ).toBe('orders-api-internal-v2-a1b2c3d4e5');
    const long = apiEntityName({ name: 'x'.repeat(100), apiId: 'a1b2c3d4e5' });
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long.endsWith('-a1b2c3d4e5')).toBe(true);
    expect(apiEntityName({ name: '---', apiId: 'a1b2c3d4e5' })).toBe(
      'a1b2c3d4e5',
    );
  });

  it('describes an API without routes', () => {
    expect(describeRoutes(privateRestApi({ routes: [] }))).toContain(
      '(no routes discovered)',
    );
  });
});

describe('vpcEndpointToEntity', () => {
  it('writes a Resource that the APIs it serves depend on', () => {
    const { entity } = vpcEndpointToEntity(
      {
        vpcEndpointId: 'vpce-0123456789abcdef0',
        vpcId: 'vpc-0123456789abcdef0',
        ownerAccountId: '222222222222',
        region: 'us-east-1',
        state: 'available',
        privateDnsEnabled: true,
        serviceName: 'com.amazonaws.us-east-1.execute-api',
        dnsNames: [],
        subnetIds: [],
        securityGroupIds: [],
        tags: { owner: 'team-consumers', Name: 'consumer-endpoint' },
        name: 'consumer-endpoint',
      },
      ['api:default/orders-internal-a1b2c3d4e5'],
      options,
      ['api:default/payments-api-4qzwubhjbs'],
    );
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'vpce-0123456789abcdef0',
        annotations: {
          'amazonaws.com/vpc-id': 'vpc-0123456789abcdef0',
          'backstage.io/managed-by-location':
            'private-api:222222222222/us-east-1',
        },
      },
      spec: {
        type: 'aws-vpc-endpoint',
        owner: 'team-consumers',
        dependencyOf: ['api:default/orders-internal-a1b2c3d4e5'],
        // The APIs whose policy lets it in: what it may call.
        dependsOn: ['api:default/payments-api-4qzwubhjbs'],
      },
    });
  });
});

describe('integrationResourceToEntity', () => {
  it('writes a Lambda function as a Resource that its APIs depend on, in its own account and Region', () => {
    const entity = integrationResourceToEntity(
      {
        kind: 'lambda-function',
        partition: 'aws',
        region: 'eu-west-1',
        accountId: '222222222222',
        functionName: 'orders-handler',
        arn: 'arn:aws:lambda:eu-west-1:222222222222:function:orders-handler',
        roles: ['authorizer', 'integration'],
      },
      ['api:default/orders-internal-a1b2c3d4e5'],
      { owner: 'team-orders', system: 'commerce' },
    );
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: expect.stringMatching(/^orders-handler-[0-9a-f]{8}$/),
        title: 'orders-handler',
        description: expect.stringContaining(
          'integration and Lambda authorizer',
        ),
        annotations: {
          'amazonaws.com/arn':
            'arn:aws:lambda:eu-west-1:222222222222:function:orders-handler',
          'amazonaws.com/account-id': '222222222222',
          'amazonaws.com/region': 'eu-west-1',
          'backstage.io/managed-by-location':
            'private-api:222222222222/eu-west-1',
          'backstage.io/view-url':
            'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/orders-handler',
        },
      },
      spec: {
        type: 'lambda-function',
        owner: 'team-orders',
        system: 'commerce',
        dependencyOf: ['api:default/orders-internal-a1b2c3d4e5'],
      },
    });
  });

  it('names a function of the same name in another Region or account differently', () => {
    const name = (arn: string) =>
      integrationResourceToEntity(
        {
          kind: 'lambda-function',
          partition: 'aws',
          region: arn.split(':')[3],
          accountId: arn.split(':')[4],
          functionName: 'handler',
          arn,
          roles: ['integration'],
        },
        [],
        { owner: 'team-orders' },
      ).metadata.name;
    const names = new Set([
      name('arn:aws:lambda:eu-west-1:222222222222:function:handler'),
      name('arn:aws:lambda:us-east-1:222222222222:function:handler'),
      name('arn:aws:lambda:eu-west-1:333333333333:function:handler'),
    ]);
    expect(names.size).toBe(3);
  });

  it('writes a load balancer behind a VPC link, named with its id', () => {
    const arn =
      'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/orders-nlb/50dc6c495c0c9188';
    const entity = integrationResourceToEntity(
      {
        kind: 'load-balancer',
        partition: 'aws',
        region: 'us-east-1',
        accountId: '111111111111',
        name: 'orders-nlb',
        type: 'network',
        dnsName: 'orders-nlb.elb.amazonaws.com',
        arn,
      },
      ['api:default/orders-internal-a1b2c3d4e5'],
      { owner: 'team-orders' },
    );
    expect(entity).toMatchObject({
      metadata: {
        name: 'orders-nlb-50dc6c495c0c9188',
        title: 'orders-nlb',
        description: expect.stringContaining(
          'Network Load Balancer in account 111111111111, us-east-1',
        ),
        annotations: {
          'amazonaws.com/arn': arn,
          'backstage.io/view-url': expect.stringContaining(
            `#LoadBalancer:loadBalancerArn=${arn}`,
          ),
        },
        tags: ['aws', 'load-balancer', 'network'],
      },
      spec: {
        type: 'load-balancer',
        dependencyOf: ['api:default/orders-internal-a1b2c3d4e5'],
      },
    });
    expect(entity.spec).not.toHaveProperty('system');
  });
});
