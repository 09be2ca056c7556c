import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  ApiSummary,
  ApiType,
  EndpointType,
} from '@private-api-catalog/plugin-private-api-common';
import { ListApisQuery } from '../../api';

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

/** The filters the backend applies (the others apply to what it returns). */
export function serverQuery(filters: ExplorerFilters): ListApisQuery {
  return {
    accountId: filters.accountId || undefined,
    region: filters.region || undefined,
    apiType: (filters.apiType || undefined) as ApiType | undefined,
    endpointType: (filters.endpointType || undefined) as
      | EndpointType
      | undefined,
    q: filters.q || undefined,
    reachableFrom: filters.from || undefined,
    noPolicy: filters.noPolicy === 'true' || undefined,
    openToAnyEndpoint: filters.openToAnyEndpoint === 'true' || undefined,
    crossAccount: filters.crossAccount === 'true' || undefined,
    stale: filters.stale === 'true' || undefined,
  };
}

/** Authorization (the backend has no such filter) and the catalog owner. */
export function matchesClientFilters(
  api: ApiSummary,
  filters: ExplorerFilters,
  ownerOf: (entityName: string) => string | undefined,
): boolean {
  if (
    filters.authorization &&
    !api.authorizationTypes.includes(filters.authorization)
  ) {
    return false;
  }
  if (filters.owner && ownerOf(api.entityName) !== filters.owner) return false;
  return true;
}
