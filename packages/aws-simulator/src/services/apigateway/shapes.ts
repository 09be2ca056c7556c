import type {
  DomainState,
  MethodState,
  ResourceState,
  RestApiState,
  RestAuthorizerState,
  RestIntegrationState,
  RestStageState,
  V2ApiState,
  VpcLinkState,
} from '../../estate/model';
import { escapePolicy } from '../../estate/policy';
import { epochSeconds, isoSeconds } from '../../protocols/types';

/** API Gateway v1 (restJson1, epoch-second dates) shapes. */

export function restApiShape(api: RestApiState) {
  return {
    id: api.id,
    name: api.name,
    description: api.description,
    createdDate: epochSeconds(api.createdDate),
    apiKeySource: api.apiKeySource,
    binaryMediaTypes: api.binaryMediaTypes,
    endpointConfiguration: {
      types: [api.endpointType],
      ipAddressType: api.ipAddressType,
      vpcEndpointIds:
        api.endpointType === 'PRIVATE' && api.vpcEndpointIds.length > 0
          ? api.vpcEndpointIds
          : undefined,
    },
    policy: api.policy === undefined ? undefined : escapePolicy(api.policy),
    tags: api.tags,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    rootResourceId: api.rootResourceId,
    apiStatus: 'AVAILABLE',
  };
}

export function integrationShape(integration: RestIntegrationState) {
  return {
    type: integration.type,
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    connectionType: integration.connectionType,
    connectionId: integration.connectionId,
    passthroughBehavior: integration.passthroughBehavior,
    timeoutInMillis: integration.timeoutInMillis,
    cacheNamespace: integration.cacheNamespace,
    cacheKeyParameters: [],
    // Proxy integrations pass responses through; the others need a default mapping.
    integrationResponses:
      integration.type === 'AWS_PROXY' || integration.type === 'HTTP_PROXY'
        ? undefined
        : { '200': { statusCode: '200', responseTemplates: {} } },
  };
}

export function methodShape(method: MethodState) {
  return {
    httpMethod: method.httpMethod,
    authorizationType: method.authorizationType,
    authorizerId: method.authorizerId,
    apiKeyRequired: method.apiKeyRequired,
    authorizationScopes: method.authorizationScopes,
    operationName: method.operationName,
    methodResponses: { '200': { statusCode: '200' } },
    methodIntegration: integrationShape(method.integration),
  };
}

/** Without embed, API Gateway lists each method as an empty object. */
export function resourceShape(resource: ResourceState, embedMethods: boolean) {
  const methods = [...resource.methods.values()];
  return {
    id: resource.id,
    parentId: resource.parentId,
    pathPart: resource.pathPart,
    path: resource.path,
    resourceMethods:
      methods.length === 0
        ? undefined
        : Object.fromEntries(
            methods.map(m => [
              m.httpMethod,
              embedMethods ? methodShape(m) : {},
            ]),
          ),
  };
}

export function stageShape(stage: RestStageState) {
  return {
    stageName: stage.stageName,
    description: stage.description,
    deploymentId: stage.deploymentId,
    cacheClusterEnabled: stage.cacheClusterEnabled,
    cacheClusterSize: stage.cacheClusterSize,
    cacheClusterStatus: stage.cacheClusterStatus,
    methodSettings: stage.methodSettings,
    variables: stage.variables,
    tracingEnabled: stage.tracingEnabled,
    webAclArn: stage.webAclArn,
    tags: stage.tags,
    createdDate: epochSeconds(stage.createdDate),
    lastUpdatedDate: epochSeconds(stage.lastUpdatedDate),
  };
}

export function authorizerShape(authorizer: RestAuthorizerState) {
  return {
    id: authorizer.id,
    name: authorizer.name,
    type: authorizer.type,
    authType:
      authorizer.type === 'COGNITO_USER_POOLS'
        ? 'cognito_user_pools'
        : 'custom',
    providerARNs: authorizer.providerARNs,
    authorizerUri: authorizer.authorizerUri,
    identitySource: authorizer.identitySource,
    identityValidationExpression: authorizer.identityValidationExpression,
    authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
  };
}

export function vpcLinkShape(link: VpcLinkState) {
  return {
    id: link.id,
    name: link.name,
    description: link.description,
    targetArns: link.targetArns,
    status: link.status,
    statusMessage: link.statusMessage,
    tags: link.tags,
  };
}

export function domainNameShape(domain: DomainState) {
  const isEdge = domain.endpointType === 'EDGE';
  return {
    domainName: domain.domainName,
    domainNameId: domain.domainNameId,
    domainNameArn: domain.domainNameArn,
    certificateArn: isEdge ? domain.certificateArn : undefined,
    regionalCertificateArn:
      domain.endpointType === 'REGIONAL' ? domain.certificateArn : undefined,
    regionalDomainName: domain.regionalDomainName,
    regionalHostedZoneId: domain.regionalHostedZoneId,
    distributionDomainName: domain.distributionDomainName,
    distributionHostedZoneId: isEdge ? 'Z2FDTNDATAQYW2' : undefined,
    endpointConfiguration: {
      types: [domain.endpointType],
      ipAddressType: 'ipv4',
    },
    domainNameStatus: 'AVAILABLE',
    securityPolicy: domain.securityPolicy,
    tags: domain.tags,
    policy:
      domain.policy === undefined ? undefined : escapePolicy(domain.policy),
    routingMode: 'BASE_PATH_MAPPING_ONLY',
  };
}

/** API Gateway v2 (restJson1 with ISO dates) shapes. */

export function v2ApiShape(api: V2ApiState) {
  return {
    apiId: api.apiId,
    name: api.name,
    description: api.description,
    protocolType: api.protocolType,
    routeSelectionExpression: api.routeSelectionExpression,
    apiKeySelectionExpression: '$request.header.x-api-key',
    apiEndpoint: api.apiEndpoint,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    ipAddressType: api.ipAddressType,
    tags: api.tags,
    createdDate: isoSeconds(api.createdDate),
  };
}

export function v2DomainNameShape(domain: DomainState) {
  const isEdge = domain.endpointType === 'EDGE';
  return {
    domainName: domain.domainName,
    domainNameArn: domain.domainNameArn,
    apiMappingSelectionExpression: '$request.basepath',
    domainNameConfigurations: [
      {
        apiGatewayDomainName: isEdge
          ? domain.distributionDomainName
          : domain.regionalDomainName,
        certificateArn: domain.certificateArn,
        endpointType: domain.endpointType,
        hostedZoneId: isEdge ? 'Z2FDTNDATAQYW2' : domain.regionalHostedZoneId,
        securityPolicy: domain.securityPolicy,
        domainNameStatus: 'AVAILABLE',
        ipAddressType: 'ipv4',
      },
    ],
    routingMode: 'API_MAPPING_ONLY',
    tags: domain.tags,
  };
}
