import { XMLBuilder } from 'fast-xml-parser';
import { SimError } from '../errors';
import type { SimRequest, SimResponse } from './types';

/**
 * awsQuery (STS, ELBv2) and ec2Query (EC2): form-encoded requests with an Action, XML
 * answers. They differ in how lists are named and how results and errors are wrapped.
 */
export class QueryParams {
  readonly action: string;
  private readonly params: URLSearchParams;

  constructor(req: SimRequest) {
    const contentType = String(req.headers['content-type'] ?? '');
    // Query protocols may also send parameters in the URL (GET); the SDK posts a form.
    this.params = contentType.includes('application/x-www-form-urlencoded')
      ? new URLSearchParams(req.body.toString('utf8'))
      : req.query;
    this.action = this.params.get('Action') ?? '';
  }

  get(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  /** An integer parameter; undefined when absent. */
  int(
    name: string,
    invalid: (message: string) => SimError,
  ): number | undefined {
    const raw = this.get(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value))
      throw invalid(`Value '${raw}' for parameter ${name} is not an integer`);
    return value;
  }

  /** `Name.1`, `Name.2`, ... (ec2Query) or `Name.member.1`, ... (awsQuery), in index order. */
  list(prefix: string): string[] {
    const pattern = new RegExp(`^${escapeRegExp(prefix)}\\.(\\d+)$`);
    const entries: Array<[number, string]> = [];
    for (const [key, value] of this.params) {
      const match = pattern.exec(key);
      if (match) entries.push([Number(match[1]), value]);
    }
    return entries.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
  }

  /** ec2Query filters: `Filter.N.Name` with `Filter.N.Value.M`. */
  filters(): Array<{ name: string; values: string[] }> {
    const indexes = new Set<number>();
    for (const key of this.params.keys()) {
      const match = /^Filter\.(\d+)\.Name$/.exec(key);
      if (match) indexes.add(Number(match[1]));
    }
    return [...indexes]
      .sort((a, b) => a - b)
      .map(n => ({
        name: this.get(`Filter.${n}.Name`)!,
        values: this.list(`Filter.${n}.Value`),
      }));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  suppressBooleanAttributes: false,
});

function xml(
  status: number,
  requestId: string,
  document: Record<string, unknown>,
): SimResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(document)}`,
  };
}

/** `<{Action}Response><{Action}Result>...</{Action}Result><ResponseMetadata/>`. */
export function awsQueryResponse(
  action: string,
  xmlns: string,
  result: Record<string, unknown>,
  requestId: string,
): SimResponse {
  return xml(200, requestId, {
    [`${action}Response`]: {
      '@_xmlns': xmlns,
      [`${action}Result`]: result,
      ResponseMetadata: { RequestId: requestId },
    },
  });
}

export function awsQueryError(error: SimError, requestId: string): SimResponse {
  const response = xml(error.status, requestId, {
    ErrorResponse: {
      Error: { Type: error.fault, Code: error.code, Message: error.message },
      RequestId: requestId,
    },
  });
  return withRetryAfter(response, error);
}

/** ec2Query: no Result wrapper, a lower-case requestId, errors in `<Response><Errors>`. */
export function ec2Response(
  action: string,
  result: Record<string, unknown>,
  requestId: string,
): SimResponse {
  return xml(200, requestId, {
    [`${action}Response`]: {
      '@_xmlns': 'http://ec2.amazonaws.com/doc/2016-11-15/',
      requestId,
      ...result,
    },
  });
}

export function ec2Error(error: SimError, requestId: string): SimResponse {
  const response = xml(error.status, requestId, {
    Response: {
      Errors: { Error: { Code: error.code, Message: error.message } },
      RequestID: requestId,
    },
  });
  return withRetryAfter(response, error);
}

function withRetryAfter(response: SimResponse, error: SimError): SimResponse {
  if (error.extra.retryAfterSeconds !== undefined) {
    response.headers['retry-after'] = String(error.extra.retryAfterSeconds);
  }
  return response;
}

/** XML list members: awsQuery wraps items in `<member>`, ec2Query in `<item>`. */
export const members = <T>(items: T[]) => ({ member: items });
export const ec2Items = <T>(items: T[]) => ({ item: items });
