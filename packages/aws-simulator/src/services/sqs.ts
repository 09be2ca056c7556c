import { ChangeFeed } from '../changeFeed';
import { SimError } from '../errors';
import { awsJsonEndpoint, JsonOperations } from './jsonEndpoint';
import type { CallContext } from './types';

/**
 * Amazon SQS (awsJson1_0): the queues an EventBridge rule feeds with the change feed's
 * events. ReceiveMessage (long polling up to 20 s) and DeleteMessageBatch.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */

const SERVICE_TARGET = 'AmazonSQS';

const invalid = (message: string) =>
  new SimError('InvalidParameterValue', message, 400);

/** `{endpoint}/{account}/{name}` → the queue of the caller's Region; only its owner may read it. */
function queueOf(ctx: CallContext, body: Record<string, unknown>): string {
  const url = String(body.QueueUrl ?? '');
  const match = /\/(\d{12})\/([A-Za-z0-9_-]{1,80}(\.fifo)?)$/.exec(url);
  const key = match && ChangeFeed.queueKey(ctx.region, match[1], match[2]);
  if (!key || !ctx.changeFeed.hasQueue(key)) {
    throw new SimError(
      'QueueDoesNotExist',
      `The specified queue does not exist: '${url}' in ${ctx.region}`,
      400,
    );
  }
  if (match![1] !== ctx.identity.accountId) {
    throw new SimError(
      'AccessDenied',
      `Access to the resource ${url} is denied: the queue belongs to account ${
        match![1]
      }`,
      400,
    );
  }
  return key;
}

function intIn(
  value: unknown,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    throw invalid(
      `Invalid ${name} '${String(value)}': must be ${min} to ${max}`,
    );
  }
  return value;
}

async function receiveMessage(
  ctx: CallContext,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const key = queueOf(ctx, body);
  const messages = await ctx.changeFeed.receive(
    key,
    intIn(body.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10, 1),
    intIn(body.WaitTimeSeconds, 'WaitTimeSeconds', 0, 20, 0),
    intIn(body.VisibilityTimeout, 'VisibilityTimeout', 0, 43_200, 30),
  );
  return {
    Messages: messages.length
      ? messages.map(m => ({
          MessageId: m.messageId,
          ReceiptHandle: m.receiptHandle,
          MD5OfBody: m.md5,
          Body: m.body,
        }))
      : undefined,
  };
}

function deleteMessageBatch(
  ctx: CallContext,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const key = queueOf(ctx, body);
  const entries = body.Entries as Array<{
    Id?: string;
    ReceiptHandle?: string;
  }>;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new SimError(
      'EmptyBatchRequest',
      'There should be at least one DeleteMessageBatchRequestEntry in the request.',
    );
  }
  if (entries.length > 10) {
    throw new SimError(
      'TooManyEntriesInBatchRequest',
      'Maximum number of entries per request are 10.',
    );
  }
  const successful = [];
  const failed = [];
  for (const entry of entries) {
    if (ctx.changeFeed.delete(key, String(entry.ReceiptHandle))) {
      successful.push({ Id: entry.Id });
    } else {
      failed.push({
        Id: entry.Id,
        SenderFault: true,
        Code: 'ReceiptHandleIsInvalid',
        Message: `The receipt handle '${entry.ReceiptHandle}' is not valid.`,
      });
    }
  }
  return { Successful: successful, Failed: failed };
}

const operations: JsonOperations = {
  ReceiveMessage: receiveMessage,
  DeleteMessageBatch: deleteMessageBatch,
};

export const sqsEndpoint = awsJsonEndpoint({
  signingName: 'sqs',
  displayName: 'SQS',
  serviceTarget: SERVICE_TARGET,
  version: '1.0',
  queryCompatible: true,
  operations,
  errors: {
    throttling: retryAfterSeconds =>
      new SimError('RequestThrottled', 'Rate exceeded', 400, {
        retryAfterSeconds,
      }),
    accessDenied: (identity, operation) =>
      new SimError(
        'AccessDenied',
        `User: ${identity.arn} is not authorized to perform: sqs:${operation}`,
        400,
      ),
    serverError: status =>
      new SimError('InternalFailure', 'SQS internal error', status),
    expiredToken: () =>
      new SimError(
        'ExpiredToken',
        'The security token included in the request is expired',
        400,
      ),
  },
});
