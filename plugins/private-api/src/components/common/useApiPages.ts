import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import {
  ApiListResponse,
  ApiListSort,
} from '@private-api-catalog/plugin-private-api-common';
import { ListApisQuery, privateApiApiRef } from '../../api';

/** The page sizes a reader may pick. */
export const PAGE_SIZES = [25, 50, 100];

export interface ApiPageOrder {
  sort: ApiListSort;
  order: 'asc' | 'desc';
  pageSize: number;
}

/**
 * One page of `GET /apis` at a time, in the server's order, with next and previous by
 * keyset cursor (a stack of the cursors that led here), and the count and cost total of
 * every match asked for apart: they change with the filters only, not with the page or the
 * sort. A new filter, sort or page size starts again from the first page. Without a query
 * (nothing to ask yet) it asks nothing and shows no row.
 */
export function useApiPages(
  query: ListApisQuery | undefined,
  pageOrder: ApiPageOrder,
) {
  const client = useApi(privateApiApiRef);
  const filterKey = JSON.stringify(query);
  const key = JSON.stringify([query, pageOrder]);
  const [cursors, setCursors] = useState<{
    key: string;
    stack: Array<string | undefined>;
  }>({ key, stack: [undefined] });
  const stack = cursors.key === key ? cursors.stack : [undefined];
  const after = stack[stack.length - 1];
  const page = useAsyncRetry(
    async (): Promise<ApiListResponse> =>
      !query
        ? { items: [] }
        : client.listApis({
            ...query,
            sort: pageOrder.sort,
            order: pageOrder.order,
            limit: pageOrder.pageSize,
            after,
            totals: false,
          }),
    // The query's content, not its identity, decides when to load again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, key, after],
  );
  const totals = useAsyncRetry(
    async (): Promise<ApiListResponse | undefined> =>
      query && client.listApis({ ...query, limit: 0, totals: true }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, filterKey],
  );
  const nextCursor = page.loading ? undefined : page.value?.nextCursor;
  return {
    items: page.value?.items ?? [],
    loading: page.loading,
    error: page.error,
    retry: page.retry,
    pageIndex: stack.length - 1,
    next: nextCursor
      ? () => setCursors({ key, stack: [...stack, nextCursor] })
      : undefined,
    previous:
      stack.length > 1
        ? () => setCursors({ key, stack: stack.slice(0, -1) })
        : undefined,
    totals,
  };
}

export type ApiPages = ReturnType<typeof useApiPages>;
