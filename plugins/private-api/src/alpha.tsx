import { ReactElement } from 'react';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import VpnLockIcon from '@material-ui/icons/VpnLock';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { Content } from '@backstage/core-components';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import {
  PRIVATE_API_PLUGIN_ID,
  PRIVATE_API_SEARCH_TYPE,
} from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiClient, privateApiApiRef } from './api';
import {
  AccessRequestsClient,
  accessRequestsApiRef,
} from './api/AccessRequestsClient';
import { isPrivateApiAvailable, isVpcEndpointAvailable } from './conditions';
import { accessRequestsRouteRef, rootRouteRef } from './routes';

/** The page's route in the new system: the legacy ref, converted once and shared. */
const explorerRouteRef = convertLegacyRouteRef(rootRouteRef);

const privateApiClient = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: privateApiApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PrivateApiClient(deps),
    }),
});

const accessRequestsClient = ApiBlueprint.make({
  name: 'access-requests',
  params: defineParams =>
    defineParams({
      api: accessRequestsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AccessRequestsClient(deps),
    }),
});

/** The "Private API" tab on API entities discovered by the catalogue. */
const privateApiEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/private-api',
    title: 'Private API',
    filter: isPrivateApiAvailable,
    loader: () =>
      import('./components/PrivateApiContent').then(m => (
        <m.PrivateApiContent />
      )),
  },
});

type Cards = typeof import('./components/cards');

/**
 * One card of the tab as an entity card of its own, for adopters who want it on the entity
 * Overview. Disabled by default: the tab already shows every card, so enabling them all
 * would repeat it on the Overview (enable one with `entity-card:private-api/<name>: true`).
 */
function card<TName extends string>(
  name: TName,
  render: (cards: Cards) => ReactElement,
) {
  return EntityCardBlueprint.make({
    name,
    disabled: true,
    params: {
      filter: isPrivateApiAvailable,
      loader: () => import('./components/cards').then(render),
    },
  });
}

const cards = [
  card('overview', m => <m.PrivateApiOverviewCard />),
  card('invoke', m => <m.PrivateApiInvokeCard />),
  card('allowed-callers', m => <m.PrivateApiAllowedCallersCard />),
  card('integration', m => <m.PrivateApiIntegrationCard />),
  card('authorizers', m => <m.PrivateApiAuthorizersCard />),
  card('cost', m => <m.PrivateApiCostCard />),
  card('diagnostics', m => <m.PrivateApiDiagnosticsCard />),
  card('access-requests', m => <m.PrivateApiAccessRequestsCard />),
  // On the VPC endpoint Resources discovery writes; on by default (no tab repeats it).
  EntityCardBlueprint.make({
    name: 'vpc-endpoint-apis',
    params: {
      filter: isVpcEndpointAvailable,
      loader: () =>
        import('./components/cards').then(m => (
          <m.PrivateApiVpcEndpointApisCard />
        )),
    },
  }),
];

/** The Private APIs page, with a sidebar entry (title and icon). */
const privateApiExplorerPage = PageBlueprint.make({
  params: {
    path: '/private-apis',
    title: 'Private APIs',
    icon: <VpnLockIcon fontSize="inherit" />,
    routeRef: explorerRouteRef,
    loader: () =>
      import('./components/ExplorerPage').then(m => (
        <Content>
          <m.PrivateApiExplorerContent />
        </Content>
      )),
  },
});

/** "My requests" and the owners' approval queue, with a sidebar entry. */
const accessRequestsPage = PageBlueprint.make({
  name: 'access-requests',
  params: {
    path: '/private-apis/access-requests',
    title: 'VPC access',
    icon: <VpnKeyIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(accessRequestsRouteRef),
    loader: () =>
      import('./components/AccessRequests').then(m => (
        <Content>
          <m.AccessRequestsContent />
        </Content>
      )),
  },
});

/** Discovered APIs in Backstage search (documents of the search collator module). */
const privateApiSearchResultItem = SearchResultListItemBlueprint.make({
  params: {
    predicate: result => result.type === PRIVATE_API_SEARCH_TYPE,
    icon: <VpnLockIcon />,
    component: () =>
      import('./components/search').then(
        m => m.PrivateApiSearchResultListItem,
      ),
  },
});

/** "Private APIs" among the search page's result types. */
const privateApiSearchResultType = SearchFilterResultTypeBlueprint.make({
  params: {
    value: PRIVATE_API_SEARCH_TYPE,
    name: 'Private APIs',
    icon: <VpnLockIcon />,
  },
});

/**
 * The private API catalogue for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: PRIVATE_API_PLUGIN_ID,
  title: 'Private APIs',
  icon: <VpnLockIcon fontSize="inherit" />,
  routes: { root: explorerRouteRef },
  extensions: [
    privateApiClient,
    accessRequestsClient,
    privateApiEntityContent,
    ...cards,
    privateApiExplorerPage,
    accessRequestsPage,
    privateApiSearchResultItem,
    privateApiSearchResultType,
  ],
});
