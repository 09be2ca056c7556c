import { Route, Routes } from 'react-router-dom';
import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  EntityPrivateApiContent,
  EntityPrivateApiCostCard,
  PrivateApiExplorerPage,
  privateApiPlugin,
  rootRouteRef,
} from './index';
import { privateApiApiRef } from './api';
import { entityOf, fakeClient } from './__testUtils__/fakes';
import { paymentsLedgerInternal } from './__testUtils__/demoData';

describe('the legacy frontend system exports', () => {
  it('mount the explorer page on the plugin route', async () => {
    expect(privateApiPlugin.routes.root).toBe(rootRouteRef);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [privateApiApiRef, fakeClient()],
          [catalogApiRef, catalogApiMock()],
        ]}
      >
        {/* As in an app's FlatRoutes: the route gives the page its path. */}
        <Routes>
          <Route path="/private-apis" element={<PrivateApiExplorerPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/private-apis'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'Private APIs', level: 1 }),
    ).toBeInTheDocument();
  });

  it('render the tab and a card placed on its own', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[privateApiApiRef, fakeClient()]]}>
        <EntityProvider entity={entityOf(paymentsLedgerInternal)}>
          <EntityPrivateApiCostCard />
          <EntityPrivateApiContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    // The card on its own and the tab's Cost card both show the NLB advice.
    expect(
      await screen.findAllByText(/pays \$16.43 a month for the load balancer/),
    ).toHaveLength(2);
  });
});
