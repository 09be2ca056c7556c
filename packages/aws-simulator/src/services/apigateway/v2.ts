/** API Gateway v2 (HTTP and WebSocket APIs): the /v2/ routes of the management API. */
import { stringify } from 'yaml';
import type { V2ApiState } from '../../estate/model';
import { httpApiExport } from '../../estate/openapi';
import { jsonResponse, Route } from '../../protocols/restJson';
import { isoSeconds } from '../../protocols/types';
import type { CallContext } from '../types';
import { badRequest, Handler, listResponse, notFound, Paging } from './common';
import { v2ApiShape, v2DomainNameShape } from './shapes';

function findApi(ctx: CallContext, apiId: string): V2ApiState {
  const api = ctx.regionState.v2ApisById.get(apiId);
  if (!api)
    throw notFound(
      `Invalid API identifier specified ${ctx.identity.accountId}:${apiId}`,
      { resourceType: 'Api' },
    );
  return api;
}

const V2_PAGING: Paging = {
  limit: 'maxResults',
  token: 'nextToken',
  items: 'items',
};

const getApis: Handler = (ctx, req) =>
  listResponse(
    V2_PAGING,
    ctx,
    req,
    ctx.regionState.v2Apis,
    `apis:${ctx.identity.accountId}`,
    v2ApiShape,
  );

const getIntegrations: Handler = (ctx, req, params) => {
  const api = findApi(ctx, params.apiId);
  return listResponse(
    V2_PAGING,
    ctx,
    req,
    api.integrations,
    `integrations:${api.apiId}`,
    i => ({
      integrationId: i.integrationId,
      integrationType: i.integrationType,
      integrationUri: i.integrationUri,
      integrationMethod: i.integrationMethod,
      integrationSubtype: i.integrationSubtype,
      connectionType: i.connectionType,
      connectionId: i.connectionId,
      payloadFormatVersion: i.payloadFormatVersion,
      timeoutInMillis: i.timeoutInMillis,
      tlsConfig: i.tlsConfig,
      description: i.description,
      apiGatewayManaged: false,
    }),
  );
};

const getRoutes: Handler = (ctx, req, params) => {
  const api = findApi(ctx, params.apiId);
  return listResponse(
    V2_PAGING,
    ctx,
    req,
    api.routes,
    `routes:${api.apiId}`,
    r => ({
      routeId: r.routeId,
      routeKey: r.routeKey,
      target: r.target,
      authorizationType: r.authorizationType,
      authorizerId: r.authorizerId,
      authorizationScopes: r.authorizationScopes,
      apiKeyRequired: r.apiKeyRequired,
      apiGatewayManaged: false,
    }),
  );
};

const getAuthorizers: Handler = (ctx, req, params) => {
  const api = findApi(ctx, params.apiId);
  return listResponse(
    V2_PAGING,
    ctx,
    req,
    api.authorizers,
    `authorizers:${api.apiId}`,
    a => ({
      authorizerId: a.authorizerId,
      name: a.name,
      authorizerType: a.authorizerType,
      identitySource: a.identitySource,
      jwtConfiguration: a.jwtConfiguration,
      authorizerUri: a.authorizerUri,
      authorizerPayloadFormatVersion: a.authorizerPayloadFormatVersion,
      authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
      enableSimpleResponses: a.enableSimpleResponses,
    }),
  );
};

const getStages: Handler = (ctx, req, params) => {
  const api = findApi(ctx, params.apiId);
  return listResponse(
    V2_PAGING,
    ctx,
    req,
    api.stages,
    `stages:${api.apiId}`,
    s => ({
      stageName: s.stageName,
      description: s.description,
      deploymentId: s.deploymentId,
      autoDeploy: s.autoDeploy,
      createdDate: isoSeconds(s.createdDate),
      lastUpdatedDate: isoSeconds(s.lastUpdatedDate),
      stageVariables: s.stageVariables,
      tags: s.tags,
      defaultRouteSettings: { detailedMetricsEnabled: false },
      routeSettings: {},
    }),
  );
};

const getVpcLinks: Handler = (ctx, req) =>
  listResponse(
    V2_PAGING,
    ctx,
    req,
    ctx.regionState.vpcLinksV2,
    `v2vpclinks:${ctx.identity.accountId}`,
    link => ({
      vpcLinkId: link.id,
      name: link.name,
      subnetIds: link.subnetIds,
      securityGroupIds: link.securityGroupIds,
      vpcLinkStatus: link.status,
      vpcLinkStatusMessage: link.statusMessage,
      vpcLinkVersion: 'V2',
      createdDate: isoSeconds(link.createdAt),
      tags: link.tags,
    }),
  );

/** Private custom domain names exist in API Gateway v1 only. */
const publicDomains = (ctx: CallContext) =>
  ctx.regionState.domains.filter(d => d.endpointType !== 'PRIVATE');

const getDomainNames: Handler = (ctx, req) =>
  listResponse(
    V2_PAGING,
    ctx,
    req,
    publicDomains(ctx),
    `v2domainnames:${ctx.identity.accountId}`,
    v2DomainNameShape,
  );

const getApiMappings: Handler = (ctx, req, params) => {
  const domain = publicDomains(ctx).find(
    d => d.domainName === params.domainName,
  );
  if (!domain)
    throw notFound(`Invalid domain name identifier specified`, {
      resourceType: 'DomainName',
    });
  return listResponse(
    V2_PAGING,
    ctx,
    req,
    domain.mappings,
    `apimappings:${domain.domainNameArn}`,
    m => ({
      apiMappingId: m.apiMappingId,
      apiMappingKey: m.basePath,
      apiId: m.apiId,
      stage: m.stage,
    }),
  );
};

/** ExportApi: OAS30 of an HTTP API as JSON or YAML (WebSocket APIs cannot be exported). */
const exportApi: Handler = (ctx, req, params) => {
  const api = findApi(ctx, params.apiId);
  if (params.specification !== 'OAS30') {
    throw badRequest(
      `Invalid specification '${params.specification}': must be OAS30`,
    );
  }
  const outputType = req.query.get('outputType');
  if (outputType !== 'JSON' && outputType !== 'YAML') {
    throw badRequest(
      `Invalid outputType '${outputType}': must be JSON or YAML`,
    );
  }
  if (api.protocolType !== 'HTTP')
    throw badRequest('Export is supported for HTTP APIs only');
  const stageName = req.query.get('stageName') ?? undefined;
  if (
    stageName !== undefined &&
    !api.stages.some(s => s.stageName === stageName)
  ) {
    throw notFound(`Invalid stage identifier specified`, {
      resourceType: 'Stage',
    });
  }
  const document = httpApiExport(
    api,
    stageName,
    req.query.get('includeExtensions') !== 'false',
  );
  return {
    status: 200,
    headers: {
      'content-type':
        outputType === 'YAML' ? 'application/yaml' : 'application/json',
      'x-amzn-requestid': ctx.requestId,
    },
    body:
      outputType === 'YAML'
        ? stringify(document)
        : JSON.stringify(document, null, 2),
  };
};

const getApi: Handler = (ctx, _req, params) =>
  jsonResponse(v2ApiShape(findApi(ctx, params.apiId)), ctx.requestId);

export const v2Routes: Array<Route<Handler>> = [
  {
    method: 'GET',
    pattern: '/v2/apis',
    operation: 'GetApis',
    handler: getApis,
  },
  {
    method: 'GET',
    pattern: '/v2/apis/{apiId}',
    operation: 'GetApi',
    handler: getApi,
  },
  {
    method: 'GET',
    pattern: '/v2/apis/{apiId}/integrations',
    operation: 'GetIntegrations',
    handler: getIntegrations,
  },
  {
    method: 'GET',
    pattern: '/v2/apis/{apiId}/routes',
    operation: 'GetRoutes',
    handler: getRoutes,
  },
  {
    method: 'GET',
    pattern: '/v2/apis/{apiId}/authorizers',
    operation: 'GetAuthorizers',
    handler: getAuthorizers,
  },
  {
    method: 'GET',
    pattern: '/v2/apis/{apiId}/stages',
    operation: 'GetStages',
    handler: getStages,
  },
  {
    method: 'GET',
    pattern: '/v2/apis/{apiId}/exports/{specification}',
    operation: 'ExportApi',
    handler: exportApi,
  },
  {
    method: 'GET',
    pattern: '/v2/vpclinks',
    operation: 'GetVpcLinks',
    handler: getVpcLinks,
  },
  {
    method: 'GET',
    pattern: '/v2/domainnames',
    operation: 'GetDomainNames',
    handler: getDomainNames,
  },
  {
    method: 'GET',
    pattern: '/v2/domainnames/{domainName}/apimappings',
    operation: 'GetApiMappings',
    handler: getApiMappings,
  },
];
