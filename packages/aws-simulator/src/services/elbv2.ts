import { SimError } from '../errors';
import type { ListenerState, LoadBalancerState } from '../estate/model';
import { InvalidTokenError, paginate } from '../pagination';
import { awsQueryResponse, members, QueryParams } from '../protocols/query';
import type { SimResponse } from '../protocols/types';
import type { CallContext } from './types';
import { awsQueryEndpoint } from './queryEndpoint';

/** Elastic Load Balancing v2 (awsQuery): the NLBs and ALBs behind VPC links. */

const XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
const validation = (message: string) =>
  new SimError('ValidationError', message, 400);

/** Marker/PageSize paging: PageSize 1..400, everything when absent. */
function pageOf<T>(params: QueryParams, items: T[], list: string) {
  const pageSize = params.int('PageSize', validation);
  if (pageSize !== undefined && (pageSize < 1 || pageSize > 400)) {
    throw validation(
      `1 validation error detected: Value '${pageSize}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400`,
    );
  }
  try {
    return paginate(items, params.get('Marker'), pageSize ?? 400, list);
  } catch (error) {
    if (error instanceof InvalidTokenError)
      throw validation(`Invalid marker '${params.get('Marker')}'`);
    throw error;
  }
}

function loadBalancerShape(lb: LoadBalancerState) {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: lb.canonicalHostedZoneId,
    CreatedTime: lb.createdAt.toISOString(),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    AvailabilityZones: members(
      lb.availabilityZones.map(z => ({
        ZoneName: z.zoneName,
        SubnetId: z.subnetId,
      })),
    ),
    SecurityGroups:
      lb.type === 'application' ? members(lb.securityGroups) : undefined,
    IpAddressType: 'ipv4',
  };
}

function listenerShape(listener: ListenerState) {
  const secure = listener.protocol === 'TLS' || listener.protocol === 'HTTPS';
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    SslPolicy: secure ? 'ELBSecurityPolicy-TLS13-1-2-2021-06' : undefined,
    DefaultActions: members([
      {
        Type: 'forward',
        TargetGroupArn: listener.loadBalancerArn
          .replace(':loadbalancer/net/', ':targetgroup/')
          .replace(':loadbalancer/app/', ':targetgroup/'),
      },
    ]),
  };
}

function describeLoadBalancers(
  ctx: CallContext,
  params: QueryParams,
): SimResponse {
  const arns = params.list('LoadBalancerArns.member');
  const names = params.list('Names.member');
  if (arns.length && names.length)
    throw validation('LoadBalancerArns and Names cannot be specified together');
  const all = ctx.regionState.loadBalancers;
  let selected = all;
  if (arns.length || names.length) {
    selected = arns.length
      ? arns
          .map(arn => all.find(lb => lb.arn === arn))
          .filter((lb): lb is LoadBalancerState => lb !== undefined)
      : names
          .map(name => all.find(lb => lb.name === name))
          .filter((lb): lb is LoadBalancerState => lb !== undefined);
    if (selected.length !== (arns.length || names.length)) {
      const missing = (arns.length ? arns : names).filter(
        key => !selected.some(lb => lb.arn === key || lb.name === key),
      );
      throw new SimError(
        'LoadBalancerNotFound',
        `One or more load balancers not found: ${missing.join(', ')}`,
        400,
      );
    }
  }
  const { items, next } = pageOf(
    params,
    selected,
    `lbs:${ctx.identity.accountId}:${ctx.region}`,
  );
  return awsQueryResponse(
    'DescribeLoadBalancers',
    XMLNS,
    { LoadBalancers: members(items.map(loadBalancerShape)), NextMarker: next },
    ctx.requestId,
  );
}

function describeListeners(ctx: CallContext, params: QueryParams): SimResponse {
  const lbArn = params.get('LoadBalancerArn');
  const listenerArns = params.list('ListenerArns.member');
  if (!lbArn && !listenerArns.length)
    throw validation(
      'You must specify either listener ARNs or a load balancer ARN',
    );
  let listeners: ListenerState[];
  if (lbArn) {
    const lb = ctx.regionState.loadBalancersByArn.get(lbArn);
    if (!lb)
      throw new SimError(
        'LoadBalancerNotFound',
        `Load balancer '${lbArn}' not found`,
        400,
      );
    listeners = lb.listeners;
  } else {
    listeners = listenerArns.map(arn => {
      const listener = ctx.regionState.listenersByArn.get(arn);
      if (!listener)
        throw new SimError(
          'ListenerNotFound',
          `One or more listeners not found: ${arn}`,
          400,
        );
      return listener;
    });
  }
  const { items, next } = pageOf(
    params,
    listeners,
    `listeners:${lbArn ?? listenerArns.join(',')}`,
  );
  return awsQueryResponse(
    'DescribeListeners',
    XMLNS,
    { Listeners: members(items.map(listenerShape)), NextMarker: next },
    ctx.requestId,
  );
}

export const elbv2Endpoint = awsQueryEndpoint({
  signingName: 'elasticloadbalancing',
  displayName: 'Elastic Load Balancing',
  operations: {
    DescribeLoadBalancers: describeLoadBalancers,
    DescribeListeners: describeListeners,
  },
  expiredTokenStatus: 403,
});
