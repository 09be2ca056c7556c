import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  API_LIST_SORTS,
  ApiListSort,
  ApiType,
  EndpointType,
} from '@private-api-catalog/plugin-private-api-common';
import { ListApisQuery } from '../../api';
import { ApiPageOrder, PAGE_SIZES } from '../common/useApiPages';

/** The explorer's filters; kept in the URL so a filtered view can be shared as a link. */
export interface ExplorerFilters {
  accountId: string;
  region: string;
  apiType: string;
  endpointType: string;
  authorization: string;
  owner: string;
  q: string;
  /** "Callable from": a VPC or VPC endpoint id. */
  from: string;
  /** 'true' or ''. */
  noPolicy: string;
  openToAnyEndpoint: string;
  crossAccount: string;
  stale: string;
}

export const FILTER_KEYS: Array<keyof ExplorerFilters> = [
  'accountId',
  'region',
  'apiType',
  'endpointType',
  'authorization',
  'owner',
  'q',
  'from',
  'noPolicy',
  'openToAnyEndpoint',
  'crossAccount',
  'stale',
];

/** The on/off filters, with what each shows. */
export const FLAG_FILTERS: Array<{
  key: 'noPolicy' | 'openToAnyEndpoint' | 'crossAccount' | 'stale';
  label: string;
}> = [
  { key: 'noPolicy', label: 'No resource policy' },
  { key: 'openToAnyEndpoint', label: 'Open to any VPC endpoint' },
  { key: 'crossAccount', label: 'Callable from another account' },
  { key: 'stale', label: 'Stale data' },
];

export const API_TYPES: ApiType[] = ['REST', 'HTTP', 'WEBSOCKET'];
export const ENDPOINT_TYPES: EndpointType[] = ['PRIVATE', 'REGIONAL', 'EDGE'];
export const AUTHORIZATION_TYPES: Array<{ value: string; label: string }> = [
  { value: 'NONE', label: 'None (open routes)' },
  { value: 'AWS_IAM', label: 'IAM (SigV4)' },
  { value: 'CUSTOM', label: 'Lambda authorizer' },
  { value: 'COGNITO_USER_POOLS', label: 'Cognito user pool' },
  { value: 'JWT', label: 'JWT' },
];

export function useExplorerFilters(): [
  ExplorerFilters,
  (change: Partial<ExplorerFilters>) => void,
] {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(
    FILTER_KEYS.map(key => [key, params.get(key) ?? '']),
  ) as unknown as ExplorerFilters;
  const update = useCallback(
    (change: Partial<ExplorerFilters>) =>
      setParams(
        current => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(change)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [filters, update];
}

/** The filters of `GET /apis`: every one applies on the server, before paging. */
export function serverQuery(filters: ExplorerFilters): ListApisQuery {
  return {
    accountId: filters.accountId || undefined,
    region: filters.region || undefined,
    apiType: (filters.apiType || undefined) as ApiType | undefined,
    endpointType: (filters.endpointType || undefined) as
      | EndpointType
      | undefined,
    authorization: (filters.authorization ||
      undefined) as ListApisQuery['authorization'],
    owner: filters.owner || undefined,
    q: filters.q || undefined,
    reachableFrom: filters.from || undefined,
    noPolicy: filters.noPolicy === 'true' || undefined,
    openToAnyEndpoint: filters.openToAnyEndpoint === 'true' || undefined,
    crossAccount: filters.crossAccount === 'true' || undefined,
    stale: filters.stale === 'true' || undefined,
  };
}

/**
 * The table's order and page size, in the URL with the filters (`sort`, `order`,
 * `pageSize`): by name, 50 a page, unless it says otherwise.
 */
export function useExplorerOrder(): [
  ApiPageOrder,
  (change: Partial<ApiPageOrder>) => void,
] {
  const [params, setParams] = useSearchParams();
  const sortParam = params.get('sort') as ApiListSort | null;
  const sizeParam = Number(params.get('pageSize'));
  const order: ApiPageOrder = {
    sort: sortParam && API_LIST_SORTS.includes(sortParam) ? sortParam : 'name',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    pageSize: PAGE_SIZES.includes(sizeParam) ? sizeParam : 50,
  };
  const update = useCallback(
    (change: Partial<ApiPageOrder>) =>
      setParams(
        current => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(change)) {
            next.set(key, String(value));
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [order, update];
}
