/**
 * What a caller must send for one route: a SigV4 signature, a bearer token, the identity
 * sources of a Lambda authorizer, an API key.
 */
import { AWS_DOCS, Caveat } from '../docs';
import { ApiRecord, AuthorizerRecord, RouteRecord } from '../inventory/types';

/** The credentials one route needs, as headers and query parameters with placeholders. */
export interface RouteAuth {
  /** `NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS` or `JWT`. */
  authorizationType: RouteRecord['authorizationType'];
  /** In words: "IAM: sign the request with SigV4", "Lambda authorizer orders (TOKEN)", ... */
  description: string;
  /** True when the request must be signed with SigV4 for execute-api. */
  sigv4: boolean;
  /** Headers to send, with `<placeholder>` values. */
  headers: Record<string, string>;
  /** Query-string parameters to send (identity sources of Lambda REQUEST authorizers). */
  query: Record<string, string>;
  caveats: Caveat[];
}

/** Identity sources as REST (`method.request.header.X`), WebSocket (`route.request...`) and HTTP (`$request...`) APIs write them. */
const IDENTITY_SOURCE =
  /^(?:method\.request|route\.request|\$request)\.(header|querystring)\.(.+)$/i;

interface IdentitySources {
  headers: string[];
  query: string[];
  /** Context variables and stage variables: set by API Gateway, not by the caller. */
  other: string[];
}

function identitySources(
  authorizer: AuthorizerRecord | undefined,
): IdentitySources {
  const sources: IdentitySources = { headers: [], query: [], other: [] };
  // REST writes several sources as one comma-separated string.
  const entries = (authorizer?.identitySource ?? [])
    .flatMap(s => s.split(','))
    .map(s => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const match = IDENTITY_SOURCE.exec(entry);
    if (!match) sources.other.push(entry);
    else if (match[1].toLowerCase() === 'header')
      sources.headers.push(match[2]);
    else sources.query.push(match[2]);
  }
  return sources;
}

function scopesText(route: RouteRecord): string {
  return route.authorizationScopes?.length
    ? ` with the scope ${route.authorizationScopes.join(' or ')}`
    : '';
}

/** The credentials a route needs, from its authorization type, authorizer and API key setting. */
export function routeAuth(api: ApiRecord, route: RouteRecord): RouteAuth {
  const authorizer = api.authorizers.find(a => a.id === route.authorizerId);
  const sources = identitySources(authorizer);
  const auth: RouteAuth = {
    authorizationType: route.authorizationType,
    description: 'No authorization',
    sigv4: false,
    headers: {},
    query: {},
    caveats: [],
  };
  const name = authorizer ? ` ${authorizer.name}` : '';
  // Routes without authorization (NONE) need nothing.
  switch (route.authorizationType) {
    case 'AWS_IAM':
      auth.sigv4 = true;
      auth.description =
        'IAM: sign the request with SigV4 (service execute-api); the caller needs execute-api:Invoke on the route';
      break;
    case 'COGNITO_USER_POOLS':
    case 'JWT': {
      const header = sources.headers[0] ?? 'Authorization';
      const cognito = route.authorizationType === 'COGNITO_USER_POOLS';
      // Cognito authorizers read the token itself from the header (AWS's documented form);
      // JWT authorizers of HTTP APIs take it with the Bearer prefix.
      auth.headers[header] = cognito
        ? '<Cognito ID or access token>'
        : 'Bearer <JWT>';
      auth.description = cognito
        ? `Cognito user pool authorizer${name}: a token from the user pool${scopesText(
            route,
          )}`
        : `JWT authorizer${name}: a token from ${
            authorizer?.jwtIssuer ?? 'the issuer'
          }${
            authorizer?.jwtAudience?.length
              ? ` for ${authorizer.jwtAudience.join(' or ')}`
              : ''
          }${scopesText(route)}`;
      if (cognito) {
        auth.caveats.push({
          text: `Sign in to the user pool first and send the ID or access token${
            route.authorizationScopes?.length
              ? ' (an access token, for the scopes)'
              : ''
          } in the ${header} header.`,
          docUrl: AWS_DOCS.cognitoAuthorizer,
        });
      }
      break;
    }
    case 'CUSTOM': {
      // A TOKEN authorizer reads one header, Authorization unless configured otherwise.
      const headers =
        sources.headers.length ||
        sources.query.length ||
        authorizer?.type !== 'TOKEN'
          ? sources.headers
          : ['Authorization'];
      for (const header of headers)
        auth.headers[header] = `<value for ${header}>`;
      for (const param of sources.query)
        auth.query[param] = `<value for ${param}>`;
      auth.description = `Lambda authorizer${name}${
        authorizer ? ` (${authorizer.type})` : ''
      }: it reads ${
        [
          ...headers.map(h => `the ${h} header`),
          ...sources.query.map(q => `the ${q} query parameter`),
        ].join(', ') || 'the request'
      }`;
      if (sources.other.length) {
        auth.caveats.push({
          text: `The authorizer also reads ${sources.other.join(
            ', ',
          )}, which API Gateway sets, not the caller.`,
        });
      }
      break;
    }
    // no default
  }
  if (route.apiKeyRequired) {
    if (api.apiKeySource === 'AUTHORIZER') {
      auth.caveats.push({
        text: 'The route needs an API key, which the Lambda authorizer supplies (API key source AUTHORIZER): send no x-api-key header.',
      });
    } else {
      auth.headers['x-api-key'] = '<API key>';
    }
  }
  return auth;
}
