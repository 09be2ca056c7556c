import { SimError } from '../errors';
import { awsQueryResponse, QueryParams } from '../protocols/query';
import type { SimResponse } from '../protocols/types';
import type { CallContext } from './types';
import { awsQueryEndpoint } from './queryEndpoint';

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

export const stsEndpoint = awsQueryEndpoint({
  signingName: 'sts',
  displayName: 'STS',
  operations: {
    AssumeRole: assumeRole,
    GetCallerIdentity: getCallerIdentity,
  },
  expiredTokenStatus: 400,
  // Faults for an account apply to assuming a role in it.
  targetAccount: params =>
    params.action === 'AssumeRole'
      ? parseRoleArn(params.get('RoleArn'))?.accountId
      : undefined,
});
