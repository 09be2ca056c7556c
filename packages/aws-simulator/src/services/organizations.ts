import { SimError } from '../errors';
import { decodeToken, encodeToken, InvalidTokenError } from '../pagination';
import { epochSeconds } from '../protocols/types';
import { awsJsonEndpoint, JsonOperations } from './jsonEndpoint';
import type { CallContext } from './types';

/** AWS Organizations (awsJson1_1): ListAccounts from the management or a delegated admin account. */

const SERVICE_TARGET = 'AWSOrganizationsV20161128';
const invalidInput = (message: string, reason: string) =>
  new SimError('InvalidInputException', message, 400, {
    fields: { Reason: reason },
  });

/** Token phases when empty pages are on: before the first real page, real pages, after the last. */
const PHASE_REAL = 1;
const PHASE_TRAILING = 2;

/**
 * MaxResults 1..20. Organizations may answer an empty page that still has a NextToken
 * (AWS-FACTS §9); with `organization.emptyPages` the simulator does so before the first
 * and after the last real page, so clients that stop on an empty page miss accounts.
 */
function listAccounts(
  ctx: CallContext,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const { organization, accounts } = ctx.estate;
  const caller = ctx.identity.accountId;
  if (
    caller !== organization.managementAccount &&
    !organization.delegatedAdmins.includes(caller)
  ) {
    throw new SimError(
      'AccessDeniedException',
      "You don't have permissions to access this resource. ListAccounts needs the organization's management account or a delegated administrator.",
      400,
    );
  }
  const maxResults = body.MaxResults ?? 20;
  if (
    typeof maxResults !== 'number' ||
    !Number.isInteger(maxResults) ||
    maxResults < 1 ||
    maxResults > 20
  ) {
    throw invalidInput(
      `Invalid MaxResults '${String(
        maxResults,
      )}': must be an integer from 1 to 20`,
      (maxResults as number) > 20 ? 'MAX_VALUE_EXCEEDED' : 'MIN_VALUE_EXCEEDED',
    );
  }
  const list = `accounts:${organization.id}`;
  let offset = 0;
  let phase = organization.emptyPages ? 0 : PHASE_REAL;
  if (body.NextToken !== undefined) {
    try {
      const token = decodeToken(String(body.NextToken), list);
      offset = token.offset;
      phase = token.state ?? PHASE_REAL;
    } catch (error) {
      if (error instanceof InvalidTokenError)
        throw invalidInput(error.message, 'INVALID_PAGINATION_TOKEN');
      throw error;
    }
  }

  let page: typeof accounts = [];
  let next: string | undefined;
  if (phase === 0) {
    next = encodeToken({ l: list, o: 0, s: PHASE_REAL });
  } else if (phase === PHASE_REAL) {
    page = accounts.slice(offset, offset + maxResults);
    const end = offset + page.length;
    if (end < accounts.length)
      next = encodeToken({ l: list, o: end, s: PHASE_REAL });
    else if (organization.emptyPages)
      next = encodeToken({ l: list, o: end, s: PHASE_TRAILING });
  }
  return {
    Accounts: page.map(account => ({
      Id: account.id,
      Arn: `arn:${ctx.estate.partition}:organizations::${organization.managementAccount}:account/${organization.id}/${account.id}`,
      Email: account.email,
      Name: account.name,
      Status: account.status,
      State: account.status,
      JoinedMethod:
        account.id === organization.managementAccount ? 'INVITED' : 'CREATED',
      JoinedTimestamp: epochSeconds(account.joined),
    })),
    NextToken: next,
  };
}

const operations: JsonOperations = {
  ListAccounts: listAccounts,
};

export const organizationsEndpoint = awsJsonEndpoint({
  signingName: 'organizations',
  displayName: 'Organizations',
  serviceTarget: SERVICE_TARGET,
  version: '1.1',
  operations,
  errors: {
    throttling: retryAfterSeconds =>
      new SimError(
        'TooManyRequestsException',
        'AWS Organizations can’t complete your request because another request is already in progress. Try again later.',
        400,
        {
          retryAfterSeconds,
          fields: { Type: 'RequestRateLimitExceeded' },
        },
      ),
    accessDenied: () =>
      new SimError(
        'AccessDeniedException',
        "You don't have permissions to access this resource.",
        400,
      ),
    serverError: status =>
      new SimError(
        'ServiceException',
        'AWS Organizations can’t complete your request because of an internal service error.',
        status,
      ),
    expiredToken: () =>
      new SimError(
        'ExpiredTokenException',
        'The security token included in the request is expired',
        400,
      ),
  },
});
