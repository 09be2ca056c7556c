import { InputError } from '@backstage/errors';
import {
  AWS_ID_DESCRIPTIONS,
  AWS_ID_PATTERNS,
} from '@private-api-catalog/plugin-private-api-common';
import { z } from 'zod';

/** A zod string for one kind of AWS id, with the message that says what it should look like. */
export function awsId(kind: keyof typeof AWS_ID_PATTERNS) {
  return z
    .string()
    .regex(AWS_ID_PATTERNS[kind], `must be ${AWS_ID_DESCRIPTIONS[kind]}`);
}

/** Parses with zod; a failure is a 400 InputError that names each bad field. */
export function parseInput<T>(
  schema: z.ZodType<T, unknown>,
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues
      .map(i =>
        i.path.length
          ? `${i.path.map(String).join('.')}: ${i.message}`
          : i.message,
      )
      .join('; ');
    throw new InputError(`Invalid ${what}: ${problems}`);
  }
  return result.data;
}
