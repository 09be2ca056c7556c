import { createContext, ReactNode, useContext, useMemo } from 'react';
import useAsyncRetry, { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ApiDetailsResponse,
  EstateResponse,
} from '@private-api-catalog/plugin-private-api-common';
import { privateApiApiRef } from '../../api';
import { apiLocatorOf } from './locator';

/** The entity's API and the estate around it, as loaded for one entity page. */
export interface PrivateApiData {
  details: AsyncStateRetry<ApiDetailsResponse | undefined>;
  estate: AsyncStateRetry<EstateResponse | undefined>;
}

const PrivateApiDataContext = createContext<PrivateApiData | undefined>(
  undefined,
);

function useDetailsLoader(skip: boolean) {
  const { entity } = useEntity();
  const client = useApi(privateApiApiRef);
  const { locator } = apiLocatorOf(entity);
  const { accountId, region, apiId } = locator ?? {};
  return useAsyncRetry(async () => {
    if (skip || !accountId || !region || !apiId) return undefined;
    return client.getApiDetails({ accountId, region, apiId });
  }, [client, skip, accountId, region, apiId]);
}

function useEstateLoader(skip: boolean) {
  const client = useApi(privateApiApiRef);
  return useAsyncRetry(async () => {
    if (skip) return undefined;
    return client.getEstate();
  }, [client, skip]);
}

/**
 * Loads the entity's API details and the estate once, for every card inside it: the
 * Private API tab wraps its cards in it. Cards placed on their own load what they need
 * themselves (the client merges identical requests made at the same time).
 *
 * @public
 */
export function PrivateApiDataProvider(props: { children: ReactNode }) {
  const details = useDetailsLoader(false);
  const estate = useEstateLoader(false);
  const value = useMemo(() => ({ details, estate }), [details, estate]);
  return (
    <PrivateApiDataContext.Provider value={value}>
      {props.children}
    </PrivateApiDataContext.Provider>
  );
}

/** The entity's API details: shared when inside a provider, else loaded here. */
export function usePrivateApiDetails(): PrivateApiData['details'] {
  const shared = useContext(PrivateApiDataContext);
  const own = useDetailsLoader(shared !== undefined);
  return shared?.details ?? own;
}

/** The estate (accounts, VPC endpoints, VPCs); `needed: false` loads nothing. */
export function usePrivateApiEstate(needed: boolean): PrivateApiData['estate'] {
  const shared = useContext(PrivateApiDataContext);
  const own = useEstateLoader(shared !== undefined || !needed);
  return shared?.estate ?? own;
}
