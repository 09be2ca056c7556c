import { SimError } from '../errors';
import { jsonObjectBody, SimRequest, SimResponse } from './types';

/**
 * awsJson1_0 (CloudWatch) and awsJson1_1 (Organizations): POST / with
 * `X-Amz-Target: {ServiceTarget}.{Operation}` and JSON both ways.
 */
export function jsonRpcOperation(
  req: SimRequest,
  serviceTarget: string,
): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  const [prefix, operation] = target.split('.');
  if (req.method !== 'POST' || prefix !== serviceTarget || !operation) {
    throw new SimError(
      'UnknownOperationException',
      `Expected POST / with X-Amz-Target '${serviceTarget}.<Operation>', got ${req.method} ${req.path} with X-Amz-Target '${target}'`,
    );
  }
  return operation;
}

export function jsonRpcBody(req: SimRequest): Record<string, unknown> {
  return jsonObjectBody(req, 'SerializationException');
}

export function jsonRpcResponse(
  body: unknown,
  version: '1.0' | '1.1',
  requestId: string,
): SimResponse {
  return {
    status: 200,
    headers: {
      'content-type': `application/x-amz-json-${version}`,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify(body),
  };
}

/**
 * `{"__type": code, "message": ...}`. Services that moved from awsQuery to JSON keep their
 * old error codes in `x-amzn-query-error: Code;Sender` (CloudWatch), which the SDK prefers.
 */
export function jsonRpcError(
  error: SimError,
  version: '1.0' | '1.1',
  requestId: string,
  queryCompatible = false,
): SimResponse {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-requestid': requestId,
  };
  if (queryCompatible)
    headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
  if (error.extra.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(error.extra.retryAfterSeconds);
  }
  return {
    status: error.status,
    headers,
    body: JSON.stringify({
      __type: error.code,
      message: error.message,
      ...error.extra.fields,
    }),
  };
}
