/**
 * Opaque page tokens. A token names the list it was issued for, so a token passed to the
 * wrong operation (or a made-up one) is rejected instead of silently restarting the list.
 */
export interface Page<T> {
  items: T[];
  /** Token of the next page; undefined on the last page. */
  next?: string;
}

export class InvalidTokenError extends Error {}

interface TokenBody {
  /** The list the token belongs to. */
  l: string;
  /** Offset of the next item. */
  o: number;
  /** Free-form state (e.g. Organizations' empty-page phase). */
  s?: number;
}

export function encodeToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

export function decodeToken(
  token: string,
  list: string,
): { offset: number; state?: number } {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError(`Invalid pagination token '${token}'`);
  }
  const candidate = body as Partial<TokenBody> | null;
  if (
    !candidate ||
    typeof candidate.o !== 'number' ||
    !Number.isInteger(candidate.o) ||
    candidate.o < 0 ||
    candidate.l !== list
  ) {
    throw new InvalidTokenError(`Invalid pagination token '${token}'`);
  }
  return { offset: candidate.o, state: candidate.s };
}

/** One page of `items` starting at the token's offset. */
export function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  limit: number,
  list: string,
): Page<T> {
  const offset = token ? decodeToken(token, list).offset : 0;
  const end = offset + limit;
  return {
    items: items.slice(offset, end),
    next: end < items.length ? encodeToken({ l: list, o: end }) : undefined,
  };
}
