import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { PrivateApiApi, privateApiApiRef } from '../../api';
import { demoOwner, fakeClient } from '../../__testUtils__/fakes';
import { demoApiList, demoScopes } from '../../__testUtils__/demoData';
import { PrivateApiExplorerPage } from './ExplorerPage';

// The explorer renders 40 rows with every filter: slow on a busy machine (one test took
// over 60 s at a load average of 17 on 2 cores).
jest.setTimeout(180_000);

/** The catalog's API entities for the demo APIs, owned as their owner tag says. */
const entities: Entity[] = demoApiList.items.map(api => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: {
    name: api.entityName,
    annotations: { 'amazonaws.com/api-gateway-api-id': api.apiId },
  },
  spec: {
    type: 'openapi',
    lifecycle: 'production',
    owner: api.tags.owner ?? 'platform-defaults',
  },
}));

async function renderExplorer(
  client: PrivateApiApi = fakeClient(),
  path = '/private-apis',
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [privateApiApiRef, client],
        [catalogApiRef, catalogApiMock({ entities })],
      ]}
    >
      <PrivateApiExplorerPage />
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

function apiNames() {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).queryAllByRole('link')[0]?.textContent)
    .filter(Boolean);
}

describe('PrivateApiExplorerPage', () => {
  it('lists every discovered API with links to their entity pages, "—" for figures not computed', async () => {
    const list = {
      ...demoApiList,
      items: demoApiList.items.map(api =>
        api.apiId === '4qzwubhjbs'
          ? {
              ...api,
              owner: demoOwner(api),
              allowedVpcCount: undefined,
              monthlyCostUsd: undefined,
            }
          : { ...api, owner: demoOwner(api) },
      ),
    };
    await renderExplorer(fakeClient({ listApis: jest.fn(async () => list) }));
    expect(await screen.findByText(/^40 APIs\b/)).toBeInTheDocument();
    const payments = screen.getByRole('link', { name: 'payments-api' });
    expect(payments).toHaveAttribute(
      'href',
      '/catalog/default/api/payments-api-4qzwubhjbs',
    );
    const row = payments.closest('tr')!;
    // The owner as the backend stored it (the catalog's rule), linked to its entity.
    expect(
      within(row).getByRole('link', { name: 'team-payments' }),
    ).toBeInTheDocument();
    expect(row).toHaveTextContent('RESTPRIVATE');
    expect(row).toHaveTextContent('payments-prod222222222222');
    expect(within(row).getAllByText('—')).toHaveLength(2);
    const ledger = screen
      .getByRole('link', { name: 'payments-ledger-internal' })
      .closest('tr')!;
    expect(ledger).toHaveTextContent('$16.43');
  });

  it('filters by API type on the backend, from the URL', async () => {
    const client = fakeClient();
    await renderExplorer(client, '/private-apis?apiType=WEBSOCKET');
    expect(await screen.findByText(/^2 APIs\b/)).toBeInTheDocument();
    expect(apiNames()).toEqual(['identity-notifications', 'order-status-ws']);
    expect(client.listApis).toHaveBeenCalledWith(
      expect.objectContaining({
        apiType: 'WEBSOCKET',
        limit: 50,
        sort: 'name',
        order: 'asc',
      }),
    );
  });

  it('filters by account and authorization', async () => {
    await renderExplorer();
    await screen.findByText(/^40 APIs\b/);
    await userEvent.selectOptions(
      screen.getByLabelText('Account'),
      '222222222222',
    );
    expect(await screen.findByText(/^11 APIs\b/)).toBeInTheDocument();
    await userEvent.selectOptions(
      screen.getByLabelText('Authorization'),
      'JWT',
    );
    expect(await screen.findByText(/^1 API\b/)).toBeInTheDocument();
    expect(apiNames()).toEqual(['payments-events']);
  });

  it('filters by the owner the catalog gives each API', async () => {
    await renderExplorer();
    await screen.findByText(/^40 APIs\b/);
    await waitFor(() =>
      expect(screen.getByLabelText('Owner')).not.toBeDisabled(),
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Owner'),
      'group:default/team-identity',
    );
    expect(await screen.findByText(/^9 APIs\b/)).toBeInTheDocument();
    expect(apiNames()).toContain('session-admin-api');
    expect(apiNames()).not.toContain('payments-api');
  });

  it('searches after a pause in typing, and says what to do when nothing matches', async () => {
    const client = fakeClient();
    // Fewer rows render faster: the search combines with the other filters.
    await renderExplorer(client, '/private-apis?accountId=222222222222');
    await screen.findByText(/^11 APIs\b/);
    await userEvent.type(screen.getByLabelText('Search APIs'), 'ledger');
    expect(await screen.findByText(/^1 API\b/)).toBeInTheDocument();
    expect(client.listApis).toHaveBeenLastCalledWith(
      expect.objectContaining({ accountId: '222222222222', q: 'ledger' }),
    );
    await userEvent.clear(screen.getByLabelText('Search APIs'));
    await userEvent.type(
      screen.getByLabelText('Search APIs'),
      'nothing-like-it',
    );
    expect(
      await screen.findByText(/No API matches these filters/),
    ).toBeInTheDocument();
  });

  it('shows the crawl status per account, a stale one with its error', async () => {
    const scopes = {
      items: demoScopes.items.map(s =>
        s.accountId === '555555555555' && s.region === 'us-east-1'
          ? {
              ...s,
              status: 'stale' as const,
              lastFailureAt: '2026-11-22T06:00:00.000Z',
              lastErrorCode: 'AccessDenied',
              lastErrorMessage:
                'Could not assume arn:aws:iam::555555555555:role/BackstageDiscovery: check its trust policy and external id',
            }
          : s,
      ),
    };
    await renderExplorer(
      fakeClient({ listScopes: jest.fn(async () => scopes) }),
    );
    expect(
      await screen.findByText(
        /The last crawl failed in data-analytics \(555555555555\) us-east-1/,
      ),
    ).toBeInTheDocument();
    const status = within(screen.getByRole('table', { name: 'Crawl status' }));
    const staleRow = status
      .getByText(/^AccessDenied: Could not assume/)
      .closest('tr')!;
    expect(staleRow).toHaveTextContent('us-east-1Stale');
    expect(staleRow).toHaveTextContent('(2026-11-22 06:00 UTC (');
    // One account cell over its two Regions.
    expect(status.getAllByText('data-analytics (555555555555)')).toHaveLength(
      1,
    );
  });

  it('starts discovery on request', async () => {
    const client = fakeClient();
    await renderExplorer(client);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Start discovery now' }),
    );
    expect(client.refresh).toHaveBeenCalledTimes(1);
  });

  it('shows a failed list request in place of the table', async () => {
    const client = fakeClient({
      listApis: jest.fn(async () => {
        throw new Error('inventory unavailable');
      }),
    });
    await renderExplorer(client);
    expect(
      (await screen.findAllByText(/inventory unavailable/))[0],
    ).toBeInTheDocument();
    expect(screen.queryByText(/\d+ APIs?$/)).not.toBeInTheDocument();
    client.listApis.mockImplementation(fakeClient().listApis);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('link', { name: 'payments-api' }),
    ).toBeInTheDocument();
  });

  it('pages by cursor on the server: next, previous, page size', async () => {
    const client = fakeClient();
    await renderExplorer(client, '/private-apis?pageSize=25');
    expect(await screen.findByText('1–25 of 40')).toBeInTheDocument();
    expect(apiNames()).toHaveLength(25);
    const firstPage = apiNames();
    expect(client.listApis).toHaveBeenCalledWith(
      expect.objectContaining({ limit: 25, after: undefined, totals: false }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('26–40 of 40')).toBeInTheDocument();
    expect(apiNames()).toHaveLength(15);
    expect(client.listApis).toHaveBeenLastCalledWith(
      expect.objectContaining({ limit: 25, after: '25', totals: false }),
    );
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(await screen.findByText('1–25 of 40')).toBeInTheDocument();
    expect(apiNames()).toEqual(firstPage);
    // The totals were asked for once: a page of the same filters keeps them.
    expect(
      client.listApis.mock.calls.filter(([q]) => q?.totals === true),
    ).toHaveLength(1);
    // Another page size starts again from the first page.
    await userEvent.click(
      screen.getByRole('button', { name: /APIs per page/ }),
    );
    await userEvent.click(await screen.findByRole('option', { name: '50' }));
    expect(await screen.findByText('1–40 of 40')).toBeInTheDocument();
    expect(apiNames()).toHaveLength(40);
  });

  it('sorts on the server by the column clicked, and keeps the order in the URL', async () => {
    const client = fakeClient();
    await renderExplorer(client, '/private-apis?pageSize=25');
    await screen.findByText('1–25 of 40');
    await userEvent.click(screen.getByRole('button', { name: 'Monthly cost' }));
    await waitFor(() =>
      expect(client.listApis).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'monthlyCost', order: 'asc' }),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Monthly cost' }));
    await waitFor(() =>
      expect(client.listApis).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'monthlyCost', order: 'desc' }),
      ),
    );
    const priciest = [...demoApiList.items].sort(
      (a, b) => (b.monthlyCostUsd ?? -1) - (a.monthlyCostUsd ?? -1),
    )[0];
    await waitFor(() => expect(apiNames()[0]).toBe(priciest.name));
  });

  it('totals the monthly cost of every API the filters match, from the server', async () => {
    await renderExplorer(fakeClient(), '/private-apis?apiType=WEBSOCKET');
    const shown = demoApiList.items.filter(a => a.apiType === 'WEBSOCKET');
    const total = shown.reduce((sum, a) => sum + (a.monthlyCostUsd ?? 0), 0);
    expect(
      await screen.findByText(`2 APIs · $${total.toFixed(2)} a month`),
    ).toBeInTheDocument();
  });

  it('asks the backend what a VPC may call, and links each API to how to call it from there', async () => {
    const legacy = demoApiList.items.find(
      a => a.name === 'legacy-reports-api',
    )!;
    const client = fakeClient({
      listApis: jest.fn(async () => ({
        items: [
          {
            ...legacy,
            callerAccess: 'any' as const,
            crossAccount: true,
            access: {
              vpcEndpointId: 'vpce-32024f650157d106c',
              vpcId: 'vpc-a6174cba9b412eab7',
              verdict: 'allowed' as const,
              principals: [],
              reason: 'Allowed by Statement[0] (Allow)',
              invokeUrl: `https://${legacy.apiId}.execute-api.us-east-1.amazonaws.com/prod`,
              headers: {},
              via: 'private-dns' as const,
            },
          },
        ],
        totalCount: 1,
      })),
    });
    await renderExplorer(client);
    const picker = await screen.findByLabelText('Callable from');
    await waitFor(() => expect(picker).not.toBeDisabled());
    await userEvent.selectOptions(picker, 'vpc-a6174cba9b412eab7');
    await waitFor(() =>
      expect(client.listApis).toHaveBeenLastCalledWith(
        expect.objectContaining({ reachableFrom: 'vpc-a6174cba9b412eab7' }),
      ),
    );
    const row = (
      await screen.findByRole('link', { name: 'legacy-reports-api' })
    ).closest('tr')!;
    expect(row).toHaveTextContent('Any VPC endpoint');
    expect(row).toHaveTextContent('incl. other accounts');
    expect(row).toHaveTextContent(
      `https://${legacy.apiId}.execute-api.us-east-1.amazonaws.com/prod`,
    );
    expect(
      within(row).getByRole('link', { name: 'How to call it from there' }),
    ).toHaveAttribute(
      'href',
      `/catalog/default/api/${legacy.entityName}/private-api?caller=vpce%3Avpce-32024f650157d106c`,
    );
  });

  it('filters APIs without a resource policy, open to any endpoint, cross-account or stale', async () => {
    const client = fakeClient();
    await renderExplorer(client);
    await screen.findByText(/^40 APIs\b/);
    await userEvent.click(screen.getByLabelText('No resource policy'));
    await userEvent.click(
      screen.getByLabelText('Callable from another account'),
    );
    await waitFor(() =>
      expect(client.listApis).toHaveBeenLastCalledWith(
        expect.objectContaining({ noPolicy: true, crossAccount: true }),
      ),
    );
  });
});
