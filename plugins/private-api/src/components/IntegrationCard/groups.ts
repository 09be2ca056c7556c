import {
  ApiRecord,
  IntegrationRecord,
  IntegrationTarget,
  RouteRecord,
} from '@private-api-catalog/plugin-private-api-common';

/** The routes that send their requests to one target. */
export interface TargetGroup {
  key: string;
  /** Undefined for routes without an integration. */
  target?: IntegrationTarget;
  integrations: IntegrationRecord[];
  routes: RouteRecord[];
}

function targetKey(target: IntegrationTarget): string {
  switch (target.kind) {
    case 'lambda':
      return `lambda:${target.functionArn}`;
    case 'http':
      return `http:${target.url}`;
    case 'aws-service':
      return `aws:${target.uri}`;
    case 'vpc-link':
      // V1 links carry the path in each URI: group by link and load balancer, not by URI.
      return `vpc-link:${target.vpcLinkId}:${target.targetArn ?? ''}`;
    default:
      return 'mock';
  }
}

/** Routes grouped by where their integration sends them. */
export function groupByTarget(api: ApiRecord): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  const add = (key: string, target?: IntegrationTarget) => {
    const group = groups.get(key) ?? {
      key,
      target,
      integrations: [],
      routes: [],
    };
    groups.set(key, group);
    return group;
  };
  const routes = [...api.routes].sort((a, b) =>
    a.routeKey.localeCompare(b.routeKey),
  );
  for (const route of routes) {
    const integration = api.integrations.find(
      i => i.id === route.integrationId,
    );
    if (!integration) {
      add('none').routes.push(route);
      continue;
    }
    const group = add(targetKey(integration.target), integration.target);
    group.routes.push(route);
    if (!group.integrations.includes(integration)) {
      group.integrations.push(integration);
    }
  }
  // Integrations no route uses (left over after a route was deleted) still cost and matter.
  for (const integration of api.integrations) {
    if (!routes.some(r => r.integrationId === integration.id)) {
      const group = add(targetKey(integration.target), integration.target);
      if (!group.integrations.includes(integration)) {
        group.integrations.push(integration);
      }
    }
  }
  // The busiest targets first; routes without an integration last.
  return [...groups.values()].sort(
    (a, b) =>
      Number(a.key === 'none') - Number(b.key === 'none') ||
      b.routes.length - a.routes.length,
  );
}
