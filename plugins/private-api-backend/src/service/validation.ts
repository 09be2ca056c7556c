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

/**
 * Characters no field of this API takes: NUL and the other C0 controls but tab, line feed
 * and carriage return, DEL, the C1 controls, and the bidirectional overrides that make
 * text read differently from what it says. PostgreSQL refuses NUL outright; the others
 * would be stored and shown as they came.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS =
  // Matching control characters is this pattern's purpose.
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function describeCharacter(text: string): string {
  const c = text.match(UNSAFE_CHARACTERS)![0];
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first field (path in dots) of a JSON value holding an unsafe character, if any. */
export function findUnsafeText(
  value: unknown,
  path: string[] = [],
): { path: string; character: string } | undefined {
  if (typeof value === 'string') {
    return UNSAFE_CHARACTERS.test(value)
      ? { path: path.join('.'), character: describeCharacter(value) }
      : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], [...path, String(i)]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found =
        findUnsafeText(key, [...path, key]) ??
        findUnsafeText(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Middleware: 400 for a query or JSON body with control or bidirectional-override
 * characters, before any handler or database sees them.
 */
export function rejectUnsafeInput(
  req: { query: unknown; body: unknown },
  _res: unknown,
  next: (error?: unknown) => void,
) {
  for (const [what, value] of [
    ['query', req.query],
    ['body', req.body],
  ] as const) {
    const found = findUnsafeText(value);
    if (found) {
      next(
        new InputError(
          `Invalid ${what}: ${
            found.path || 'value'
          } contains the control character ${
            found.character
          }; remove it (only tabs and line breaks are allowed in text)`,
        ),
      );
      return;
    }
  }
  next();
}

/** A request id in a path: a UUID, else 400 (not 404: the id cannot exist). */
export const requestIdParams = z.object({
  id: z
    .string()
    .uuid(
      'must be a request id (a UUID such as 0c6e5b0e-8a6f-4a57-9d0e-6f1f8f0c2b1a)',
    ),
});
