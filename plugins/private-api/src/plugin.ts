import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import { PRIVATE_API_PLUGIN_ID } from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiClient, privateApiApiRef } from './api';
import {
  AccessRequestsClient,
  accessRequestsApiRef,
} from './api/AccessRequestsClient';
import { accessRequestsRouteRef, rootRouteRef } from './routes';

/**
 * The private API catalogue for Backstage's legacy frontend system.
 *
 * @public
 */
export const privateApiPlugin = createPlugin({
  id: PRIVATE_API_PLUGIN_ID,
  apis: [
    createApiFactory({
      api: privateApiApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PrivateApiClient(deps),
    }),
    createApiFactory({
      api: accessRequestsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AccessRequestsClient(deps),
    }),
  ],
  routes: { root: rootRouteRef, accessRequests: accessRequestsRouteRef },
});

/**
 * The "Private API" tab content for API entities: every card, with the API's data loaded
 * once for all of them.
 *
 * @public
 */
export const EntityPrivateApiContent = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiContent',
    component: {
      lazy: () =>
        import('./components/PrivateApiContent').then(m => m.PrivateApiContent),
    },
  }),
);

/**
 * API type, endpoint type, account, Region, stages, tags, console and OpenAPI links, and
 * the freshness of the data.
 *
 * @public
 */
export const EntityPrivateApiOverviewCard = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiOverviewCard',
    component: {
      lazy: () =>
        import('./components/cards').then(m => m.PrivateApiOverviewCard),
    },
  }),
);

/**
 * How to call the API from where the caller is: every option with its availability, URLs
 * per stage, ready commands and caveats.
 *
 * @public
 */
export const EntityPrivateApiInvokeCard = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiInvokeCard',
    component: {
      lazy: () =>
        import('./components/cards').then(m => m.PrivateApiInvokeCard),
    },
  }),
);

/**
 * Who the resource policy lets call the API, with the deciding statements and findings.
 *
 * @public
 */
export const EntityPrivateApiAllowedCallersCard = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiAllowedCallersCard',
    component: {
      lazy: () =>
        import('./components/cards').then(m => m.PrivateApiAllowedCallersCard),
    },
  }),
);

/**
 * What is behind the API: integration targets with their routes and VPC links.
 *
 * @public
 */
export const EntityPrivateApiIntegrationCard = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiIntegrationCard',
    component: {
      lazy: () =>
        import('./components/cards').then(m => m.PrivateApiIntegrationCard),
    },
  }),
);

/**
 * The authorizers and the routes that use each; routes without authorization flagged.
 *
 * @public
 */
export const EntityPrivateApiAuthorizersCard = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiAuthorizersCard',
    component: {
      lazy: () =>
        import('./components/cards').then(m => m.PrivateApiAuthorizersCard),
    },
  }),
);

/**
 * The monthly cost estimate, the last 30 days of requests, the advice and the price table.
 *
 * @public
 */
export const EntityPrivateApiCostCard = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiCostCard',
    component: {
      lazy: () => import('./components/cards').then(m => m.PrivateApiCostCard),
    },
  }),
);

/**
 * "Can my VPC call this API?": every reachability check with its fix.
 *
 * @public
 */
export const EntityPrivateApiDiagnosticsCard = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiDiagnosticsCard',
    component: {
      lazy: () =>
        import('./components/cards').then(m => m.PrivateApiDiagnosticsCard),
    },
  }),
);

/**
 * The Private APIs page: every discovered API, filters, crawl status.
 *
 * @public
 */
export const PrivateApiExplorerPage = privateApiPlugin.provide(
  createRoutableExtension({
    name: 'PrivateApiExplorerPage',
    component: () =>
      import('./components/ExplorerPage').then(m => m.PrivateApiExplorerPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The API's VPC access requests, with "Request access" and, for its owners, approve,
 * reject and apply.
 *
 * @public
 */
export const EntityPrivateApiAccessRequestsCard = privateApiPlugin.provide(
  createComponentExtension({
    name: 'EntityPrivateApiAccessRequestsCard',
    component: {
      lazy: () =>
        import('./components/cards').then(m => m.PrivateApiAccessRequestsCard),
    },
  }),
);

/**
 * "My requests" and the owners' approval queue, with each request's timeline; mount it at
 * `/private-apis/access-requests` (the notifications link there).
 *
 * @public
 */
export const PrivateApiAccessRequestsPage = privateApiPlugin.provide(
  createRoutableExtension({
    name: 'PrivateApiAccessRequestsPage',
    component: () =>
      import('./components/AccessRequests').then(m => m.AccessRequestsPage),
    mountPoint: accessRequestsRouteRef,
  }),
);

/**
 * The search result item of discovered APIs (search type `private-api`), for the legacy
 * search page: put it inside `<SearchResult>`.
 *
 * @public
 */
export const PrivateApiSearchResultListItem = privateApiPlugin.provide(
  createSearchResultListItemExtension({
    name: 'PrivateApiSearchResultListItem',
    component: () =>
      import('./components/search').then(m => m.PrivateApiSearchResultListItem),
    predicate: result => result.type === 'private-api',
  }),
);
