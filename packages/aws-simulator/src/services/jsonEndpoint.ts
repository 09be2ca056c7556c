import { SimError } from '../errors';
import {
  jsonRpcBody,
  jsonRpcError,
  jsonRpcOperation,
  jsonRpcResponse,
} from '../protocols/jsonRpc';
import type { CallContext, ServiceEndpoint } from './types';

/**
 * The operations of an awsJson service, by name: each takes the request's JSON body and
 * returns the answer's (the endpoint adds the protocol's headers).
 */
export type JsonOperations = Record<
  string,
  (ctx: CallContext, body: Record<string, unknown>) => unknown
>;

/**
 * An awsJson1_0 / awsJson1_1 service (CloudTrail, SQS, Organizations, CloudWatch): POST /
 * with `X-Amz-Target: {serviceTarget}.{Operation}`, JSON both ways, errors as
 * `{"__type": code, "message": ...}`.
 */
export function awsJsonEndpoint(options: {
  signingName: string;
  /** As in messages: "CloudTrail", "SQS". */
  displayName: string;
  /** The X-Amz-Target prefix, e.g. `CloudTrail_20131101`. */
  serviceTarget: string;
  version: '1.0' | '1.1';
  /**
   * Services that moved from awsQuery to JSON (SQS, CloudWatch) keep their old error codes
   * in `x-amzn-query-error`, which their clients prefer.
   */
  queryCompatible?: boolean;
  operations: JsonOperations;
  /** This service's codes for the shared conditions; unknownOperation is common to all. */
  errors: Omit<ServiceEndpoint['errors'], 'unknownOperation'>;
}): ServiceEndpoint {
  const errors: ServiceEndpoint['errors'] = {
    ...options.errors,
    unknownOperation: (operation, supported) =>
      new SimError(
        'UnknownOperationException',
        `The simulator does not implement ${
          options.displayName
        } operation ${operation}. Implemented: ${supported.join(', ')}`,
        501,
      ),
  };
  return {
    signingName: options.signingName,
    resolve(req) {
      const operationName = jsonRpcOperation(req, options.serviceTarget);
      const operation = options.operations[operationName];
      if (!operation) {
        throw errors.unknownOperation(
          operationName,
          Object.keys(options.operations),
        );
      }
      const body = jsonRpcBody(req);
      return {
        service: options.signingName,
        operation: operationName,
        run: async ctx =>
          jsonRpcResponse(
            await operation(ctx, body),
            options.version,
            ctx.requestId,
          ),
      };
    },
    encodeError: (error, requestId) =>
      jsonRpcError(error, options.version, requestId, options.queryCompatible),
    errors,
  };
}
