import { SimError } from '../../errors';
import type { RestApiState } from '../../estate/model';
import { InvalidTokenError, paginate } from '../../pagination';
import { jsonResponse } from '../../protocols/restJson';
import type { SimRequest, SimResponse } from '../../protocols/types';
import type { CallContext } from '../types';

export type Handler = (
  ctx: CallContext,
  req: SimRequest,
  params: Record<string, string>,
) => SimResponse;

export const badRequest = (message: string) =>
  new SimError('BadRequestException', message, 400);
export const notFound = (message: string, fields?: Record<string, string>) =>
  new SimError('NotFoundException', message, 404, { fields });

export function findRestApi(ctx: CallContext, restApiId: string): RestApiState {
  const api = ctx.regionState.restApisById.get(restApiId);
  if (!api)
    throw notFound(
      `Invalid API identifier specified ${ctx.identity.accountId}:${restApiId}`,
    );
  return api;
}

/**
 * How a version of the API names its paging: v1 `limit` and `position`, items in `item`
 * (AWS-FACTS §1); v2 `maxResults` (a string on the wire) and `nextToken`, items in `items`
 * (§2). The token's name is the same in the query and in the answer.
 */
export interface Paging {
  limit: string;
  token: string;
  items: string;
}

/** One page of a list: the limit is an integer from 1 to 500, 25 by default. */
export function listResponse<T>(
  paging: Paging,
  ctx: CallContext,
  req: SimRequest,
  items: readonly T[],
  list: string,
  shape: (item: T) => unknown,
): SimResponse {
  const raw = req.query.get(paging.limit);
  const limit = raw === null ? 25 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw badRequest(
      `Invalid ${paging.limit} '${raw}': must be an integer from 1 to 500`,
    );
  }
  let page;
  try {
    page = paginate(
      items,
      req.query.get(paging.token) ?? undefined,
      limit,
      list,
    );
  } catch (error) {
    if (error instanceof InvalidTokenError)
      throw badRequest(`Invalid ${paging.token}: ${error.message}`);
    throw error;
  }
  return jsonResponse(
    { [paging.items]: page.items.map(shape), [paging.token]: page.next },
    ctx.requestId,
  );
}
