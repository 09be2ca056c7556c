import { SimError } from '../../errors';
import { restJsonError, Router } from '../../protocols/restJson';
import type { ServiceEndpoint } from '../types';
import type { Handler } from './common';
import { v1Routes } from './v1';
import { v2Routes } from './v2';

const v1 = new Router<Handler>(v1Routes);
const v2 = new Router<Handler>(v2Routes);

/**
 * API Gateway v1 and v2 both sign as `apigateway`; v2 paths start with /v2/. They are
 * separate services in stats and fault scopes (apigateway, apigatewayv2) but share one
 * quota bucket per account.
 */
export const apiGatewayEndpoint: ServiceEndpoint = {
  signingName: 'apigateway',
  resolve(req) {
    const isV2 = req.path.startsWith('/v2/');
    const router = isV2 ? v2 : v1;
    const match = router.match(req);
    if (!match) {
      throw apiGatewayEndpoint.errors.unknownOperation(
        `${req.method} ${req.path}`,
        router.operations(),
      );
    }
    return {
      service: isV2 ? 'apigatewayv2' : 'apigateway',
      operation: match.route.operation,
      run: ctx => match.route.handler(ctx, req, match.params),
    };
  },
  encodeError: restJsonError,
  errors: {
    throttling: retryAfterSeconds =>
      new SimError('TooManyRequestsException', 'Too Many Requests', 429, {
        retryAfterSeconds,
      }),
    accessDenied: (identity, operation) =>
      new SimError(
        'AccessDeniedException',
        `User: ${identity.arn} is not authorized to perform: apigateway:${operation} because no identity-based policy allows it`,
        403,
      ),
    serverError: status =>
      status === 503
        ? new SimError(
            'ServiceUnavailableException',
            'Service Unavailable',
            503,
            { retryAfterSeconds: 1 },
          )
        : new SimError('InternalFailure', 'Internal server error', 500),
    expiredToken: () =>
      new SimError(
        'ExpiredTokenException',
        'The security token included in the request is expired',
        403,
      ),
    unknownOperation: (operation, supported) =>
      new SimError(
        'UnknownOperationException',
        `The simulator does not implement API Gateway operation ${operation}. Implemented: ${supported.join(
          ', ',
        )}`,
        501,
      ),
  },
};
