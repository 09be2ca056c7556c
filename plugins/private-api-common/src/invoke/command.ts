/**
 * Ready-to-paste commands: curl for REST and HTTP APIs (with `--aws-sigv4` for IAM routes),
 * wscat for WebSocket APIs (with the message that selects the route).
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
  /** WebSocket APIs: the API's route selection expression (`$request.body.action` when unknown). */
  routeSelectionExpression?: string;
}

const BODY_PATH = /^\$request\.body\.([A-Za-z0-9_.]+)$/;

/**
 * The message that selects a WebSocket route: `{"action":"sendMessage"}` for the expression
 * `$request.body.action` (nested for a dotted path). `$connect` and `$disconnect` run on
 * opening and closing, so they need none; `$default` takes any message no route matches.
 * Undefined when the expression does not read the body (the route cannot be chosen by a message).
 */
export function websocketMessage(
  routeKey: string | undefined,
  expression = '$request.body.action',
): string | undefined {
  if (!routeKey || routeKey === '$connect' || routeKey === '$disconnect')
    return undefined;
  const match = BODY_PATH.exec(expression.trim());
  if (!match) return undefined;
  const keys = match[1].split('.');
  const value = routeKey === '$default' ? '<no route key>' : routeKey;
  const body = keys.reduceRight<unknown>(
    (inner, key) => ({ [key]: inner }),
    value,
  );
  return JSON.stringify(body);
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
    const message = websocketMessage(
      input.route?.routeKey,
      input.routeSelectionExpression,
    );
    return [
      `wscat -c ${shellQuote(url)}`,
      ...Object.entries(headers).map(
        ([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`,
      ),
      // -x sends the message once connected; -w waits for the reply before closing.
      ...(message ? [`-x ${shellQuote(message)}`, '-w 5'] : []),
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
