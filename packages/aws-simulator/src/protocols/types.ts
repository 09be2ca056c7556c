import type { IncomingHttpHeaders } from 'node:http';
import { SimError } from '../errors';

/** An HTTP request as the services see it (body fully read). */
export interface SimRequest {
  method: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Seconds since the epoch: restJson1 (API Gateway v1) and awsJson timestamps. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** ISO 8601 without milliseconds, as API Gateway v2 writes dates. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * The JSON object a request's body holds, `{}` when empty; anything else is `errorCode`
 * (each protocol names a malformed body its own way).
 */
export function jsonObjectBody(
  req: SimRequest,
  errorCode: string,
): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const parsed = JSON.parse(req.body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed;
  } catch {
    // reported below
  }
  throw new SimError(errorCode, 'The request body is not a JSON object');
}
