import { ids } from '../ids';
import { snapshotOf } from '../services/apigateway/writes';
import type { Estate, RestApiState, V2ApiState } from './model';

/**
 * Changes an owner makes to an API, for benchmarks and tests of the change feed: a new
 * route, deployed to every stage. Returns the API calls the owner would have made, which
 * the simulator records as CloudTrail events.
 */
export interface ApiChange {
  accountId: string;
  region: string;
  apiId: string;
  /** The new route's path, one segment: `/added-1`. */
  path: string;
}

export interface OwnerCall {
  eventName: string;
  requestParameters: Record<string, unknown>;
  responseElements?: Record<string, unknown>;
}

export class ChangeError extends Error {}

const PATH = /^\/[A-Za-z0-9._-]{1,64}$/;

export function applyChange(
  estate: Estate,
  change: ApiChange,
  now: Date,
): OwnerCall[] {
  if (!PATH.test(String(change.path))) {
    throw new ChangeError(
      `Invalid path '${change.path}': one segment such as /added-1`,
    );
  }
  const region = estate.accountsById
    .get(String(change.accountId))
    ?.regions.get(String(change.region));
  const rest = region?.restApis.find(a => a.id === change.apiId);
  if (rest) return addRestRoute(rest, change.path, now);
  const v2 = region?.v2Apis.find(a => a.apiId === change.apiId);
  if (v2) return addV2Route(v2, change.path, now);
  throw new ChangeError(
    `No API ${change.apiId} in account ${change.accountId}, Region ${change.region}`,
  );
}

function addRestRoute(api: RestApiState, path: string, now: Date): OwnerCall[] {
  const restApiId = api.id;
  if (api.resources.some(r => r.path === path)) {
    throw new ChangeError(`API ${restApiId} already has a resource ${path}`);
  }
  const resourceId = ids.short(`${restApiId}:resource:${path}`);
  const resource = {
    id: resourceId,
    parentId: api.rootResourceId,
    pathPart: path.slice(1),
    path,
    methods: new Map([
      [
        'GET',
        {
          httpMethod: 'GET',
          authorizationType: 'NONE',
          apiKeyRequired: false,
          integration: {
            type: 'MOCK' as const,
            connectionType: 'INTERNET' as const,
            timeoutInMillis: 29_000,
            passthroughBehavior: 'WHEN_NO_MATCH',
            cacheNamespace: resourceId,
          },
        },
      ],
    ]),
  };
  api.resources.push(resource);
  api.resourcesById.set(resourceId, resource);
  const calls: OwnerCall[] = [
    {
      eventName: 'CreateResource',
      requestParameters: {
        restApiId,
        parentId: api.rootResourceId,
        createResourceInput: { pathPart: path.slice(1) },
      },
      responseElements: { id: resourceId, path },
    },
    {
      eventName: 'PutMethod',
      requestParameters: { restApiId, resourceId, httpMethod: 'GET' },
    },
    {
      eventName: 'PutIntegration',
      requestParameters: { restApiId, resourceId, httpMethod: 'GET' },
    },
  ];
  for (const stage of api.stages) {
    const id = ids.short(`${restApiId}:deployment#${api.deployments.length}`);
    api.deployments.push({ id, createdDate: now, snapshot: snapshotOf(api) });
    stage.deploymentId = id;
    stage.lastUpdatedDate = now;
    calls.push({
      eventName: 'CreateDeployment',
      requestParameters: {
        restApiId,
        createDeploymentInput: { stageName: stage.stageName },
      },
      responseElements: { id },
    });
  }
  return calls;
}

function addV2Route(api: V2ApiState, path: string, now: Date): OwnerCall[] {
  const routeKey = api.protocolType === 'HTTP' ? `GET ${path}` : path.slice(1);
  if (api.routes.some(r => r.routeKey === routeKey)) {
    throw new ChangeError(`API ${api.apiId} already has a route ${routeKey}`);
  }
  const routeId = ids.v2(`${api.apiId}:route:${routeKey}`);
  const integration = api.integrations[0];
  api.routes.push({
    routeId,
    routeKey,
    target: integration && `integrations/${integration.integrationId}`,
    authorizationType: 'NONE',
    apiKeyRequired: false,
  });
  const calls: OwnerCall[] = [
    {
      eventName: 'CreateRoute',
      requestParameters: { apiId: api.apiId, routeKey },
      responseElements: { routeId, routeKey },
    },
  ];
  for (const stage of api.stages) {
    const id = ids.short(
      `${api.apiId}:deployment:${routeId}:${stage.stageName}`,
    );
    stage.deploymentId = id;
    stage.lastUpdatedDate = now;
    // A stage with automatic deployment redeploys itself; others are deployed by the owner.
    if (!stage.autoDeploy) {
      calls.push({
        eventName: 'CreateDeployment',
        requestParameters: { apiId: api.apiId, stageName: stage.stageName },
        responseElements: { deploymentId: id },
      });
    }
  }
  return calls;
}
