import { SimError } from '../errors';
import { awsQueryError, QueryParams } from '../protocols/query';
import type { SimRequest, SimResponse } from '../protocols/types';
import type { CallContext, ResolvedCall, ServiceEndpoint } from './types';

/** The operations of a query-protocol service (ec2Query, awsQuery), by Action. */
export type QueryOperations = Record<
  string,
  (ctx: CallContext, params: QueryParams) => SimResponse
>;

/**
 * Recognizes a query-protocol request's Action among `operations`; an unknown one is the
 * service's UnknownOperation error naming what is implemented.
 */
export function resolveQueryCall(
  req: SimRequest,
  options: {
    service: string;
    operations: QueryOperations;
    errors: ServiceEndpoint['errors'];
    /** The account that account-scoped faults apply to, when not the caller's. */
    targetAccount?: (params: QueryParams) => string | undefined;
  },
): ResolvedCall {
  const params = new QueryParams(req);
  const operation = options.operations[params.action];
  if (!operation) {
    throw options.errors.unknownOperation(
      params.action || '(no Action)',
      Object.keys(options.operations),
    );
  }
  return {
    service: options.service,
    operation: params.action,
    targetAccount: options.targetAccount?.(params),
    run: ctx => operation(ctx, params),
  };
}

/** An awsQuery service (STS, ELBv2): XML answers, and the error codes they share. */
export function awsQueryEndpoint(options: {
  signingName: string;
  /** As in messages: "STS", "Elastic Load Balancing". */
  displayName: string;
  operations: QueryOperations;
  /** HTTP status of ExpiredToken, which differs between services. */
  expiredTokenStatus: number;
  targetAccount?: (params: QueryParams) => string | undefined;
}): ServiceEndpoint {
  const errors: ServiceEndpoint['errors'] = {
    throttling: retryAfterSeconds =>
      new SimError('Throttling', 'Rate exceeded', 400, { retryAfterSeconds }),
    accessDenied: (identity, operation) =>
      new SimError(
        'AccessDenied',
        `User: ${identity.arn} is not authorized to perform: ${options.signingName}:${operation}`,
        403,
      ),
    serverError: status =>
      status === 503
        ? new SimError('ServiceUnavailable', 'Service is unavailable', 503)
        : new SimError('InternalFailure', 'An internal error occurred', 500),
    expiredToken: () =>
      new SimError(
        'ExpiredToken',
        'The security token included in the request is expired',
        options.expiredTokenStatus,
      ),
    unknownOperation: (operation, supported) =>
      new SimError(
        'UnknownOperationException',
        `The simulator does not implement ${
          options.displayName
        } action ${operation}. Implemented: ${supported.join(', ')}`,
        501,
      ),
  };
  return {
    signingName: options.signingName,
    resolve: req =>
      resolveQueryCall(req, {
        service: options.signingName,
        operations: options.operations,
        errors,
        targetAccount: options.targetAccount,
      }),
    encodeError: awsQueryError,
    errors,
  };
}
