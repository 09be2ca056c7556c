import { SimError } from '../errors';
import {
  awsQueryError,
  awsQueryResponse,
  QueryParams,
} from '../protocols/query';
import type { SimResponse } from '../protocols/types';
import type { CallContext, ServiceEndpoint } from './types';

/** STS (awsQuery): AssumeRole into estate accounts, GetCallerIdentity. */

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN =
  /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const validation = (message: string) =>
  new SimError('ValidationError', message, 400);

function parseRoleArn(roleArn: string | undefined) {
  const match = roleArn ? ROLE_ARN.exec(roleArn) : null;
  return match ? { accountId: match[1], roleName: match[2] } : undefined;
}

/**
 * Temporary credentials for a role of an estate account. The role must be listed for the
 * account when the estate lists roles, and the ExternalId must match when the role has
 * one; otherwise AccessDenied, as a trust policy would answer.
 */
function assumeRole(ctx: CallContext, params: QueryParams): SimResponse {
  const roleArn = params.get('RoleArn');
  const role = parseRoleArn(roleArn);
  if (!role) {
    throw validation(
      `1 validation error detected: Value '${
        roleArn ?? ''
      }' at 'roleArn' failed to satisfy constraint: Member must be a role ARN`,
    );
  }
  const sessionName = params.get('RoleSessionName') ?? '';
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw validation(
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and match [\\w+=,.@-]*`,
    );
  }
  const durationSeconds = params.int('DurationSeconds', validation) ?? 3600;
  if (durationSeconds < 900 || durationSeconds > 43200) {
    throw validation(
      `1 validation error detected: Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  const denied = new SimError(
    'AccessDenied',
    `User: ${ctx.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
  const account = ctx.estate.accountsById.get(role.accountId);
  if (!account) throw denied;
  if (account.roles) {
    const configured = account.roles.find(r => r.name === role.roleName);
    if (!configured) throw denied;
    if (
      configured.externalId !== undefined &&
      configured.externalId !== params.get('ExternalId')
    )
      throw denied;
  }
  const issued = ctx.sessions.issue(
    role.accountId,
    role.roleName,
    sessionName,
    durationSeconds,
    ctx.now,
  );
  return awsQueryResponse(
    'AssumeRole',
    XMLNS,
    {
      Credentials: {
        AccessKeyId: issued.accessKeyId,
        SecretAccessKey: issued.secretAccessKey,
        SessionToken: issued.sessionToken,
        Expiration: issued.expiration.toISOString(),
      },
      AssumedRoleUser: { AssumedRoleId: issued.assumedRoleId, Arn: issued.arn },
      PackedPolicySize: 0,
    },
    ctx.requestId,
  );
}

function getCallerIdentity(ctx: CallContext): SimResponse {
  return awsQueryResponse(
    'GetCallerIdentity',
    XMLNS,
    {
      UserId: ctx.identity.userId,
      Account: ctx.identity.accountId,
      Arn: ctx.identity.arn,
    },
    ctx.requestId,
  );
}

const operations: Record<
  string,
  (ctx: CallContext, params: QueryParams) => SimResponse
> = {
  AssumeRole: assumeRole,
  GetCallerIdentity: getCallerIdentity,
};

export const stsEndpoint: ServiceEndpoint = {
  signingName: 'sts',
  resolve(req) {
    const params = new QueryParams(req);
    const operation = operations[params.action];
    if (!operation) {
      throw stsEndpoint.errors.unknownOperation(
        params.action || '(no Action)',
        Object.keys(operations),
      );
    }
    return {
      service: 'sts',
      operation: params.action,
      // Faults for an account apply to assuming a role in it.
      targetAccount:
        params.action === 'AssumeRole'
          ? parseRoleArn(params.get('RoleArn'))?.accountId
          : undefined,
      run: ctx => operation(ctx, params),
    };
  },
  encodeError: awsQueryError,
  errors: {
    throttling: retryAfterSeconds =>
      new SimError('Throttling', 'Rate exceeded', 400, { retryAfterSeconds }),
    accessDenied: (identity, operation) =>
      new SimError(
        'AccessDenied',
        `User: ${identity.arn} is not authorized to perform: sts:${operation}`,
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
        400,
      ),
    unknownOperation: (operation, supported) =>
      new SimError(
        'UnknownOperationException',
        `The simulator does not implement STS action ${operation}. Implemented: ${supported.join(
          ', ',
        )}`,
        501,
      ),
  },
};
