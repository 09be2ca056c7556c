import { ResponseError } from '@backstage/errors';

/**
 * What to tell the user about a failed call: the backend's own explanation (which says
 * what was wrong and what to do), not the HTTP status line ResponseError leads with.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
