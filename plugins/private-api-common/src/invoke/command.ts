/**
 * Ready-to-paste commands: curl for REST and HTTP APIs (with `--aws-sigv4` for IAM routes,
 * AWS-FACTS.md §6), wscat for WebSocket APIs.
 */
import { ApiType, RouteRecord } from '../inventory/types';
import { RouteAuth } from './auth';

/** Quotes a value for a POSIX shell, leaving nothing to expand. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The path of a route for a URL: `{id}` and `{proxy+}` become `<id>` and `<proxy>`
 * placeholders (curl would read braces as a URL glob); `ANY` and `$default` routes get `/`.
 */
function routePath(route: RouteRecord | undefined): string {
  const path = route?.path && route.path !== '$default' ? route.path : '/';
  return path.replace(/\{([^}+]+)\+?\}/g, '<$1>');
}

/** The HTTP method a command uses for a route (`GET` for `ANY` and unknown methods). */
export function routeMethod(route: RouteRecord | undefined): string {
  const method = route?.method?.toUpperCase();
  return !method || method === 'ANY' || method === '*' ? 'GET' : method;
}

/** What a command needs: where, which route, which headers, how to sign. */
export interface CommandInput {
  apiType: ApiType;
  region: string;
  /** The base URL of the stage (or custom domain mapping). */
  baseUrl: string;
  route?: RouteRecord;
  /** Headers that the way of calling needs (Host, x-apigw-api-id). */
  headers: Record<string, string>;
  auth: RouteAuth;
}

/** A ready command for one route through one way of calling. */
export function buildCommand(input: CommandInput): string {
  const { auth } = input;
  const headers = { ...input.headers, ...auth.headers };
  // Placeholders stay readable (`?token=<value for token>`): the user replaces them.
  const query = Object.entries(auth.query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${value}`)
    .join('&');
  if (input.apiType === 'WEBSOCKET') {
    const url = `${input.baseUrl}${query ? `?${query}` : ''}`;
    return [
      `wscat -c ${shellQuote(url)}`,
      ...Object.entries(headers).map(
        ([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`,
      ),
    ].join(' \\\n  ');
  }
  const method = routeMethod(input.route);
  const base = input.baseUrl.replace(/\/$/, '');
  const url = `${base}${routePath(input.route)}${query ? `?${query}` : ''}`;
  const lines = [
    `curl ${method === 'GET' ? '' : `-X ${method} `}${shellQuote(url)}`,
  ];
  for (const [name, value] of Object.entries(headers)) {
    lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (auth.sigv4) {
    // Double quotes: the shell fills in the credentials from the environment.
    lines.push(
      `--aws-sigv4 "aws:amz:${input.region}:execute-api"`,
      '--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
      '-H "x-amz-security-token: $AWS_SESSION_TOKEN"',
    );
  }
  return lines.join(' \\\n  ');
}
