/**
 * The AWS documentation pages that the texts users read rely on: one place for each URL, so
 * a caveat links the page its fact comes from and a moved page is fixed once.
 */

const GUIDE = 'https://docs.aws.amazon.com/apigateway/latest/developerguide';

/** AWS documentation pages, by the fact they document. */
export const AWS_DOCS = {
  /** Private REST APIs: interface VPC endpoints, private DNS and public APIs, on premises. */
  privateApis: `${GUIDE}/apigateway-private-apis.html`,
  /** The ways to invoke a private API: private DNS, the Route 53 alias, endpoint names with a Host or x-apigw-api-id header. */
  invokePrivateApi: `${GUIDE}/apigateway-private-api-test-invoke-url.html`,
  /** Attaching a resource policy; a private API cannot be deployed without one; redeploy after a change. */
  resourcePolicy: `${GUIDE}/apigateway-resource-policies-create-attach.html`,
  /** How resource policies and IAM policies combine, within an account and across accounts. */
  authorizationFlow: `${GUIDE}/apigateway-authorization-flow.html`,
  /** Invoking a public API by its default endpoint. */
  invokeApi: `${GUIDE}/how-to-call-api.html`,
  /** Custom domain names of public APIs. */
  customDomains: `${GUIDE}/how-to-custom-domains.html`,
  /** Private custom domain names and their domain name access associations. */
  privateCustomDomains: `${GUIDE}/apigateway-private-custom-domains.html`,
  /** IAM authorization of REST APIs (SigV4, execute-api:Invoke). */
  iamAuthorization: `${GUIDE}/permissions.html`,
  /** Cognito user pool authorizers: the token in the Authorization header. */
  cognitoAuthorizer: `${GUIDE}/apigateway-integrate-with-cognito.html`,
  /** CORS for REST APIs. */
  restCors: `${GUIDE}/how-to-cors.html`,
  /** CORS for HTTP APIs. */
  httpCors: `${GUIDE}/http-api-cors.html`,
  /** Calling a WebSocket API with wscat and sending it messages. */
  wscat: `${GUIDE}/apigateway-how-to-call-websocket-api-wscat.html`,
  /** WebSocket routes: $connect, $disconnect, $default, route selection expressions. */
  websocketRoutes: `${GUIDE}/websocket-api-develop-routes.html`,
  /** Creating an interface VPC endpoint (security groups, private DNS). */
  interfaceEndpoint:
    'https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html',
  /** API Gateway prices. */
  pricing: 'https://aws.amazon.com/api-gateway/pricing/',
} as const;

/** One thing a reader should know, with the AWS page it comes from when there is one. */
export interface Caveat {
  text: string;
  docUrl?: string;
}
