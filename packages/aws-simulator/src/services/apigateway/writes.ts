import { ids } from '../../ids';
import { executeApiArn, normalizePolicy } from '../../estate/policy';
import { jsonBody, jsonResponse } from '../../protocols/restJson';
import { epochSeconds } from '../../protocols/types';
import type { DeploymentState, RestApiState } from '../../estate/model';
import { restApiShape } from './shapes';
import { badRequest, findRestApi, Handler } from './common';

/**
 * The two writes the access workflow needs: change the resource policy or the VPC
 * endpoint associations (UpdateRestApi), and redeploy a stage (CreateDeployment).
 */

const VPCE_PATH = '/endpointConfiguration/vpcEndpointIds';

interface PatchOperation {
  op?: unknown;
  path?: unknown;
  value?: unknown;
}

/**
 * Applies every patch operation to a draft first, so that one bad operation leaves the
 * API unchanged, as API Gateway does.
 */
export const updateRestApi: Handler = (ctx, req, params) => {
  const api = findRestApi(ctx, params.restApiId);
  const body = jsonBody(req);
  if (!Array.isArray(body.patchOperations)) {
    throw badRequest('patchOperations must be a list of {op, path, value}');
  }
  const draft = {
    policy: api.policy,
    vpcEndpointIds: [...api.vpcEndpointIds],
    name: api.name,
    description: api.description,
  };
  for (const operation of body.patchOperations as PatchOperation[]) {
    const { op, path, value } = operation ?? {};
    if (op !== 'add' && op !== 'remove' && op !== 'replace') {
      throw badRequest(
        `Invalid patch operation '${String(
          op,
        )}': the simulator supports add, remove and replace`,
      );
    }
    if (path === '/policy' && op === 'replace') {
      draft.policy = patchedPolicy(
        value,
        executeApiArn(ctx.estate.partition, api.region, api.accountId, api.id),
      );
    } else if (path === VPCE_PATH && (op === 'add' || op === 'remove')) {
      if (api.endpointType !== 'PRIVATE') {
        throw badRequest(
          `Only PRIVATE APIs have VPC endpoint associations; ${api.id} is ${api.endpointType}`,
        );
      }
      if (typeof value !== 'string' || !/^vpce-[0-9a-f]{8,17}$/.test(value)) {
        throw badRequest(`Invalid VPC endpoint id '${String(value)}'`);
      }
      if (op === 'add') {
        const endpoint = ctx.estate.vpcEndpointsById.get(value);
        if (!endpoint || endpoint.region !== api.region) {
          throw badRequest(
            `VPC endpoint ${value} does not exist in ${api.region}`,
          );
        }
        // Adding an endpoint that is already associated changes nothing (idempotent).
        if (!draft.vpcEndpointIds.includes(value))
          draft.vpcEndpointIds.push(value);
      } else {
        if (!draft.vpcEndpointIds.includes(value)) {
          throw badRequest(
            `VPC endpoint ${value} is not associated with API ${api.id}`,
          );
        }
        draft.vpcEndpointIds = draft.vpcEndpointIds.filter(id => id !== value);
      }
    } else if (
      (path === '/name' || path === '/description') &&
      op === 'replace'
    ) {
      if (
        typeof value !== 'string' ||
        (path === '/name' && value.length === 0)
      ) {
        throw badRequest(`Invalid value for ${path}`);
      }
      draft[path === '/name' ? 'name' : 'description'] = value;
    } else {
      throw badRequest(
        `Invalid patch path '${String(
          path,
        )}' for op '${op}': the simulator supports replace /policy, ` +
          `add|remove ${VPCE_PATH}, replace /name and replace /description`,
      );
    }
  }
  Object.assign(api, draft);
  return jsonResponse(restApiShape(api), ctx.requestId);
};

/** The new policy: JSON text, or empty to remove it. Stored with `execute-api:/` expanded. */
function patchedPolicy(value: unknown, arnPrefix: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw badRequest('The /policy value must be a JSON string');
  try {
    const document = JSON.parse(value);
    if (
      !document ||
      typeof document !== 'object' ||
      !Array.isArray(document.Statement)
    ) {
      throw new SyntaxError('no Statement list');
    }
    return normalizePolicy(document, arnPrefix);
  } catch (error) {
    throw badRequest(
      `Invalid policy document: ${
        (error as Error).message
      }. Please check the policy syntax and ensure that Principals are valid.`,
    );
  }
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A new deployment; with stageName, the stage points at it (created if missing). A
 * private API without a resource policy cannot be deployed (AWS-FACTS §5).
 */
export const createDeployment: Handler = (ctx, req, params) => {
  const api = findRestApi(ctx, params.restApiId);
  const body = jsonBody(req);
  const stageName = body.stageName;
  if (
    stageName !== undefined &&
    (typeof stageName !== 'string' || !STAGE_NAME.test(stageName))
  ) {
    throw badRequest(
      `Invalid stageName '${String(stageName)}': use letters, digits, - and _`,
    );
  }
  if (!api.resources.some(resource => resource.methods.size > 0)) {
    throw badRequest("The REST API doesn't contain any methods");
  }
  if (api.endpointType === 'PRIVATE' && api.policy === undefined) {
    throw badRequest(
      "Private REST API doesn't have a resource policy attached to it",
    );
  }
  const cacheClusterSize = body.cacheClusterSize;
  if (
    cacheClusterSize !== undefined &&
    !['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'].includes(
      String(cacheClusterSize),
    )
  ) {
    throw badRequest(`Invalid cacheClusterSize '${String(cacheClusterSize)}'`);
  }

  const taken = new Set(api.deployments.map(d => d.id));
  const seed = `${api.id}:deployment#${api.deployments.length}`;
  let id = ids.short(seed);
  for (let n = 0; taken.has(id); n++) id = ids.short(`${seed}:${n}`);
  const deployment: DeploymentState = {
    id,
    description:
      typeof body.description === 'string' ? body.description : undefined,
    createdDate: ctx.now,
    snapshot: snapshotOf(api),
  };
  api.deployments.push(deployment);

  if (typeof stageName === 'string') {
    let stage = api.stages.find(s => s.stageName === stageName);
    if (!stage) {
      stage = {
        stageName,
        deploymentId: id,
        createdDate: ctx.now,
        lastUpdatedDate: ctx.now,
        cacheClusterEnabled: false,
        cacheClusterStatus: 'NOT_AVAILABLE',
        tracingEnabled: false,
        methodSettings: {},
        // A stage created now has no traffic history.
        traffic: { daily: 0, connectsPerDay: 0 },
      };
      api.stages.push(stage);
    }
    stage.deploymentId = id;
    stage.lastUpdatedDate = ctx.now;
    if (typeof body.stageDescription === 'string')
      stage.description = body.stageDescription;
    if (typeof body.tracingEnabled === 'boolean')
      stage.tracingEnabled = body.tracingEnabled;
    if (body.variables && typeof body.variables === 'object') {
      stage.variables = {
        ...stage.variables,
        ...(body.variables as Record<string, string>),
      };
    }
    if (typeof body.cacheClusterEnabled === 'boolean') {
      stage.cacheClusterEnabled = body.cacheClusterEnabled;
      stage.cacheClusterStatus = body.cacheClusterEnabled
        ? 'AVAILABLE'
        : 'NOT_AVAILABLE';
      stage.cacheClusterSize = body.cacheClusterEnabled
        ? String(cacheClusterSize ?? stage.cacheClusterSize ?? '0.5')
        : undefined;
    }
  }
  return jsonResponse(
    {
      id,
      description: deployment.description,
      createdDate: epochSeconds(deployment.createdDate),
    },
    ctx.requestId,
    201,
  );
};

/** A copy of what a deployment freezes, so later edits of the working copy leave it alone. */
export function snapshotOf(
  api: RestApiState,
): NonNullable<DeploymentState['snapshot']> {
  return {
    resources: api.resources.map(resource => ({
      ...resource,
      methods: new Map(
        [...resource.methods].map(([name, method]) => [
          name,
          {
            ...method,
            authorizationScopes: method.authorizationScopes && [
              ...method.authorizationScopes,
            ],
            integration: { ...method.integration },
          },
        ]),
      ),
    })),
    authorizers: api.authorizers.map(authorizer => ({
      ...authorizer,
      providerARNs: authorizer.providerARNs && [...authorizer.providerARNs],
    })),
  };
}
