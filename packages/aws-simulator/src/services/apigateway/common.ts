import { SimError } from '../../errors';
import type { RestApiState } from '../../estate/model';
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
