/**
 * Routes, integrations and authorizers read from an OpenAPI export: REST `GetExport`
 * (`oas30`, `extensions=integrations,authorizers`) or HTTP `ExportApi` (extensions are in
 * by default). Pure: the crawlers fetch the documents, these functions say what they mean.
 *
 * An export carries no resource, route, integration or authorizer ids. Routes and
 * integrations are keyed by their route key (`GET /pets`), authorizers by their name (the
 * security scheme's name is the authorizer's name), which is unique within an API.
 *
 * Export documents: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 */
import type {
  ApiType,
  AuthorizationType,
  AuthorizerRecord,
  IntegrationRecord,
  RouteRecord,
} from '@private-api-catalog/plugin-private-api-common';
import {
  lambdaArnFromUri,
  restIntegrationRecord,
  v2IntegrationRecord,
} from './normalize';

type Json = Record<string, any>;

const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];
const ANY_METHOD = 'x-amazon-apigateway-any-method';
const INTEGRATION = 'x-amazon-apigateway-integration';
const AUTHORIZER = 'x-amazon-apigateway-authorizer';
const AUTHTYPE = 'x-amazon-apigateway-authtype';

export interface ExportedDetails {
  routes: RouteRecord[];
  integrations: IntegrationRecord[];
  authorizers: AuthorizerRecord[];
}

/** Parses an export's text; a document that is not JSON is reported with the API it came from. */
export function parseExport(content: string, apiId: string): Json {
  try {
    const document = JSON.parse(content);
    if (document && typeof document === 'object') return document;
  } catch {
    // reported below
  }
  throw new Error(`The export of API ${apiId} is not a JSON document`);
}

function securitySchemes(document: Json): Json {
  return (
    document.components?.securitySchemes ?? document.securityDefinitions ?? {}
  );
}

function splitSources(source: unknown): string[] | undefined {
  if (Array.isArray(source)) return source.map(String);
  if (typeof source !== 'string' || !source) return undefined;
  return source
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

function authorizerFromScheme(
  name: string,
  scheme: Json,
  apiType: ApiType,
): AuthorizerRecord | undefined {
  const a = scheme[AUTHORIZER];
  if (!a || typeof a !== 'object') return undefined;
  const type = String(a.type ?? '').toLowerCase();
  const common = {
    id: name,
    name,
    authorizerUri: a.authorizerUri,
    lambdaArn: lambdaArnFromUri(a.authorizerUri),
    identitySource: splitSources(a.identitySource),
    resultTtlSeconds: a.authorizerResultTtlInSeconds,
  };
  if (type === 'jwt') {
    return {
      ...common,
      type: 'JWT',
      jwtIssuer: a.jwtConfiguration?.issuer,
      jwtAudience: a.jwtConfiguration?.audience,
    };
  }
  if (type === 'cognito_user_pools') {
    return {
      ...common,
      type: 'COGNITO_USER_POOLS',
      providerArns: a.providerARNs,
    };
  }
  if (apiType !== 'REST') return { ...common, type: 'REQUEST' };
  return { ...common, type: type === 'request' ? 'REQUEST' : 'TOKEN' };
}

/** The integration extension of an operation, following a `$ref` to the shared ones (HTTP). */
function integrationOf(document: Json, operation: Json): Json | undefined {
  const integration = operation[INTEGRATION];
  const ref = integration?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    return ref
      .slice(2)
      .split('/')
      .reduce<any>((node, key) => node?.[key], document);
  }
  return integration;
}

function integrationRecord(
  id: string,
  x: Json,
  apiType: ApiType,
): IntegrationRecord {
  const type = String(x.type ?? 'mock').toUpperCase();
  if (apiType === 'REST') {
    return restIntegrationRecord(id, {
      type: type as IntegrationRecord['type'],
      uri: x.uri,
      connectionType: x.connectionType,
      connectionId: x.connectionId,
      integrationTarget: x.integrationTarget,
    });
  }
  return v2IntegrationRecord({
    IntegrationId: id,
    IntegrationType: type as IntegrationRecord['type'],
    IntegrationUri: x.uri,
    ConnectionType: x.connectionType,
    ConnectionId: x.connectionId,
    IntegrationSubtype: x.integrationSubtype,
  });
}

/** The route key an operation of a path has: `GET /pets`, `ANY /{proxy+}`, `$default`. */
function routeKeyOf(path: string, method: string): string {
  if (path === '/$default') return '$default';
  return `${method === ANY_METHOD ? 'ANY' : method.toUpperCase()} ${path}`;
}

/** Everything an export says about how callers reach the API and what stands behind it. */
export function detailsFromExport(
  document: Json,
  apiType: ApiType,
): ExportedDetails {
  const schemes = securitySchemes(document);
  const authorizers = new Map<string, AuthorizerRecord>();
  for (const [name, scheme] of Object.entries<Json>(schemes)) {
    const authorizer = authorizerFromScheme(name, scheme, apiType);
    if (authorizer) authorizers.set(name, authorizer);
  }

  const routes: RouteRecord[] = [];
  const integrations = new Map<string, IntegrationRecord>();
  /** HTTP routes share integrations: one record per distinct integration, as the API has. */
  const integrationIds = new Map<string, string>();
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of [...HTTP_METHODS, ANY_METHOD]) {
      const operation = item?.[method];
      if (!operation || typeof operation !== 'object') continue;
      const routeKey = routeKeyOf(path, method);
      let authorizationType: AuthorizationType = 'NONE';
      let authorizerId: string | undefined;
      let authorizationScopes: string[] | undefined;
      let apiKeyRequired = false;
      for (const requirement of (operation.security ?? []) as Json[]) {
        for (const [name, scopes] of Object.entries(requirement)) {
          const scheme = schemes[name] ?? {};
          const authorizer = authorizers.get(name);
          if (String(scheme[AUTHTYPE]).toLowerCase() === 'awssigv4') {
            authorizationType = 'AWS_IAM';
          } else if (authorizer) {
            authorizerId = authorizer.id;
            authorizationType =
              authorizer.type === 'JWT' ||
              authorizer.type === 'COGNITO_USER_POOLS'
                ? authorizer.type
                : 'CUSTOM';
            if (Array.isArray(scopes) && scopes.length > 0)
              authorizationScopes = scopes.map(String);
          } else if (scheme.type === 'apiKey' && apiType === 'REST') {
            // The usage-plan key: `api_key`, header x-api-key.
            apiKeyRequired = true;
          }
        }
      }
      const x = integrationOf(document, operation);
      let integrationId: string | undefined;
      if (x && typeof x === 'object') {
        const sameAs = apiType === 'REST' ? routeKey : JSON.stringify(x);
        integrationId = integrationIds.get(sameAs);
        if (!integrationId) {
          integrationId = routeKey;
          integrationIds.set(sameAs, integrationId);
          integrations.set(
            integrationId,
            integrationRecord(integrationId, x, apiType),
          );
        }
      }
      const [routeMethod, routePath] =
        routeKey === '$default' ? [undefined, undefined] : routeKey.split(' ');
      routes.push({
        id: routeKey,
        method: routeMethod,
        path: routePath,
        routeKey,
        authorizationType,
        authorizerId,
        apiKeyRequired,
        authorizationScopes,
        integrationId,
      });
    }
  }
  return {
    routes,
    integrations: [...integrations.values()],
    authorizers: [...authorizers.values()],
  };
}

/**
 * The export as the catalog shows it: without API Gateway's extensions, which name
 * backends and authorizer functions and are not part of the API's contract.
 */
export function withoutGatewayExtensions(document: Json): Json {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key]) => !key.startsWith('x-amazon-apigateway-'))
        .map(([key, value]) => [key, strip(value)]),
    );
  };
  return strip(document) as Json;
}

/**
 * Routes of every distinct deployment merged into one list. Where stages run different
 * deployments, each route says which stages have it; its settings come from the first
 * deployment (the one the API page describes) that has it.
 */
export function mergeDeployments(
  deployments: Array<{ stageNames: string[]; details: ExportedDetails }>,
): ExportedDetails {
  if (deployments.length === 1) return deployments[0].details;
  const routes = new Map<string, RouteRecord>();
  const integrations = new Map<string, IntegrationRecord>();
  const authorizers = new Map<string, AuthorizerRecord>();
  const stagesOf = new Map<string, string[]>();
  for (const { stageNames, details } of deployments) {
    for (const route of details.routes) {
      if (!routes.has(route.id)) {
        routes.set(route.id, route);
        const integration = details.integrations.find(
          i => i.id === route.integrationId,
        );
        if (integration && !integrations.has(integration.id))
          integrations.set(integration.id, integration);
        const authorizer = details.authorizers.find(
          a => a.id === route.authorizerId,
        );
        if (authorizer && !authorizers.has(authorizer.id))
          authorizers.set(authorizer.id, authorizer);
      }
      stagesOf.set(route.id, [
        ...(stagesOf.get(route.id) ?? []),
        ...stageNames,
      ]);
    }
    for (const authorizer of details.authorizers) {
      if (!authorizers.has(authorizer.id))
        authorizers.set(authorizer.id, authorizer);
    }
  }
  return {
    routes: [...routes.values()].map(route => ({
      ...route,
      stages: [...stagesOf.get(route.id)!].sort(),
    })),
    integrations: [...integrations.values()],
    authorizers: [...authorizers.values()],
  };
}
