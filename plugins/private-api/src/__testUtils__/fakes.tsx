import { ReactNode } from 'react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ANNOTATION_API_GATEWAY_API_ID,
  ANNOTATION_API_GATEWAY_API_TYPE,
  ANNOTATION_API_GATEWAY_ENDPOINT_TYPE,
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_ARN,
  ANNOTATION_AWS_REGION,
  ApiCostResponse,
  ApiDetailsResponse,
  apiEntityName,
  ApiRecord,
  ApiSummary,
  estimateMonthlyCost,
  usageFromInventory,
} from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiApi, privateApiApiRef } from '../api';
import {
  AccessRequestsApi,
  accessRequestsApiRef,
} from '../api/AccessRequestsClient';

/** Cards that can open the access-request form get a backend with no requests yet. */
const noAccessRequests: AccessRequestsApi = {
  list: async () => [],
  get: async id => Promise.reject(new Error(`No access request ${id}`)),
  create: async () => Promise.reject(new Error('not in this test')),
  preview: async () => Promise.reject(new Error('not in this test')),
  approve: async () => Promise.reject(new Error('not in this test')),
  reject: async () => Promise.reject(new Error('not in this test')),
  apply: async () => Promise.reject(new Error('not in this test')),
  cancel: async () => Promise.reject(new Error('not in this test')),
  verify: async () => Promise.reject(new Error('not in this test')),
};
import * as demo from './demoData';

/** Every API of the demo fixtures, by id: what the fake client serves. */
const DETAILS: ApiDetailsResponse[] = [
  demo.paymentsApi,
  demo.paymentsLedgerInternal,
  demo.refundsApi,
  demo.paymentsWebhooks,
  demo.paymentsEvents,
  demo.ordersInternal,
  demo.identityApi,
  demo.fraudScoringInternal,
  demo.shippingQuotesHttp,
  demo.sessionAdminApi,
];

/** The API entity discovery writes for an API (its annotations are what the cards read). */
export function entityOf(details: ApiDetailsResponse): Entity {
  const { api } = details;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: apiEntityName(api),
      title: api.name,
      annotations: {
        [ANNOTATION_AWS_ACCOUNT_ID]: api.accountId,
        [ANNOTATION_AWS_REGION]: api.region,
        [ANNOTATION_AWS_ARN]: api.arn,
        [ANNOTATION_API_GATEWAY_API_ID]: api.apiId,
        [ANNOTATION_API_GATEWAY_API_TYPE]: api.apiType,
        [ANNOTATION_API_GATEWAY_ENDPOINT_TYPE]: api.endpointType,
      },
    },
    spec: { type: 'openapi', owner: 'team-payments', lifecycle: 'production' },
  };
}

const STATUS_TEXT: Record<number, string> = {
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The error the real client throws for a backend answer with this status. */
export async function responseError(
  status: number,
  message: string,
): Promise<ResponseError> {
  const name = status === 404 ? 'NotFoundError' : 'Error';
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'GET', url: '/api/private-api/apis' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: STATUS_TEXT[status] ?? 'Error',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

/** What the backend answers about the cost of an API alone in its account and Region. */
export function costOf(api: ApiRecord): ApiCostResponse {
  const estimate = estimateMonthlyCost(usageFromInventory([api]));
  return {
    estimate: estimate.apis[0],
    advice: estimate.advice,
    assumptions: estimate.assumptions,
    priceTables: estimate.priceTables,
  };
}

/** A client over the demo fixtures; any method can be replaced (a pending promise: loading). */
/** The demo's owners as the backend stores them: the owner tag, else the default owner. */
export function demoOwner(api: ApiSummary): string {
  return `group:default/${api.tags.owner ?? 'platform-defaults'}`;
}

export function fakeClient(
  overrides: Partial<PrivateApiApi> = {},
): jest.Mocked<PrivateApiApi> {
  return {
    getHealth: jest.fn(async () => ({ status: 'ok' })),
    listApis: jest.fn(async (query = {}) => {
      // The backend's filters, sorts and cursors, as far as the demo list needs them.
      const items = demo.demoApiList.items
        .map(api => ({ ...api, owner: demoOwner(api) }))
        .filter(
          api =>
            (!query.accountId || api.accountId === query.accountId) &&
            (!query.region || api.region === query.region) &&
            (!query.apiType || api.apiType === query.apiType) &&
            (!query.endpointType || api.endpointType === query.endpointType) &&
            (!query.authorization ||
              api.authorizationTypes.includes(query.authorization)) &&
            (!query.owner || api.owner === query.owner) &&
            (!query.q || `${api.name} ${api.apiId}`.includes(query.q)) &&
            (!query.reachableFrom ||
              api.callerAccess === 'any' ||
              api.access?.vpcEndpointId === query.reachableFrom) &&
            (!query.noPolicy || api.hasPolicy === false) &&
            (!query.openToAnyEndpoint || api.callerAccess === 'any') &&
            (!query.crossAccount || api.crossAccount === true) &&
            (!query.stale || api.stale),
        )
        .sort((a, b) => {
          const key = (api: ApiSummary): Array<string | number> => {
            switch (query.sort ?? 'name') {
              case 'monthlyCost':
                return [api.monthlyCostUsd ?? -1, api.name];
              case 'owner':
                return [api.owner ?? '', api.name];
              case 'account':
                return [api.accountId, api.region, api.name];
              default:
                return [api.name];
            }
          };
          const [ka, kb] = [key(a), key(b)];
          for (let i = 0; i < ka.length; i++) {
            if (ka[i] !== kb[i]) {
              const c = ka[i] < kb[i] ? -1 : 1;
              return query.order === 'desc' ? -c : c;
            }
          }
          return 0;
        });
      // The fake's cursor is the offset of the next page.
      const offset = query.after ? Number(query.after) : query.offset ?? 0;
      const limit = query.limit ?? 100;
      const priced = items.filter(api => api.monthlyCostUsd !== undefined);
      return {
        items: items.slice(offset, offset + limit),
        ...(offset + limit < items.length
          ? { nextCursor: String(offset + limit) }
          : {}),
        ...(query.totals
          ? {
              totalCount: items.length,
              pricedCount: priced.length,
              monthlyCostTotalUsd: priced.reduce(
                (sum, api) => sum + (api.monthlyCostUsd ?? 0),
                0,
              ),
            }
          : {}),
      };
    }),
    getApiDetails: jest.fn(async ({ apiId }) => {
      const found = DETAILS.find(d => d.api.apiId === apiId);
      if (!found) throw await responseError(404, `No API ${apiId}`);
      return found;
    }),
    getApiDefinition: jest.fn(async () => '{"openapi":"3.0.1"}'),
    getApiCost: jest.fn(async ({ apiId }) => {
      const found = DETAILS.find(d => d.api.apiId === apiId);
      if (!found) throw await responseError(404, `No API ${apiId}`);
      return costOf(found.api);
    }),
    getEstate: jest.fn(async () => demo.demoEstate),
    listVpcEndpoints: jest.fn(async () => ({ items: [] })),
    getApiCallers: jest.fn(async () => ({
      unnamed: { verdict: 'denied' as const, principals: [], reason: 'Denied' },
      items: [],
      vpcIds: [],
    })),
    listScopes: jest.fn(async () => demo.demoScopes),
    refresh: jest.fn(async () => undefined),
    getDiscoveryStatus: jest.fn(async () => ({
      configured: true,
      running: false,
      lastRun: {
        startedAt: '2026-11-20T10:00:00.000Z',
        finishedAt: '2026-11-20T10:01:00.000Z',
      },
      nextRunAt: '2026-11-20T10:10:00.000Z',
      schedule: 'every 10 minutes',
    })),
    ...overrides,
  } as jest.Mocked<PrivateApiApi>;
}

/** Never settles: the card stays in its loading state. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** A card as it sits on the entity page of `details`' API. */
export function OnEntityPage(props: {
  client: PrivateApiApi;
  entity: Entity;
  children: ReactNode;
}) {
  return (
    <TestApiProvider
      apis={[
        [privateApiApiRef, props.client],
        [accessRequestsApiRef, noAccessRequests],
      ]}
    >
      <EntityProvider entity={props.entity}>{props.children}</EntityProvider>
    </TestApiProvider>
  );
}

/** Renders a card on the entity page of `details`' API, with a fake client over the demo. */
export async function renderCard(
  card: JSX.Element,
  details: ApiDetailsResponse,
  client: PrivateApiApi = fakeClient({
    getApiDetails: jest.fn(async () => details),
    getApiCost: jest.fn(async () => costOf(details.api)),
  }),
) {
  return renderInTestApp(
    <OnEntityPage client={client} entity={entityOf(details)}>
      {card}
    </OnEntityPage>,
  );
}
