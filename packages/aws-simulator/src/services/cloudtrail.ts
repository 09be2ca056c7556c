import { cloudTrailRecord, CloudTrailEvent } from '../changeFeed';
import { SimError } from '../errors';
import { InvalidTokenError, paginate } from '../pagination';
import { epochSeconds } from '../protocols/types';
import { awsJsonEndpoint, JsonOperations } from './jsonEndpoint';
import type { CallContext } from './types';

/**
 * AWS CloudTrail (awsJson1_1): LookupEvents over the event history the simulator records
 * for every write. One lookup attribute per call, at most 50 events a page, newest first.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */

const SERVICE_TARGET = 'CloudTrail_20131101';
const ATTRIBUTES: Record<string, (e: CloudTrailEvent) => string | undefined> = {
  EventSource: e => e.eventSource,
  EventName: e => e.eventName,
  EventId: e => e.eventId,
  Username: e => e.username,
  AccessKeyId: e => e.accessKeyId,
  ReadOnly: () => 'false',
};

const invalid = (code: string, message: string) =>
  new SimError(code, message, 400);

function time(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const date =
    typeof value === 'number'
      ? new Date(value * 1000)
      : new Date(String(value));
  if (Number.isNaN(date.getTime()))
    throw invalid(
      'InvalidTimeRangeException',
      `Invalid ${name} '${String(value)}'`,
    );
  return date;
}

function lookupEvents(
  ctx: CallContext,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const attributes = (body.LookupAttributes ?? []) as Array<{
    AttributeKey?: string;
    AttributeValue?: string;
  }>;
  if (!Array.isArray(attributes) || attributes.length > 1) {
    throw invalid(
      'InvalidLookupAttributesException',
      'LookupAttributes takes at most one attribute',
    );
  }
  const [attribute] = attributes;
  if (attribute && !ATTRIBUTES[attribute.AttributeKey ?? '']) {
    throw invalid(
      'InvalidLookupAttributesException',
      `Unsupported AttributeKey '${
        attribute.AttributeKey
      }': the simulator supports ${Object.keys(ATTRIBUTES).join(', ')}`,
    );
  }
  const maxResults = body.MaxResults ?? 50;
  if (
    typeof maxResults !== 'number' ||
    !Number.isInteger(maxResults) ||
    maxResults < 1 ||
    maxResults > 50
  ) {
    throw invalid(
      'InvalidMaxResultsException',
      `Invalid MaxResults '${String(maxResults)}': must be from 1 to 50`,
    );
  }
  const start = time(body.StartTime, 'StartTime');
  const end = time(body.EndTime, 'EndTime');
  if (start && end && start > end) {
    throw invalid('InvalidTimeRangeException', 'StartTime is after EndTime');
  }
  const events = ctx.changeFeed
    .lookup(ctx.identity.accountId, ctx.region, ctx.now)
    .filter(
      e =>
        (!attribute ||
          ATTRIBUTES[attribute.AttributeKey!](e) ===
            attribute.AttributeValue) &&
        (!start || e.eventTime >= start) &&
        (!end || e.eventTime <= end),
    );
  const list = `events:${ctx.identity.accountId}:${ctx.region}:${JSON.stringify(
    attribute ?? {},
  )}:${start?.getTime()}:${end?.getTime()}`;
  let page;
  try {
    page = paginate(
      events,
      body.NextToken as string | undefined,
      maxResults,
      list,
    );
  } catch (error) {
    if (error instanceof InvalidTokenError)
      throw invalid('InvalidNextTokenException', error.message);
    throw error;
  }
  return {
    Events: page.items.map(e => ({
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: 'false',
      AccessKeyId: e.accessKeyId,
      EventTime: epochSeconds(e.eventTime),
      EventSource: e.eventSource,
      Username: e.username,
      Resources: [],
      CloudTrailEvent: JSON.stringify(cloudTrailRecord(e)),
    })),
    NextToken: page.next,
  };
}

const operations: JsonOperations = { LookupEvents: lookupEvents };

export const cloudTrailEndpoint = awsJsonEndpoint({
  signingName: 'cloudtrail',
  displayName: 'CloudTrail',
  serviceTarget: SERVICE_TARGET,
  version: '1.1',
  operations,
  errors: {
    throttling: retryAfterSeconds =>
      new SimError('ThrottlingException', 'Rate exceeded', 400, {
        retryAfterSeconds,
      }),
    accessDenied: (identity, operation) =>
      new SimError(
        'AccessDeniedException',
        `User: ${identity.arn} is not authorized to perform: cloudtrail:${operation}`,
        400,
      ),
    serverError: status =>
      new SimError('InternalServerError', 'CloudTrail internal error', status),
    expiredToken: () =>
      new SimError(
        'ExpiredTokenException',
        'The security token included in the request is expired',
        400,
      ),
  },
});
