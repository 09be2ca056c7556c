import { ids } from '../ids';
import {
  BuildContext,
  defaultDate,
  hostedZone,
  IssuePath,
} from './buildContext';
import type {
  ListenerState,
  LoadBalancerState,
  RegionState,
  VpcEndpointState,
  VpcLinkState,
} from './model';
import type { RegionInput } from './schema';

/** VPCs, VPC endpoints, load balancers and VPC links of one account and Region. */
export function buildNetwork(
  ctx: BuildContext,
  input: RegionInput,
  state: RegionState,
  path: IssuePath,
): void {
  const { accountId, region } = state;
  const vpcIds = new Set<string>();

  input.vpcs.forEach((vpc, i) => {
    const cidrBlocks = typeof vpc.cidr === 'string' ? [vpc.cidr] : vpc.cidr;
    cidrBlocks.forEach((cidr, j) => {
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) {
        ctx.issue(
          [
            ...path,
            'vpcs',
            i,
            'cidr',
            ...(typeof vpc.cidr === 'string' ? [] : [j]),
          ],
          `'${cidr}' is not an IPv4 CIDR block`,
        );
      }
    });
    ctx.allocateId('VPC', vpc.id, '', () => vpc.id, [...path, 'vpcs', i, 'id']);
    vpcIds.add(vpc.id);
    state.vpcs.push({
      id: vpc.id,
      accountId,
      cidrBlocks,
      isDefault: vpc.isDefault ?? false,
      tags: { ...(vpc.name ? { Name: vpc.name } : {}), ...vpc.tags },
    });
  });

  input.vpcEndpoints.forEach((endpoint, i) => {
    const endpointPath = [...path, 'vpcEndpoints', i];
    ctx.allocateId('VPC endpoint', endpoint.id, '', () => endpoint.id, [
      ...endpointPath,
      'id',
    ]);
    if (!vpcIds.has(endpoint.vpc)) {
      ctx.issue(
        [...endpointPath, 'vpc'],
        `'${endpoint.vpc}' is not a VPC of account ${accountId} in ${region}`,
      );
    }
    state.vpcEndpoints.push(buildEndpoint(endpoint, accountId, region));
  });

  input.loadBalancers.forEach((lb, i) => {
    if (lb.vpc && !vpcIds.has(lb.vpc)) {
      ctx.issue(
        [...path, 'loadBalancers', i, 'vpc'],
        `'${lb.vpc}' is not a VPC of account ${accountId} in ${region}`,
      );
    }
    if (state.loadBalancers.some(other => other.name === lb.name)) {
      ctx.issue(
        [...path, 'loadBalancers', i, 'name'],
        `duplicate load balancer name '${lb.name}'`,
      );
    }
    const built = buildLoadBalancer(ctx, lb, accountId, region);
    state.loadBalancers.push(built);
    state.loadBalancersByArn.set(built.arn, built);
    for (const listener of built.listeners)
      state.listenersByArn.set(listener.arn, listener);
  });

  input.vpcLinks.forEach((link, i) => {
    const linkPath = [...path, 'vpcLinks', i];
    const id = ctx.allocateId(
      'VPC link',
      link.id,
      `${accountId}:${region}:vpclink:${link.name}`,
      ids.short,
      [...linkPath, 'id'],
    );
    const targetArns = (link.targets ?? []).map((target, j) => {
      const lb = findLoadBalancer(state, target);
      if (!lb) {
        ctx.issue(
          [...linkPath, 'targets', j],
          `'${target}' is not a load balancer of account ${accountId} in ${region}`,
        );
        return target;
      }
      if (lb.type !== 'network') {
        ctx.issue(
          [...linkPath, 'targets', j],
          `'${target}' is an ${lb.type} load balancer: V1 VPC links target NLBs only`,
        );
      }
      return lb.arn;
    });
    const built: VpcLinkState = {
      id,
      name: link.name,
      version: link.version,
      description: link.description,
      targetArns,
      subnetIds:
        link.subnets ??
        (link.version === 'V2'
          ? [0, 1].map(n => ids.resource('subnet', `${id}:${n}`))
          : []),
      securityGroupIds:
        link.securityGroups ??
        (link.version === 'V2' ? [ids.resource('sg', `${id}:sg`)] : []),
      status: link.status,
      statusMessage: link.statusMessage ?? statusMessage(link.status),
      tags: link.tags ?? {},
      createdAt: link.createdAt ? new Date(link.createdAt) : defaultDate(id),
    };
    (link.version === 'V1' ? state.vpcLinksV1 : state.vpcLinksV2).push(built);
  });
}

function statusMessage(status: string): string {
  switch (status) {
    case 'AVAILABLE':
      return 'Your vpc link is ready for use';
    case 'INACTIVE':
      return 'VPC link is inactive because it has not been used for 60 days';
    default:
      return `VPC link is ${status.toLowerCase()}`;
  }
}

export function findLoadBalancer(
  state: RegionState,
  nameOrArn: string,
): LoadBalancerState | undefined {
  return (
    state.loadBalancersByArn.get(nameOrArn) ??
    state.loadBalancers.find(lb => lb.name === nameOrArn)
  );
}

function buildEndpoint(
  endpoint: RegionInput['vpcEndpoints'][number],
  accountId: string,
  region: string,
): VpcEndpointState {
  const service = endpoint.service.startsWith('com.amazonaws.')
    ? endpoint.service.split('.').slice(3).join('.')
    : endpoint.service;
  const serviceName = endpoint.service.startsWith('com.amazonaws.')
    ? endpoint.service
    : `com.amazonaws.${region}.${service}`;
  const isInterface = endpoint.type === 'Interface';
  const subnetIds = isInterface
    ? endpoint.subnets ??
      [0, 1].map(n => ids.resource('subnet', `${endpoint.vpc}:${n}`))
    : [];
  // The public names of an interface endpoint: Regional first, then one per zone; with
  // private DNS the service's own names resolve to it inside the VPC.
  const suffix =
    ids.short(`${endpoint.id}:dns`) + ids.hex(`${endpoint.id}:dns`, 2);
  const zone = hostedZone(region, 'vpce');
  const dnsEntries = isInterface
    ? [
        {
          dnsName: `${endpoint.id}-${suffix}.${service}.${region}.vpce.amazonaws.com`,
          hostedZoneId: zone,
        },
        ...subnetIds.map((_, n) => ({
          dnsName: `${endpoint.id}-${suffix}-${region}${String.fromCharCode(
            97 + n,
          )}.${service}.${region}.vpce.amazonaws.com`,
          hostedZoneId: zone,
        })),
        ...(endpoint.privateDns
          ? [
              {
                dnsName: `${service}.${region}.amazonaws.com`,
                hostedZoneId: `Z${ids.upper(`${endpoint.id}:phz`, 20)}`,
              },
              {
                dnsName: `*.${service}.${region}.amazonaws.com`,
                hostedZoneId: `Z${ids.upper(`${endpoint.id}:phz`, 20)}`,
              },
            ]
          : []),
      ]
    : [];
  const policy = endpoint.policy ?? {
    Statement: [
      { Action: '*', Effect: 'Allow', Principal: '*', Resource: '*' },
    ],
  };
  return {
    id: endpoint.id,
    accountId,
    region,
    vpcId: endpoint.vpc,
    serviceName,
    type: endpoint.type,
    state: endpoint.state,
    privateDnsEnabled: isInterface && endpoint.privateDns,
    subnetIds,
    securityGroupIds: isInterface
      ? endpoint.securityGroups ?? [ids.resource('sg', `${endpoint.id}:sg`)]
      : [],
    dnsEntries,
    networkInterfaceIds: subnetIds.map(subnet =>
      ids.resource('eni', `${endpoint.id}:${subnet}`),
    ),
    policyDocument:
      typeof policy === 'string' ? policy : JSON.stringify(policy),
    tags: {
      ...(endpoint.name ? { Name: endpoint.name } : {}),
      ...(endpoint.description ? { Description: endpoint.description } : {}),
      ...endpoint.tags,
    },
    createdAt: endpoint.createdAt
      ? new Date(endpoint.createdAt)
      : defaultDate(endpoint.id),
  };
}

function buildLoadBalancer(
  ctx: BuildContext,
  lb: RegionInput['loadBalancers'][number],
  accountId: string,
  region: string,
): LoadBalancerState {
  const kind = lb.type === 'network' ? 'net' : 'app';
  const seed = `${accountId}:${region}:lb:${lb.name}`;
  const lbHex = ids.hex(seed, 16);
  const arn = `arn:${ctx.partition}:elasticloadbalancing:${region}:${accountId}:loadbalancer/${kind}/${lb.name}/${lbHex}`;
  const digits = String(Math.floor(ids.unit(seed) * 9e9) + 1e9);
  const dnsName =
    lb.type === 'network'
      ? `${lb.name}-${lbHex}.elb.${region}.amazonaws.com`
      : `${lb.scheme === 'internal' ? 'internal-' : ''}${
          lb.name
        }-${digits}.${region}.elb.amazonaws.com`;
  const listeners: ListenerState[] = (lb.listeners ?? [{ port: 443 }]).map(
    listener => ({
      arn: `arn:${
        ctx.partition
      }:elasticloadbalancing:${region}:${accountId}:listener/${kind}/${
        lb.name
      }/${lbHex}/${ids.hex(`${seed}:${listener.port}`, 16)}`,
      loadBalancerArn: arn,
      port: listener.port,
      protocol: listener.protocol ?? (lb.type === 'network' ? 'TLS' : 'HTTPS'),
    }),
  );
  const vpcSeed = lb.vpc ?? seed;
  return {
    arn,
    name: lb.name,
    type: lb.type,
    scheme: lb.scheme,
    vpcId: lb.vpc,
    dnsName,
    canonicalHostedZoneId: hostedZone(
      region,
      lb.type === 'network' ? 'nlb' : 'alb',
    ),
    state: lb.state,
    createdAt: lb.createdAt ? new Date(lb.createdAt) : defaultDate(seed),
    availabilityZones: [0, 1].map(n => ({
      zoneName: `${region}${String.fromCharCode(97 + n)}`,
      subnetId: ids.resource('subnet', `${vpcSeed}:${n}`),
    })),
    securityGroups:
      lb.type === 'application' ? [ids.resource('sg', `${seed}:sg`)] : [],
    listeners,
  };
}
