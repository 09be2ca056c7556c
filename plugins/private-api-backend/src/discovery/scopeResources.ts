import {
  GetDomainNameAccessAssociationsCommand,
  paginateGetBasePathMappings,
  paginateGetDomainNames,
  paginateGetVpcLinks,
} from '@aws-sdk/client-api-gateway';
import {
  GetApiMappingsCommand,
  GetDomainNamesCommand as GetV2DomainNamesCommand,
  GetVpcLinksCommand as GetV2VpcLinksCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  DescribeVpcsCommand,
  paginateDescribeVpcEndpoints,
  Tag,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  DomainRecord,
  EndpointType,
  IntegrationRecord,
  LoadBalancerRecord,
  VpcEndpointRecord,
  VpcLinkRecord,
  VpcRecord,
} from '@private-api-catalog/plugin-private-api-common';
import type { ScopeClients } from '../aws/clients';
import { collectPages } from './v2Apis';
import type { ScopeIdentity } from './normalize';

function tagsToRecord(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).filter(t => t.Key).map(t => [t.Key!, t.Value ?? '']),
  );
}

/** VPC links V1 (REST → NLB) and V2 (HTTP/REST → ALB, NLB, Cloud Map). */
export async function crawlVpcLinks(
  clients: ScopeClients,
): Promise<VpcLinkRecord[]> {
  const links: VpcLinkRecord[] = [];
  for await (const page of paginateGetVpcLinks(
    { client: clients.apigateway, pageSize: 500 },
    {},
  )) {
    for (const link of page.items ?? []) {
      links.push({
        id: link.id!,
        name: link.name ?? link.id!,
        version: 'V1',
        status: link.status,
        statusMessage: link.statusMessage,
        targetArns: link.targetArns ?? [],
        loadBalancers: [],
      });
    }
  }
  const v2 = await collectPages(NextToken =>
    clients.apigatewayv2.send(
      new GetV2VpcLinksCommand({ MaxResults: '500', NextToken }),
    ),
  );
  for (const link of v2) {
    links.push({
      id: link.VpcLinkId!,
      name: link.Name ?? link.VpcLinkId!,
      version: 'V2',
      status: link.VpcLinkStatus,
      statusMessage: link.VpcLinkStatusMessage,
      subnetIds: link.SubnetIds ?? [],
      securityGroupIds: link.SecurityGroupIds ?? [],
      loadBalancers: [],
    });
  }
  return links;
}

/** DescribeLoadBalancers takes at most 20 ARNs per call. */
const ELB_BATCH = 20;

/**
 * Attaches the load balancers behind each VPC link: the NLBs a V1 link targets, and the
 * ALBs/NLBs whose listeners V2 integrations name.
 */
export async function resolveLoadBalancers(
  clients: ScopeClients,
  links: VpcLinkRecord[],
  integrations: IntegrationRecord[],
): Promise<void> {
  const listenerArnsByLink = new Map<string, Set<string>>();
  for (const integration of integrations) {
    const target = integration.target;
    if (target.kind === 'vpc-link' && target.listenerArn) {
      const set = listenerArnsByLink.get(target.vpcLinkId) ?? new Set();
      set.add(target.listenerArn);
      listenerArnsByLink.set(target.vpcLinkId, set);
    }
  }
  const allListenerArns = [
    ...new Set([...listenerArnsByLink.values()].flatMap(s => [...s])),
  ];
  const listeners = new Map<
    string,
    { arn: string; port?: number; protocol?: string; lb: string }
  >();
  for (let i = 0; i < allListenerArns.length; i += ELB_BATCH) {
    const page = await clients.elbv2.send(
      new DescribeListenersCommand({
        ListenerArns: allListenerArns.slice(i, i + ELB_BATCH),
      }),
    );
    for (const l of page.Listeners ?? []) {
      listeners.set(l.ListenerArn!, {
        arn: l.ListenerArn!,
        port: l.Port,
        protocol: l.Protocol,
        lb: l.LoadBalancerArn!,
      });
    }
  }

  const lbArns = new Set<string>();
  for (const link of links) link.targetArns?.forEach(a => lbArns.add(a));
  for (const l of listeners.values()) lbArns.add(l.lb);
  const lbs = new Map<string, LoadBalancerRecord>();
  const arns = [...lbArns];
  for (let i = 0; i < arns.length; i += ELB_BATCH) {
    const page = await clients.elbv2.send(
      new DescribeLoadBalancersCommand({
        LoadBalancerArns: arns.slice(i, i + ELB_BATCH),
      }),
    );
    for (const lb of page.LoadBalancers ?? []) {
      lbs.set(lb.LoadBalancerArn!, {
        arn: lb.LoadBalancerArn!,
        name: lb.LoadBalancerName ?? lb.LoadBalancerArn!,
        type: (lb.Type ?? 'network') as LoadBalancerRecord['type'],
        dnsName: lb.DNSName,
        scheme: lb.Scheme,
        state: lb.State?.Code,
        listeners: [],
      });
    }
  }

  // A V1 link names its NLBs, not listeners: read each NLB's listeners.
  const v1Listeners = new Map<string, LoadBalancerRecord['listeners']>();
  for (const arn of new Set(links.flatMap(l => l.targetArns ?? []))) {
    if (!lbs.has(arn)) continue;
    const page = await clients.elbv2.send(
      new DescribeListenersCommand({ LoadBalancerArn: arn }),
    );
    v1Listeners.set(
      arn,
      (page.Listeners ?? []).map(l => ({
        arn: l.ListenerArn!,
        port: l.Port,
        protocol: l.Protocol,
      })),
    );
  }

  for (const link of links) {
    const attached = new Map<string, LoadBalancerRecord>();
    for (const arn of link.targetArns ?? []) {
      const lb = lbs.get(arn);
      if (lb)
        attached.set(arn, { ...lb, listeners: v1Listeners.get(arn) ?? [] });
    }
    for (const listenerArn of listenerArnsByLink.get(link.id) ?? []) {
      const listener = listeners.get(listenerArn);
      const lb = listener && lbs.get(listener.lb);
      if (!listener || !lb) continue;
      const entry = attached.get(lb.arn) ?? { ...lb, listeners: [] };
      entry.listeners.push({
        arn: listener.arn,
        port: listener.port,
        protocol: listener.protocol,
      });
      attached.set(lb.arn, entry);
    }
    link.loadBalancers = [...attached.values()];
  }
}

function domainEndpointType(types: string[] | undefined): EndpointType {
  if (types?.includes('PRIVATE')) return 'PRIVATE';
  if (types?.includes('EDGE')) return 'EDGE';
  return 'REGIONAL';
}

/**
 * Custom domain names with their mappings: v1 for private domains (with access
 * associations) and base path mappings, v2 for API mappings (which also name HTTP and
 * WebSocket APIs). Regional domains appear in both; they are merged by name.
 */
export async function crawlDomains(
  clients: ScopeClients,
  scope: ScopeIdentity,
): Promise<DomainRecord[]> {
  const byKey = new Map<string, DomainRecord>();
  const keyOf = (name: string, id?: string) => (id ? `${name}+${id}` : name);

  for await (const page of paginateGetDomainNames(
    { client: clients.apigateway, pageSize: 500 },
    { resourceOwner: 'SELF' },
  )) {
    for (const d of page.items ?? []) {
      const record: DomainRecord = {
        domainName: d.domainName!,
        domainNameId: d.domainNameId,
        domainNameArn: d.domainNameArn,
        endpointType: domainEndpointType(d.endpointConfiguration?.types),
        accountId: scope.accountId,
        region: scope.region,
        policy: d.policy,
        accessAssociations: [],
        mappings: [],
        regionalDomainName: d.regionalDomainName,
      };
      for await (const mappings of paginateGetBasePathMappings(
        { client: clients.apigateway, pageSize: 500 },
        { domainName: d.domainName!, domainNameId: d.domainNameId },
      )) {
        for (const m of mappings.items ?? []) {
          record.mappings.push({
            basePath: m.basePath ?? '(none)',
            apiId: m.restApiId!,
            stage: m.stage,
          });
        }
      }
      byKey.set(keyOf(record.domainName, record.domainNameId), record);
    }
  }

  // SELF: associations this account made; OTHER_ACCOUNTS: those consumer accounts made to
  // this account's shared private domains (AWS-FACTS §4). Both land on the domain they name,
  // one of this account's private domains: without one, there is nothing to ask.
  const hasPrivateDomain = [...byKey.values()].some(
    d => d.endpointType === 'PRIVATE',
  );
  for (const resourceOwner of hasPrivateDomain
    ? (['SELF', 'OTHER_ACCOUNTS'] as const)
    : []) {
    let position: string | undefined;
    do {
      const page = await clients.apigateway.send(
        new GetDomainNameAccessAssociationsCommand({
          resourceOwner,
          position,
          limit: 500,
        }),
      );
      for (const a of page.items ?? []) {
        const domain = [...byKey.values()].find(
          d => d.domainNameArn === a.domainNameArn,
        );
        const known = domain?.accessAssociations.some(
          x => x.vpcEndpointId === a.accessAssociationSource,
        );
        if (domain && a.accessAssociationSource && !known) {
          domain.accessAssociations.push({
            vpcEndpointId: a.accessAssociationSource,
            arn: a.domainNameAccessAssociationArn,
          });
        }
      }
      position = page.position;
    } while (position);
  }

  const v2Domains = await collectPages(NextToken =>
    clients.apigatewayv2.send(
      new GetV2DomainNamesCommand({ MaxResults: '500', NextToken }),
    ),
  );
  for (const d of v2Domains) {
    const name = d.DomainName!;
    const record: DomainRecord = byKey.get(name) ?? {
      domainName: name,
      endpointType: domainEndpointType(
        d.DomainNameConfigurations?.map(c => c.EndpointType ?? 'REGIONAL'),
      ),
      accountId: scope.accountId,
      region: scope.region,
      accessAssociations: [],
      mappings: [],
      regionalDomainName: d.DomainNameConfigurations?.[0]?.ApiGatewayDomainName,
    };
    const mappings = await collectPages(NextToken =>
      clients.apigatewayv2.send(
        new GetApiMappingsCommand({
          DomainName: name,
          MaxResults: '500',
          NextToken,
        }),
      ),
    );
    for (const m of mappings) {
      const mapping = {
        basePath: m.ApiMappingKey || '(none)',
        apiId: m.ApiId!,
        stage: m.Stage,
      };
      const duplicate = record.mappings.some(
        x =>
          x.apiId === mapping.apiId &&
          x.basePath === mapping.basePath &&
          x.stage === mapping.stage,
      );
      if (!duplicate) record.mappings.push(mapping);
    }
    byKey.set(name, record);
  }
  return [...byKey.values()];
}

/**
 * The order of an endpoint's DNS names that `VpcEndpointRecord.dnsNames` promises and
 * invokeOptions relies on (AWS-FACTS §3): the regional public name
 * (`vpce-…-….execute-api.{region}.vpce.amazonaws.com`) first, then the zonal ones
 * (`vpce-…-…-{az}.execute-api…`), then the private DNS names (`execute-api.{region}.amazonaws.com`).
 */
export function dnsNameRank(name: string): number {
  if (!name.endsWith('.vpce.amazonaws.com')) return 2;
  return /-[a-z]{2}(-[a-z]+)+-\d[a-z]\./.test(name) ? 1 : 0;
}

/** The execute-api interface endpoints of the scope (AWS-FACTS §3), and their VPCs. */
export async function crawlVpcEndpoints(
  clients: ScopeClients,
  scope: ScopeIdentity,
): Promise<{ vpcEndpoints: VpcEndpointRecord[]; vpcs: VpcRecord[] }> {
  const serviceName = `com.amazonaws.${scope.region}.execute-api`;
  const vpcEndpoints: VpcEndpointRecord[] = [];
  for await (const page of paginateDescribeVpcEndpoints(
    { client: clients.ec2, pageSize: 1000 },
    { Filters: [{ Name: 'service-name', Values: [serviceName] }] },
  )) {
    for (const e of page.VpcEndpoints ?? []) {
      const tags = tagsToRecord(e.Tags);
      const dnsNames = (e.DnsEntries ?? [])
        .map(d => d.DnsName!)
        .filter(Boolean)
        .sort((a, b) => dnsNameRank(a) - dnsNameRank(b));
      vpcEndpoints.push({
        vpcEndpointId: e.VpcEndpointId!,
        vpcId: e.VpcId!,
        ownerAccountId: e.OwnerId ?? scope.accountId,
        region: scope.region,
        state: (e.State ?? 'unknown').toLowerCase(),
        privateDnsEnabled: e.PrivateDnsEnabled ?? false,
        serviceName: e.ServiceName ?? serviceName,
        dnsNames,
        subnetIds: e.SubnetIds ?? [],
        securityGroupIds: (e.Groups ?? []).map(g => g.GroupId!).filter(Boolean),
        tags,
        name: tags.Name,
      });
    }
  }

  const vpcIds = [...new Set(vpcEndpoints.map(e => e.vpcId))];
  const vpcs: VpcRecord[] = [];
  if (vpcIds.length > 0) {
    const result = await clients.ec2.send(
      new DescribeVpcsCommand({ VpcIds: vpcIds }),
    );
    for (const v of result.Vpcs ?? []) {
      const tags = tagsToRecord(v.Tags);
      vpcs.push({
        vpcId: v.VpcId!,
        accountId: v.OwnerId ?? scope.accountId,
        region: scope.region,
        cidrBlocks: [
          ...(v.CidrBlockAssociationSet ?? [])
            .map(c => c.CidrBlock!)
            .filter(Boolean),
          ...(v.Ipv6CidrBlockAssociationSet ?? [])
            .map(c => c.Ipv6CidrBlock!)
            .filter(Boolean),
        ]
          .filter((c, i, all) => all.indexOf(c) === i)
          .concat(
            v.CidrBlock &&
              !(v.CidrBlockAssociationSet ?? []).some(
                c => c.CidrBlock === v.CidrBlock,
              )
              ? [v.CidrBlock]
              : [],
          ),
        name: tags.Name,
        isDefault: v.IsDefault,
      });
    }
  }
  return { vpcEndpoints, vpcs };
}
