import { describeAwsError } from '../aws/errors';

/** ARNs (roles, assumed roles, users) and access key ids, which say more than a user needs. */
const SENSITIVE = [
  /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:[^\s"',;)]+/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
];

/** Replaces ARNs and access key ids in an AWS message with neutral words. */
export function redactAwsText(text: string): string {
  return SENSITIVE.reduce(
    (out, pattern) => out.replace(pattern, '(redacted)'),
    text,
  );
}

/**
 * An AWS error as users without the admin permission see it: the error code and AWS's
 * message without role ARNs or key ids. The full text goes to the log and the audit.
 */
export function summarizeAwsError(error: unknown): {
  code: string;
  message: string;
} {
  const info = describeAwsError(error);
  return { code: info.code, message: redactAwsText(info.message) };
}
