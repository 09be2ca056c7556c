/** Turns the stored inventory (traffic, stages, VPC links) into the usage a cost estimate needs. */
import { ApiRecord } from '../inventory/types';
import {
  ApiUsage,
  CostUsage,
  DEFAULT_HOURS_PER_MONTH,
  VpcLinkUsage,
} from './estimate';

/**
 * CloudWatch counts WebSocket connections (ConnectCount), not how long they stay open; the
 * estimate takes each to last this long. Ten minutes is API Gateway's idle timeout: a
 * connection that sends nothing is closed then (busy ones may stay up to two hours).
 */
export const DEFAULT_WEBSOCKET_CONNECTION_MINUTES = 10;

/** A month's requests from CloudWatch's total over its period (days with a data point). */
export function monthlyRequestsFromTraffic(
  traffic: { total: number; periodDays: number },
  hoursPerMonth = DEFAULT_HOURS_PER_MONTH,
): number {
  return Math.round(
    (traffic.total / traffic.periodDays) * (hoursPerMonth / 24),
  );
}

/**
 * The usage of the APIs in a month: requests scaled from the traffic CloudWatch reported
 * over its period, enabled stage caches, and the VPC links the APIs use with their load
 * balancers (a link shared by several APIs appears once). APIs without traffic data count
 * zero requests, and the usage says so.
 */
export function usageFromInventory(
  apis: ApiRecord[],
  options: { hoursPerMonth?: number; websocketConnectionMinutes?: number } = {},
): CostUsage {
  const hours = options.hoursPerMonth ?? DEFAULT_HOURS_PER_MONTH;
  const connectionMinutes =
    options.websocketConnectionMinutes ?? DEFAULT_WEBSOCKET_CONNECTION_MINUTES;
  const assumptions: string[] = [];
  const links = new Map<string, VpcLinkUsage>();
  const usages: ApiUsage[] = apis.map(api => {
    const traffic = api.traffic;
    let monthlyRequests = 0;
    if (traffic && traffic.periodDays > 0) {
      monthlyRequests = monthlyRequestsFromTraffic(traffic, hours);
      assumptions.push(
        `Requests of ${api.name} are its last ${traffic.periodDays} days of traffic scaled to a month.`,
      );
    } else {
      assumptions.push(
        `No traffic data for ${api.name} (${api.apiId}): no requests counted.`,
      );
    }
    let monthlyConnectionMinutes: number | undefined;
    if (
      api.apiType === 'WEBSOCKET' &&
      traffic?.connectCount !== undefined &&
      traffic.periodDays > 0
    ) {
      const connections =
        (traffic.connectCount / traffic.periodDays) * (hours / 24);
      monthlyConnectionMinutes = Math.round(connections * connectionMinutes);
      assumptions.push(
        `Connection minutes of ${api.name} assume each of its ${Math.round(
          connections,
        ).toLocaleString(
          'en-US',
        )} connections a month stays open ${connectionMinutes} minutes (CloudWatch counts connections, not their length).`,
      );
    }
    const linkIds = new Set(api.vpcLinks.map(l => l.id));
    for (const integration of api.integrations) {
      if (integration.target.kind === 'vpc-link')
        linkIds.add(integration.target.vpcLinkId);
    }
    for (const link of api.vpcLinks) {
      const key = `${api.accountId}|${api.region}|${link.id}`;
      if (links.has(key)) continue;
      const known = link.loadBalancers
        .filter(lb => lb.type === 'network' || lb.type === 'application')
        .map(lb => ({
          arn: lb.arn,
          type: lb.type as 'network' | 'application',
        }));
      // A V1 link names its NLBs even when discovery could not describe them.
      const fromTargets = (link.targetArns ?? [])
        .filter(arn => !known.some(lb => lb.arn === arn))
        .map(arn => ({ arn, type: 'network' as const }));
      links.set(key, {
        id: link.id,
        accountId: api.accountId,
        region: api.region,
        loadBalancers: [...known, ...fromTargets],
      });
    }
    return {
      apiId: api.apiId,
      name: api.name,
      accountId: api.accountId,
      region: api.region,
      apiType: api.apiType,
      endpointType: api.endpointType,
      monthlyRequests,
      ...(monthlyConnectionMinutes !== undefined
        ? { monthlyConnectionMinutes }
        : {}),
      caches: api.stages
        .filter(s => s.cacheClusterEnabled && s.cacheClusterSize)
        .map(s => ({ stage: s.stageName, sizeGb: s.cacheClusterSize! })),
      vpcLinkIds: [...linkIds],
    };
  });
  return {
    apis: usages,
    vpcLinks: [...links.values()],
    hoursPerMonth: hours,
    assumptions,
  };
}
