/**
 * Frontend of the private API catalogue: the "Private API" entity tab, its cards and the
 * Private APIs page. This entry point serves Backstage's legacy frontend system; `/alpha`
 * serves the new one.
 *
 * @packageDocumentation
 */

export {
  privateApiPlugin,
  EntityPrivateApiContent,
  EntityPrivateApiOverviewCard,
  EntityPrivateApiInvokeCard,
  EntityPrivateApiAllowedCallersCard,
  EntityPrivateApiIntegrationCard,
  EntityPrivateApiAuthorizersCard,
  EntityPrivateApiCostCard,
  EntityPrivateApiDiagnosticsCard,
  PrivateApiExplorerPage,
  EntityPrivateApiAccessRequestsCard,
  PrivateApiAccessRequestsPage,
  PrivateApiSearchResultListItem,
} from './plugin';
export type { PrivateApiSearchResultListItemProps } from './components/search';
export { accessRequestsRouteRef, rootRouteRef } from './routes';
export {
  AccessRequestsClient,
  accessRequestsApiRef,
} from './api/AccessRequestsClient';
export type {
  AccessRequestsApi,
  ListAccessRequestsQuery,
} from './api/AccessRequestsClient';
export { isPrivateApiAvailable } from './conditions';
export { PrivateApiDataProvider } from './components/data/PrivateApiDataProvider';
export * from './api';
