/**
 * The one place for the host names and URL forms of API Gateway (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html):
 * `{api-id}.execute-api.{region}.amazonaws.com` (private DNS and public APIs),
 * `{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com` (Route 53 alias) and
 * `vpce-...execute-api.{region}.vpce.amazonaws.com` (the endpoint's own name, from EC2).
 */
import { ApiType } from '../inventory/types';

/** The DNS suffix of AWS endpoints in a partition (China Regions use `.com.cn`). */
function dnsSuffix(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** `{apiId}.execute-api.{region}.amazonaws.com`: the API's default name. */
export function executeApiHost(
  apiId: string,
  region: string,
  partition = 'aws',
): string {
  return `${apiId}.execute-api.${region}.${dnsSuffix(partition)}`;
}

/** `{apiId}-{vpceId}.execute-api.{region}.amazonaws.com`: the Route 53 alias of an associated endpoint. */
export function route53AliasHost(
  apiId: string,
  vpcEndpointId: string,
  region: string,
  partition = 'aws',
): string {
  return `${apiId}-${vpcEndpointId}.execute-api.${region}.${dnsSuffix(
    partition,
  )}`;
}

/** The form of a VPC endpoint's own DNS name, for when the endpoint is not known yet. */
export function vpcEndpointHostPlaceholder(region: string): string {
  return `<vpce-id>-<suffix>.execute-api.${region}.vpce.amazonaws.com`;
}

/** `com.amazonaws.{region}.execute-api`: the service name of execute-api VPC endpoints. */
export function executeApiServiceName(region: string): string {
  return `com.amazonaws.${region}.execute-api`;
}

/** True for an endpoint of the execute-api service (in any Region). */
export function isExecuteApiService(serviceName: string): boolean {
  return serviceName.endsWith('.execute-api');
}

/**
 * The base URL of a stage. An HTTP API's `$default` stage is served at the root; WebSocket
 * APIs use `wss://`.
 */
export function stageUrl(
  host: string,
  stage: string,
  apiType: ApiType,
): string {
  const scheme = apiType === 'WEBSOCKET' ? 'wss' : 'https';
  const path = stage === '$default' ? '' : `/${stage}`;
  return `${scheme}://${host}${path}`;
}

/** The URL of a custom domain's base path mapping (`(none)` and `''` are the root). */
export function domainUrl(
  domainName: string,
  basePath: string,
  apiType: ApiType,
): string {
  const scheme = apiType === 'WEBSOCKET' ? 'wss' : 'https';
  const path = basePath && basePath !== '(none)' ? `/${basePath}` : '';
  return `${scheme}://${domainName}${path}`;
}

/** The host of a URL such as `https://abc.execute-api.us-east-1.amazonaws.com`. */
export function hostOf(url: string): string {
  return url.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}
