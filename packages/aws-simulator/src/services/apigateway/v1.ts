/** API Gateway v1 (REST APIs): the GET/PATCH/POST routes of the management API. */
import { stringify } from 'yaml';
import type { DomainState } from '../../estate/model';
import { restApiExport } from '../../estate/openapi';
import { jsonResponse, Route } from '../../protocols/restJson';
import { epochSeconds, SimRequest } from '../../protocols/types';
import type { CallContext } from '../types';
import {
  badRequest,
  findRestApi,
  Handler,
  listResponse,
  notFound,
  Paging,
} from './common';
import {
  authorizerShape,
  domainNameShape,
  integrationShape,
  resourceShape,
  restApiShape,
  stageShape,
  vpcLinkShape,
} from './shapes';
import { createDeployment, updateRestApi } from './writes';

const V1_PAGING: Paging = { limit: 'limit', token: 'position', items: 'item' };

function resourceOwner(req: SimRequest): 'SELF' | 'OTHER_ACCOUNTS' {
  const owner = req.query.get('resourceOwner') ?? 'SELF';
  if (owner !== 'SELF' && owner !== 'OTHER_ACCOUNTS') {
    throw badRequest(
      `Invalid resourceOwner '${owner}': must be SELF or OTHER_ACCOUNTS`,
    );
  }
  return owner;
}

/** Private domains of other accounts in this Region that this account has associations with. */
function sharedDomains(ctx: CallContext): DomainState[] {
  return ctx.estate.accounts
    .filter(account => account.id !== ctx.identity.accountId)
    .flatMap(account => account.regions.get(ctx.region)?.domains ?? [])
    .filter(domain =>
      domain.accessAssociations.some(
        a => a.ownerAccountId === ctx.identity.accountId,
      ),
    );
}

const getRestApis: Handler = (ctx, req) =>
  listResponse(
    V1_PAGING,
    ctx,
    req,
    ctx.regionState.restApis,
    `restapis:${ctx.identity.accountId}`,
    restApiShape,
  );

const getRestApi: Handler = (ctx, _req, params) =>
  jsonResponse(restApiShape(findRestApi(ctx, params.restApiId)), ctx.requestId);

const getStages: Handler = (ctx, req, params) => {
  const api = findRestApi(ctx, params.restApiId);
  const deploymentId = req.query.get('deploymentId');
  const stages = deploymentId
    ? api.stages.filter(s => s.deploymentId === deploymentId)
    : api.stages;
  return jsonResponse({ item: stages.map(stageShape) }, ctx.requestId);
};

const getResources: Handler = (ctx, req, params) => {
  const api = findRestApi(ctx, params.restApiId);
  const embed = req.query.getAll('embed').flatMap(value => value.split(','));
  const unknown = embed.find(value => value !== 'methods');
  if (unknown !== undefined)
    throw badRequest(
      `Invalid embed value '${unknown}': the only value is 'methods'`,
    );
  const withMethods = embed.includes('methods');
  return listResponse(
    V1_PAGING,
    ctx,
    req,
    api.resources,
    `resources:${api.id}`,
    r => resourceShape(r, withMethods),
  );
};

const getIntegration: Handler = (ctx, _req, params) => {
  const api = findRestApi(ctx, params.restApiId);
  const resource = api.resourcesById.get(params.resourceId);
  if (!resource) throw notFound('Invalid Resource identifier specified');
  const method = resource.methods.get(params.httpMethod);
  if (!method) throw notFound('Invalid Method identifier specified');
  return jsonResponse(integrationShape(method.integration), ctx.requestId);
};

const getAuthorizers: Handler = (ctx, req, params) => {
  const api = findRestApi(ctx, params.restApiId);
  return listResponse(
    V1_PAGING,
    ctx,
    req,
    api.authorizers,
    `authorizers:${api.id}`,
    authorizerShape,
  );
};

const getDeployments: Handler = (ctx, req, params) => {
  const api = findRestApi(ctx, params.restApiId);
  return listResponse(
    V1_PAGING,
    ctx,
    req,
    api.deployments,
    `deployments:${api.id}`,
    d => ({
      id: d.id,
      description: d.description,
      createdDate: epochSeconds(d.createdDate),
    }),
  );
};

const getVpcLinks: Handler = (ctx, req) =>
  listResponse(
    V1_PAGING,
    ctx,
    req,
    ctx.regionState.vpcLinksV1,
    `vpclinks:${ctx.identity.accountId}`,
    vpcLinkShape,
  );

const getDomainNames: Handler = (ctx, req) => {
  const owner = resourceOwner(req);
  const domains =
    owner === 'SELF' ? ctx.regionState.domains : sharedDomains(ctx);
  return listResponse(
    V1_PAGING,
    ctx,
    req,
    domains,
    `domainnames:${owner}:${ctx.identity.accountId}`,
    domainNameShape,
  );
};

/**
 * SELF: associations this account made (its endpoints to any account's private domains).
 * OTHER_ACCOUNTS: associations other accounts made to this account's private domains.
 */
const getDomainNameAccessAssociations: Handler = (ctx, req) => {
  const owner = resourceOwner(req);
  const me = ctx.identity.accountId;
  const domains =
    owner === 'SELF'
      ? ctx.estate.accounts.flatMap(
          account => account.regions.get(ctx.region)?.domains ?? [],
        )
      : ctx.regionState.domains;
  const associations = domains.flatMap(domain =>
    domain.accessAssociations
      .filter(a =>
        owner === 'SELF' ? a.ownerAccountId === me : a.ownerAccountId !== me,
      )
      .map(a => ({ domain, association: a })),
  );
  return listResponse(
    V1_PAGING,
    ctx,
    req,
    associations,
    `accessassociations:${owner}:${me}`,
    ({ domain, association }) => ({
      domainNameAccessAssociationArn: association.arn,
      domainNameArn: domain.domainNameArn,
      accessAssociationSourceType: 'VPCE',
      accessAssociationSource: association.vpcEndpointId,
      tags: {},
    }),
  );
};

const getBasePathMappings: Handler = (ctx, req, params) => {
  const domainNameId = req.query.get('domainNameId') ?? undefined;
  const domain = ctx.regionState.domains.find(
    d =>
      d.domainName === params.domainName &&
      (domainNameId === undefined
        ? d.endpointType !== 'PRIVATE'
        : d.domainNameId === domainNameId),
  );
  if (!domain) throw notFound('Invalid domain name identifier specified');
  return listResponse(
    V1_PAGING,
    ctx,
    req,
    domain.mappings,
    `basepathmappings:${domain.domainNameArn}`,
    m => ({
      basePath: m.basePath === '' ? '(none)' : m.basePath,
      restApiId: m.apiId,
      stage: m.stage,
    }),
  );
};

/** GetExport: the body is the document itself (a blob), JSON or YAML by the Accept header. */
const getExport: Handler = (ctx, req, params) => {
  const api = findRestApi(ctx, params.restApiId);
  if (!api.stages.some(s => s.stageName === params.stageName)) {
    throw notFound('Invalid Stage identifier specified');
  }
  const exportType = params.exportType;
  if (exportType !== 'oas30' && exportType !== 'swagger') {
    throw badRequest(
      `Invalid export type '${exportType}': the simulator exports oas30 and swagger`,
    );
  }
  const accept = String(req.headers.accept ?? 'application/json');
  const yaml = accept.includes('application/yaml');
  if (
    !yaml &&
    !accept.includes('application/json') &&
    !accept.includes('*/*')
  ) {
    throw badRequest(
      `Invalid Accept '${accept}': must be application/json or application/yaml`,
    );
  }
  const extensions = (req.query.get('extensions') ?? '')
    .split(',')
    .filter(Boolean);
  // An export describes the stage's deployment, not the working copy (AWS-FACTS §7).
  const stage = api.stages.find(s => s.stageName === params.stageName)!;
  const deployed = api.deployments.find(d => d.id === stage.deploymentId);
  const document = restApiExport(
    { ...api, ...deployed?.snapshot },
    {
      exportType,
      stageName: params.stageName,
      extensions,
    },
  );
  const extension = yaml ? 'yaml' : 'json';
  return {
    status: 200,
    headers: {
      'content-type': yaml ? 'application/yaml' : 'application/json',
      'content-disposition': `attachment; filename="${exportType}_${api.name}-${params.stageName}.${extension}"`,
      'x-amzn-requestid': ctx.requestId,
    },
    body: yaml ? stringify(document) : JSON.stringify(document, null, 2),
  };
};

export const v1Routes: Array<Route<Handler>> = [
  {
    method: 'GET',
    pattern: '/restapis',
    operation: 'GetRestApis',
    handler: getRestApis,
  },
  {
    method: 'GET',
    pattern: '/restapis/{restApiId}',
    operation: 'GetRestApi',
    handler: getRestApi,
  },
  {
    method: 'PATCH',
    pattern: '/restapis/{restApiId}',
    operation: 'UpdateRestApi',
    handler: updateRestApi,
  },
  {
    method: 'GET',
    pattern: '/restapis/{restApiId}/stages',
    operation: 'GetStages',
    handler: getStages,
  },
  {
    method: 'GET',
    pattern: '/restapis/{restApiId}/resources',
    operation: 'GetResources',
    handler: getResources,
  },
  {
    method: 'GET',
    pattern:
      '/restapis/{restApiId}/resources/{resourceId}/methods/{httpMethod}/integration',
    operation: 'GetIntegration',
    handler: getIntegration,
  },
  {
    method: 'GET',
    pattern: '/restapis/{restApiId}/authorizers',
    operation: 'GetAuthorizers',
    handler: getAuthorizers,
  },
  {
    method: 'GET',
    pattern: '/restapis/{restApiId}/deployments',
    operation: 'GetDeployments',
    handler: getDeployments,
  },
  {
    method: 'POST',
    pattern: '/restapis/{restApiId}/deployments',
    operation: 'CreateDeployment',
    handler: createDeployment,
  },
  {
    method: 'GET',
    pattern: '/restapis/{restApiId}/stages/{stageName}/exports/{exportType}',
    operation: 'GetExport',
    handler: getExport,
  },
  {
    method: 'GET',
    pattern: '/vpclinks',
    operation: 'GetVpcLinks',
    handler: getVpcLinks,
  },
  {
    method: 'GET',
    pattern: '/domainnames',
    operation: 'GetDomainNames',
    handler: getDomainNames,
  },
  {
    method: 'GET',
    pattern: '/domainnames/{domainName}/basepathmappings',
    operation: 'GetBasePathMappings',
    handler: getBasePathMappings,
  },
  {
    method: 'GET',
    pattern: '/domainnameaccessassociations',
    operation: 'GetDomainNameAccessAssociations',
    handler: getDomainNameAccessAssociations,
  },
];
