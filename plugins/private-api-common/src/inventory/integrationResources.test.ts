import { privateApi } from '../__testUtils__/estate';
import {
  integrationResources,
  parseLambdaFunctionArn,
  parseLoadBalancerArn,
} from './integrationResources';
import type { IntegrationRecord } from './types';

const fn = 'arn:aws:lambda:eu-west-1:222222222222:function:orders-handler';
const nlb =
  'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/orders-nlb/50dc6c495c0c9188';
const albListener =
  'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/orders-alb/6d0ecf831eec9f09/f2f7dc8efc522ab2';

function integration(
  id: string,
  target: IntegrationRecord['target'],
): IntegrationRecord {
  return { id, type: 'AWS_PROXY', connectionType: 'INTERNET', target };
}

describe('parseLambdaFunctionArn', () => {
  it('reads the function and drops a version or alias qualifier', () => {
    expect(parseLambdaFunctionArn(`${fn}:live`)).toEqual({
      kind: 'lambda-function',
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '222222222222',
      functionName: 'orders-handler',
      arn: fn,
    });
  });

  it('rejects an ARN built from stage variables or another service', () => {
    expect(
      parseLambdaFunctionArn(
        'arn:aws:lambda:eu-west-1:222222222222:function:${stageVariables.fn}',
      ),
    ).toBeUndefined();
    expect(parseLambdaFunctionArn(nlb)).toBeUndefined();
  });
});

describe('parseLoadBalancerArn', () => {
  it('reads a listener ARN as its load balancer', () => {
    expect(parseLoadBalancerArn(albListener)).toEqual({
      kind: 'load-balancer',
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '111111111111',
      name: 'orders-alb',
      type: 'application',
      arn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/orders-alb/6d0ecf831eec9f09',
    });
  });

  it('rejects a Cloud Map service', () => {
    expect(
      parseLoadBalancerArn(
        'arn:aws:servicediscovery:eu-west-1:111111111111:service/srv-abc',
      ),
    ).toBeUndefined();
  });
});

describe('integrationResources', () => {
  it('lists each Lambda function and load balancer once, with what calls the function', () => {
    const api = privateApi({
      integrations: [
        integration('r1/GET', { kind: 'lambda', functionArn: fn }),
        integration('r2/GET', { kind: 'lambda', functionArn: `${fn}:live` }),
        integration('r3/GET', {
          kind: 'vpc-link',
          vpcLinkId: 'vl1',
          vpcLinkVersion: 'V1',
          targetType: 'NLB',
          uri: 'http://orders-nlb.elb.amazonaws.com/x',
        }),
        integration('r4/GET', {
          kind: 'vpc-link',
          vpcLinkId: 'vl2',
          vpcLinkVersion: 'V2',
          targetType: 'ALB',
          listenerArn: albListener,
          targetArn: albListener,
        }),
        integration('r5/GET', { kind: 'http', url: 'https://example.com' }),
        integration('r6/GET', { kind: 'mock' }),
      ],
      authorizers: [
        { id: 'a1', name: 'token', type: 'TOKEN', lambdaArn: fn },
        {
          id: 'a2',
          name: 'other',
          type: 'REQUEST',
          lambdaArn:
            'arn:aws:lambda:eu-west-1:222222222222:function:authorizer',
        },
      ],
      vpcLinks: [
        {
          id: 'vl1',
          name: 'orders-link',
          version: 'V1',
          targetArns: [nlb],
          loadBalancers: [
            {
              arn: nlb,
              name: 'orders-nlb',
              type: 'network',
              dnsName: 'orders-nlb.elb.amazonaws.com',
              listeners: [],
            },
          ],
        },
        // vl2's load balancers were not read: the listener ARN alone names it.
      ],
    });
    expect(
      integrationResources(api).map(r => [
        r.kind,
        r.arn,
        r.kind === 'lambda-function' ? r.roles : r.dnsName,
      ]),
    ).toEqual([
      [
        'load-balancer',
        'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/orders-alb/6d0ecf831eec9f09',
        undefined,
      ],
      ['load-balancer', nlb, 'orders-nlb.elb.amazonaws.com'],
      [
        'lambda-function',
        'arn:aws:lambda:eu-west-1:222222222222:function:authorizer',
        ['authorizer'],
      ],
      ['lambda-function', fn, ['authorizer', 'integration']],
    ]);
  });

  it('lists nothing for an API of HTTP and mock integrations', () => {
    expect(
      integrationResources(
        privateApi({
          integrations: [integration('r1/GET', { kind: 'mock' })],
          authorizers: [],
        }),
      ),
    ).toEqual([]);
  });
});
