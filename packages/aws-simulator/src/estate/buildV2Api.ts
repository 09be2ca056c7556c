import { ids } from '../ids';
import {
  BuildContext,
  defaultDate,
  IssuePath,
  resolveAuthorization,
} from './buildContext';
import { findLoadBalancer } from './buildNetwork';
import { trafficSpec, vpcLinkV1Integration } from './buildRestApi';
import type {
  RegionState,
  V2ApiState,
  V2AuthorizerState,
  V2IntegrationState,
  V2RouteState,
} from './model';
import type { IntegrationInput, V2ApiInput } from './schema';

const HTTP_ROUTE_KEY =
  /^(\$default|(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) \/\S*)$/;

/** An HTTP or WebSocket API with its integrations, routes, authorizers and stages. */
export function buildV2Api(
  ctx: BuildContext,
  input: V2ApiInput,
  region: RegionState,
  path: IssuePath,
): V2ApiState {
  const { accountId } = region;
  const isHttp = input.protocol === 'HTTP';
  const apiId = ctx.allocateId(
    'API',
    input.id,
    `${accountId}:${region.region}:v2:${input.name}`,
    ids.api,
    [...path, 'id'],
  );
  const createdDate = input.createdDate
    ? new Date(input.createdDate)
    : defaultDate(apiId);

  const authorizers = (input.authorizers ?? []).map(
    (authorizer, i): V2AuthorizerState => {
      const authorizerPath = [...path, 'authorizers', i];
      if (authorizer.type === 'JWT' && !isHttp) {
        ctx.issue(
          [...authorizerPath, 'type'],
          'JWT authorizers exist on HTTP APIs only',
        );
      }
      const identitySource =
        typeof authorizer.identitySource === 'string'
          ? [authorizer.identitySource]
          : authorizer.identitySource ?? [
              isHttp
                ? '$request.header.Authorization'
                : 'route.request.header.Authorization',
            ];
      return {
        authorizerId: ctx.allocateId(
          'authorizer',
          authorizer.id,
          `${apiId}:authorizer:${authorizer.name}`,
          ids.short,
          [...authorizerPath, 'id'],
        ),
        name: authorizer.name,
        authorizerType: authorizer.type,
        identitySource,
        jwtConfiguration:
          authorizer.type === 'JWT'
            ? {
                issuer: authorizer.issuer!,
                audience: authorizer.audience ?? [],
              }
            : undefined,
        authorizerUri: authorizer.lambda
          ? ctx.lambdaInvokeUri(
              ctx.lambdaArn(authorizer.lambda, region.region, accountId),
              region.region,
            )
          : undefined,
        authorizerPayloadFormatVersion:
          authorizer.type === 'REQUEST' && isHttp
            ? authorizer.payloadFormatVersion ?? '2.0'
            : undefined,
        authorizerResultTtlInSeconds:
          authorizer.type === 'REQUEST' ? authorizer.ttl ?? 300 : undefined,
        enableSimpleResponses:
          authorizer.type === 'REQUEST' && isHttp
            ? authorizer.simpleResponses ?? false
            : undefined,
      };
    },
  );

  const api: V2ApiState = {
    apiId,
    accountId,
    region: region.region,
    name: input.name,
    protocolType: input.protocol,
    description: input.description,
    routeSelectionExpression:
      input.routeSelectionExpression ??
      (isHttp ? '$request.method $request.path' : '$request.body.action'),
    apiEndpoint: `${isHttp ? 'https' : 'wss'}://${apiId}.execute-api.${
      region.region
    }.amazonaws.com`,
    disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
    ipAddressType: input.ipAddressType ?? 'ipv4',
    tags: input.tags ?? {},
    createdDate,
    integrations: [],
    routes: [],
    authorizers,
    stages: [],
    openapi: input.openapi,
  };

  // Named integrations first; inline ones are shared when identical, so a routeDefaults
  // integration becomes one integration used by every route, as a person would build it.
  const byName = new Map<string, V2IntegrationState>();
  const inline = new Map<string, V2IntegrationState>();
  (input.integrations ?? []).forEach((integration, i) => {
    const integrationPath = [...path, 'integrations', i];
    if (byName.has(integration.name)) {
      ctx.issue(
        [...integrationPath, 'name'],
        `duplicate integration name '${integration.name}'`,
      );
    }
    const id = ctx.allocateId(
      'integration',
      integration.id,
      `${apiId}:integration:${integration.name}`,
      ids.v2,
      [...integrationPath, 'id'],
    );
    const built = buildV2Integration(
      ctx,
      integration,
      id,
      api,
      region,
      integrationPath,
    );
    byName.set(integration.name, built);
    api.integrations.push(built);
  });
  const resolveIntegration = (
    ref: string | IntegrationInput,
    refPath: IssuePath,
  ): V2IntegrationState | undefined => {
    if (typeof ref === 'string') {
      const found =
        byName.get(ref) ?? api.integrations.find(i => i.integrationId === ref);
      if (!found)
        ctx.issue(refPath, `'${ref}' is not an integration of API ${api.name}`);
      return found;
    }
    const key = JSON.stringify(ref);
    let built = inline.get(key);
    if (!built) {
      const id = ctx.allocateId(
        'integration',
        undefined,
        `${apiId}:integration:${key}`,
        ids.v2,
        refPath,
      );
      built = buildV2Integration(ctx, ref, id, api, region, refPath);
      inline.set(key, built);
      api.integrations.push(built);
    }
    return built;
  };

  (input.routes ?? []).forEach((route, i) => {
    const routePath = [...path, 'routes', i];
    if (isHttp && !HTTP_ROUTE_KEY.test(route.key)) {
      ctx.issue(
        [...routePath, 'key'],
        `'${route.key}' is not an HTTP API route key ('$default' or 'METHOD /path')`,
      );
    }
    if (api.routes.some(other => other.routeKey === route.key)) {
      ctx.issue([...routePath, 'key'], `duplicate route '${route.key}'`);
    }
    const merged = {
      ...input.routeDefaults,
      ...Object.fromEntries(
        Object.entries(route).filter(([, v]) => v !== undefined),
      ),
    } as typeof route;
    api.routes.push(
      buildRoute(ctx, merged, api, isHttp, resolveIntegration, routePath),
    );
  });

  const stageInputs = input.stages ?? [
    isHttp ? { name: '$default', autoDeploy: true } : { name: 'production' },
  ];
  stageInputs.forEach((stage, i) => {
    if (api.stages.some(other => other.stageName === stage.name)) {
      ctx.issue(
        [...path, 'stages', i, 'name'],
        `duplicate stage '${stage.name}'`,
      );
    }
    const lastUpdatedDate = stage.lastUpdated
      ? new Date(stage.lastUpdated)
      : createdDate;
    api.stages.push({
      stageName: stage.name,
      description: stage.description,
      autoDeploy: stage.autoDeploy ?? false,
      deploymentId:
        stage.deploymentId ?? ids.short(`${apiId}:deployment:${stage.name}`),
      createdDate,
      lastUpdatedDate,
      stageVariables: stage.variables,
      tags: stage.tags,
      traffic: trafficSpec(stage.traffic, `${apiId}:${stage.name}`),
    });
  });
  return api;
}

function buildRoute(
  ctx: BuildContext,
  route: NonNullable<V2ApiInput['routes']>[number],
  api: V2ApiState,
  isHttp: boolean,
  resolveIntegration: (
    ref: string | IntegrationInput,
    path: IssuePath,
  ) => V2IntegrationState | undefined,
  path: IssuePath,
): V2RouteState {
  const { authorizer, authorizationType } = resolveAuthorization(ctx, route, {
    apiName: api.name,
    authorizers: api.authorizers,
    idOf: a => a.authorizerId,
    kindOf: a => a.authorizerType,
    inferredOf: a => (a?.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM'),
    needAuthorizer: ['JWT', 'CUSTOM'],
    path,
  });
  if (!isHttp && authorizationType !== 'NONE' && route.key !== '$connect') {
    ctx.issue(
      [...path, 'authorization'],
      'WebSocket APIs authorize the $connect route only',
    );
  }
  if (isHttp && route.apiKeyRequired) {
    ctx.issue([...path, 'apiKeyRequired'], 'HTTP APIs have no API keys');
  }
  const integration = route.integration
    ? resolveIntegration(route.integration, [...path, 'integration'])
    : undefined;
  return {
    routeId: ctx.allocateId(
      'route',
      route.id,
      `${api.apiId}:route:${route.key}`,
      ids.v2,
      [...path, 'id'],
    ),
    routeKey: route.key,
    target: integration
      ? `integrations/${integration.integrationId}`
      : undefined,
    authorizationType,
    authorizerId: authorizer?.authorizerId,
    authorizationScopes: route.scopes,
    apiKeyRequired: route.apiKeyRequired ?? false,
  };
}

function buildV2Integration(
  ctx: BuildContext,
  input: IntegrationInput,
  integrationId: string,
  api: V2ApiState,
  region: RegionState,
  path: IssuePath,
): V2IntegrationState {
  const isHttp = api.protocolType === 'HTTP';
  const base = {
    integrationId,
    connectionType: 'INTERNET' as const,
    timeoutInMillis: input.timeoutMs ?? (isHttp ? 30000 : 29000),
    description: input.description,
  };
  let built: V2IntegrationState;
  if (input.lambda) {
    const fn = ctx.lambdaArn(input.lambda, region.region, region.accountId);
    built = {
      ...base,
      integrationType: 'AWS_PROXY',
      // HTTP APIs take the function ARN; WebSocket APIs the API Gateway invocation URI.
      integrationUri: isHttp ? fn : ctx.lambdaInvokeUri(fn, region.region),
      integrationMethod: 'POST',
      payloadFormatVersion:
        input.payloadFormatVersion ?? (isHttp ? '2.0' : '1.0'),
    };
  } else if (input.http) {
    built = {
      ...base,
      integrationType: 'HTTP_PROXY',
      integrationUri: input.http,
      integrationMethod: input.method ?? 'ANY',
      payloadFormatVersion: '1.0',
    };
  } else if (input.aws) {
    if (isHttp && !input.subtype) {
      ctx.issue(
        [...path, 'subtype'],
        'AWS service integrations of HTTP APIs need a subtype (e.g. SQS-SendMessage)',
      );
    }
    const target = input.aws.action
      ? `action/${input.aws.action}`
      : `path/${input.aws.path ?? ''}`;
    built = isHttp
      ? {
          ...base,
          integrationType: 'AWS_PROXY',
          integrationSubtype: input.subtype,
          payloadFormatVersion: '1.0',
        }
      : {
          ...base,
          integrationType: 'AWS',
          integrationUri: `arn:${ctx.partition}:apigateway:${region.region}:${input.aws.service}:${target}`,
          integrationMethod: input.method ?? 'POST',
        };
  } else if (input.vpcLink) {
    built = isHttp
      ? {
          ...base,
          ...vpcLinkV2Integration(ctx, input.vpcLink, region, [
            ...path,
            'vpcLink',
          ]),
          integrationMethod: input.method ?? 'ANY',
          payloadFormatVersion: '1.0',
        }
      : (() => {
          const v1 = vpcLinkV1Integration(
            ctx,
            input.vpcLink,
            input.method ?? 'POST',
            region,
            [...path, 'vpcLink'],
          );
          return {
            ...base,
            integrationType: v1.type,
            integrationUri: v1.uri,
            integrationMethod: v1.httpMethod,
            connectionType: v1.connectionType,
            connectionId: v1.connectionId,
          };
        })();
  } else {
    if (isHttp) ctx.issue(path, 'HTTP APIs have no MOCK integrations');
    built = { ...base, integrationType: 'MOCK' };
  }
  if (input.type) built.integrationType = input.type;
  if (input.uri) built.integrationUri = input.uri;
  if (input.subtype) built.integrationSubtype = input.subtype;
  if (input.tlsServerName)
    built.tlsConfig = { serverNameToVerify: input.tlsServerName };
  return built;
}

/**
 * A private integration of an HTTP API through a VPC link V2: the URI is an ALB or NLB
 * listener ARN, or a Cloud Map service ARN.
 */
function vpcLinkV2Integration(
  ctx: BuildContext,
  link: NonNullable<IntegrationInput['vpcLink']>,
  region: RegionState,
  path: IssuePath,
): Pick<
  V2IntegrationState,
  'integrationType' | 'integrationUri' | 'connectionType' | 'connectionId'
> {
  const found = region.vpcLinksV2.find(
    l => l.id === link.id || l.name === link.id,
  );
  if (!found) {
    const isV1 = region.vpcLinksV1.some(
      l => l.id === link.id || l.name === link.id,
    );
    ctx.issue(
      [...path, 'id'],
      isV1
        ? `'${link.id}' is a V1 VPC link: HTTP APIs use V2 links`
        : `'${link.id}' is not a V2 VPC link of account ${region.accountId} in ${region.region}`,
    );
  }
  const connection = {
    integrationType: 'HTTP_PROXY' as const,
    connectionType: 'VPC_LINK' as const,
    connectionId: found?.id ?? link.id,
  };
  if (link.cloudMapService) {
    const uri = link.cloudMapService.startsWith('arn:')
      ? link.cloudMapService
      : `arn:${ctx.partition}:servicediscovery:${region.region}:${
          region.accountId
        }:service/srv-${ids.hex(
          `${region.accountId}:${link.cloudMapService}`,
          16,
        )}`;
    return { ...connection, integrationUri: uri };
  }
  if (!link.loadBalancer) {
    ctx.issue(
      path,
      'a V2 private integration needs loadBalancer (ALB or NLB name) or cloudMapService',
    );
    return connection;
  }
  const lb = findLoadBalancer(region, link.loadBalancer);
  if (!lb) {
    ctx.issue(
      [...path, 'loadBalancer'],
      `'${link.loadBalancer}' is not a load balancer of account ${region.accountId} in ${region.region}`,
    );
    return connection;
  }
  const listener =
    link.port === undefined
      ? lb.listeners[0]
      : lb.listeners.find(l => l.port === link.port);
  if (!listener) {
    ctx.issue(
      [...path, 'port'],
      `load balancer ${lb.name} has no listener on port ${link.port}`,
    );
    return connection;
  }
  return { ...connection, integrationUri: listener.arn };
}
