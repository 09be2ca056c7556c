import { SimError } from '../errors';
import { jsonObjectBody, SimRequest, SimResponse } from './types';

/**
 * restJson1 (API Gateway v1 and v2): operations are HTTP routes; errors carry their code
 * in the x-amzn-ErrorType header and a `message` in the body.
 */
export function jsonResponse(
  body: unknown,
  requestId: string,
  status = 200,
): SimResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify(body),
  };
}

export function restJsonError(error: SimError, requestId: string): SimResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
  };
  if (error.extra.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(error.extra.retryAfterSeconds);
  }
  return {
    status: error.status,
    headers,
    body: JSON.stringify({ message: error.message, ...error.extra.fields }),
  };
}

export interface Route<H> {
  method: string;
  /** Segments; `{name}` captures one (percent-decoded) segment. */
  pattern: string;
  operation: string;
  handler: H;
}

export interface RouteMatch<H> {
  route: Route<H>;
  params: Record<string, string>;
}

/** A table of routes matched segment by segment; first match wins. */
export class Router<H> {
  private readonly routes: Array<Route<H> & { segments: string[] }>;

  constructor(routes: Array<Route<H>>) {
    this.routes = routes.map(route => ({
      ...route,
      segments: route.pattern.split('/').slice(1),
    }));
  }

  match(req: SimRequest): RouteMatch<H> | undefined {
    const segments = req.path.replace(/\/$/, '').split('/').slice(1);
    for (const route of this.routes) {
      if (
        route.method !== req.method ||
        route.segments.length !== segments.length
      )
        continue;
      const params: Record<string, string> = {};
      const matches = route.segments.every((pattern, i) => {
        if (pattern.startsWith('{')) {
          params[pattern.slice(1, -1)] = decodeSegment(segments[i]);
          return segments[i].length > 0;
        }
        return pattern === segments[i];
      });
      if (matches) return { route, params };
    }
    return undefined;
  }

  operations(): string[] {
    return this.routes.map(route => route.operation);
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new SimError(
      'BadRequestException',
      `Invalid percent-encoding in path segment '${segment}'`,
    );
  }
}

/** The JSON body of a request; `{}` when empty. */
export function jsonBody(req: SimRequest): Record<string, unknown> {
  return jsonObjectBody(req, 'BadRequestException');
}
