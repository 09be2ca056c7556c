import type {
  MethodState,
  RestApiState,
  RestAuthorizerState,
  V2ApiState,
  V2IntegrationState,
} from './model';

/**
 * OpenAPI documents as GetExport (REST) and ExportApi (HTTP) produce them, generated from
 * the estate's resources and routes unless the estate supplies a hand-written one.
 */

export interface RestExportOptions {
  /** oas30 or swagger (2.0). */
  exportType: 'oas30' | 'swagger';
  stageName: string;
  /** GetExport `extensions`: integrations, authorizers, apigateway (both), postman. */
  extensions: string[];
}

type Json = Record<string, unknown>;

export function restApiExport(
  api: RestApiState,
  options: RestExportOptions,
): Json {
  return overHandWritten(api.openapi, generatedRestExport(api, options));
}

/**
 * An estate's hand-written document (schemas, descriptions) with what API Gateway itself
 * writes into every export laid over it: each operation's security and integration, and the
 * security schemes. AWS generates exports from the API, so these always match its methods.
 */
function overHandWritten(handWritten: Json | undefined, generated: Json): Json {
  if (!handWritten) return generated;
  const document = structuredClone(handWritten) as Json;
  const paths = (document.paths ?? {}) as Record<string, Json>;
  for (const [path, operations] of Object.entries(
    generated.paths as Record<string, Json>,
  )) {
    paths[path] ??= {};
    for (const [method, operation] of Object.entries(operations)) {
      const written = (paths[path][method] ??= {}) as Json;
      for (const key of ['security', 'x-amazon-apigateway-integration']) {
        if ((operation as Json)[key] !== undefined)
          written[key] = (operation as Json)[key];
      }
    }
  }
  document.paths = paths;
  const schemes = (generated.components as Json | undefined)?.securitySchemes;
  if (schemes) {
    const components = (document.components ?? {}) as Json;
    components.securitySchemes = {
      ...(components.securitySchemes as Json | undefined),
      ...(schemes as Json),
    };
    document.components = components;
  }
  return document;
}

function generatedRestExport(
  api: RestApiState,
  options: RestExportOptions,
): Json {
  const withIntegrations = options.extensions.some(
    e => e === 'integrations' || e === 'apigateway',
  );
  const withAuthorizers = options.extensions.some(
    e => e === 'authorizers' || e === 'apigateway',
  );
  const isOas3 = options.exportType === 'oas30';
  const host = `${api.id}.execute-api.${api.region}.amazonaws.com`;

  const paths: Json = {};
  const schemes: Json = {};
  for (const resource of api.resources) {
    if (resource.methods.size === 0) continue;
    const operations: Json = {};
    const pathParams = [...resource.path.matchAll(/\{([^}+]+)\+?\}/g)].map(
      m => m[1],
    );
    for (const method of resource.methods.values()) {
      const security = securityOf(
        method,
        api.authorizers,
        schemes,
        withAuthorizers,
      );
      operations[
        method.httpMethod === 'ANY'
          ? 'x-amazon-apigateway-any-method'
          : method.httpMethod.toLowerCase()
      ] = {
        operationId: method.operationName,
        parameters: pathParams.length
          ? pathParams.map(name => ({
              name,
              in: 'path',
              required: true,
              ...(isOas3 ? { schema: { type: 'string' } } : { type: 'string' }),
            }))
          : undefined,
        responses: {
          '200': isOas3
            ? { description: '200 response', content: {} }
            : { description: '200 response' },
        },
        security: security.length ? security : undefined,
        'x-amazon-apigateway-integration': withIntegrations
          ? {
              type: method.integration.type.toLowerCase(),
              httpMethod: method.integration.httpMethod,
              uri: method.integration.uri,
              connectionType:
                method.integration.connectionType === 'VPC_LINK'
                  ? 'VPC_LINK'
                  : undefined,
              connectionId: method.integration.connectionId,
              passthroughBehavior:
                method.integration.passthroughBehavior.toLowerCase(),
              timeoutInMillis: method.integration.timeoutInMillis,
            }
          : undefined,
      };
    }
    paths[resource.path] = operations;
  }

  const info = {
    title: api.name,
    description: api.description,
    version: api.createdDate.toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  const apigateway =
    withIntegrations || withAuthorizers
      ? {
          'x-amazon-apigateway-policy':
            api.policy === undefined ? undefined : JSON.parse(api.policy),
          'x-amazon-apigateway-endpoint-configuration':
            api.endpointType === 'PRIVATE'
              ? { vpcEndpointIds: api.vpcEndpointIds }
              : undefined,
        }
      : {};
  return isOas3
    ? {
        openapi: '3.0.1',
        info,
        servers: [
          {
            url: `https://${host}/{basePath}`,
            variables: { basePath: { default: options.stageName } },
          },
        ],
        paths,
        components: Object.keys(schemes).length
          ? { securitySchemes: schemes }
          : undefined,
        ...apigateway,
      }
    : {
        swagger: '2.0',
        info,
        host,
        basePath: `/${options.stageName}`,
        schemes: ['https'],
        paths,
        securityDefinitions: Object.keys(schemes).length ? schemes : undefined,
        ...apigateway,
      };
}

/** IAM authorization as API Gateway exports it: the `sigv4` scheme, declared once. */
function sigv4Security(schemes: Json): Json {
  schemes.sigv4 = {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'awsSigv4',
  };
  return { sigv4: [] };
}

function securityOf(
  method: MethodState,
  authorizers: RestAuthorizerState[],
  schemes: Json,
  withAuthorizers: boolean,
): Json[] {
  const security: Json[] = [];
  if (method.authorizationType === 'AWS_IAM') {
    security.push(sigv4Security(schemes));
  }
  const authorizer = authorizers.find(a => a.id === method.authorizerId);
  if (authorizer) {
    schemes[authorizer.name] = {
      type: 'apiKey',
      name: authorizer.identitySource.replace(/^method\.request\.header\./, ''),
      in: 'header',
      'x-amazon-apigateway-authtype':
        authorizer.type === 'COGNITO_USER_POOLS'
          ? 'cognito_user_pools'
          : 'custom',
      'x-amazon-apigateway-authorizer': withAuthorizers
        ? {
            type:
              authorizer.type === 'COGNITO_USER_POOLS'
                ? 'cognito_user_pools'
                : authorizer.type.toLowerCase(),
            providerARNs: authorizer.providerARNs,
            authorizerUri: authorizer.authorizerUri,
            identitySource: authorizer.identitySource,
            authorizerResultTtlInSeconds:
              authorizer.authorizerResultTtlInSeconds,
          }
        : undefined,
    };
    security.push({ [authorizer.name]: method.authorizationScopes ?? [] });
  }
  if (method.apiKeyRequired) {
    schemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
    security.push({ api_key: [] });
  }
  return security;
}

/** ExportApi of an HTTP API (OAS 3.0). */
export function httpApiExport(
  api: V2ApiState,
  stageName: string | undefined,
  includeExtensions: boolean,
): Json {
  return overHandWritten(
    api.openapi,
    generatedHttpExport(api, stageName, includeExtensions),
  );
}

function generatedHttpExport(
  api: V2ApiState,
  stageName: string | undefined,
  includeExtensions: boolean,
): Json {
  const integrations = new Map(api.integrations.map(i => [i.integrationId, i]));
  const paths: Record<string, Json> = {};
  const schemes: Json = {};
  for (const route of api.routes) {
    const [method, path] =
      route.routeKey === '$default'
        ? ['ANY', '/$default']
        : route.routeKey.split(' ');
    const integration = route.target
      ? integrations.get(route.target.replace('integrations/', ''))
      : undefined;
    const authorizer = api.authorizers.find(
      a => a.authorizerId === route.authorizerId,
    );
    const security: Json[] = [];
    if (route.authorizationType === 'AWS_IAM') {
      security.push(sigv4Security(schemes));
    } else if (authorizer) {
      schemes[authorizer.name] =
        authorizer.authorizerType === 'JWT'
          ? {
              type: 'oauth2',
              flows: {},
              'x-amazon-apigateway-authorizer': includeExtensions
                ? {
                    type: 'jwt',
                    jwtConfiguration: authorizer.jwtConfiguration,
                    identitySource: authorizer.identitySource.join(','),
                  }
                : undefined,
            }
          : {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authorizer': includeExtensions
                ? {
                    type: 'request',
                    authorizerUri: authorizer.authorizerUri,
                    identitySource: authorizer.identitySource.join(','),
                    authorizerPayloadFormatVersion:
                      authorizer.authorizerPayloadFormatVersion,
                    authorizerResultTtlInSeconds:
                      authorizer.authorizerResultTtlInSeconds,
                    enableSimpleResponses: authorizer.enableSimpleResponses,
                  }
                : undefined,
            };
      security.push({ [authorizer.name]: route.authorizationScopes ?? [] });
    }
    const pathParams = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map(m => m[1]);
    paths[path] = {
      ...paths[path],
      [method === 'ANY'
        ? 'x-amazon-apigateway-any-method'
        : method.toLowerCase()]: {
        parameters: pathParams.length
          ? pathParams.map(name => ({
              name,
              in: 'path',
              required: true,
              schema: { type: 'string' },
            }))
          : undefined,
        responses: {
          default: { description: `Default response for ${route.routeKey}` },
        },
        security: security.length ? security : undefined,
        'x-amazon-apigateway-integration':
          includeExtensions && integration
            ? v2IntegrationExtension(integration)
            : undefined,
      },
    };
  }
  return {
    openapi: '3.0.1',
    info: {
      title: api.name,
      description: api.description,
      version: api.createdDate.toISOString().replace(/\.\d+Z$/, 'Z'),
    },
    servers: [
      {
        url: `${api.apiEndpoint}/{basePath}`,
        variables: {
          basePath: {
            default: stageName && stageName !== '$default' ? stageName : '',
          },
        },
      },
    ],
    paths,
    components: Object.keys(schemes).length
      ? { securitySchemes: schemes }
      : undefined,
    'x-amazon-apigateway-importexport-version': includeExtensions
      ? '1.0'
      : undefined,
  };
}

function v2IntegrationExtension(integration: V2IntegrationState): Json {
  return {
    type: integration.integrationType.toLowerCase(),
    uri: integration.integrationUri,
    httpMethod: integration.integrationMethod,
    connectionType:
      integration.connectionType === 'VPC_LINK' ? 'VPC_LINK' : undefined,
    connectionId: integration.connectionId,
    payloadFormatVersion: integration.payloadFormatVersion,
    integrationSubtype: integration.integrationSubtype,
    tlsConfig: integration.tlsConfig,
    timeoutInMillis: integration.timeoutInMillis,
  };
}
