import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { privateApiApiRef } from '../../api';
import { fakeClient } from '../../__testUtils__/fakes';
import { demoApiList } from '../../__testUtils__/demoData';
import { VpcEndpointApisCard } from './VpcEndpointApisCard';

const endpointEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'vpce-32024f650157d106c',
    annotations: { 'amazonaws.com/vpc-endpoint-id': 'vpce-32024f650157d106c' },
  },
  spec: { type: 'aws-vpc-endpoint', owner: 'team-platform' },
};

async function renderCard(client = fakeClient()) {
  await renderInTestApp(
    <TestApiProvider apis={[[privateApiApiRef, client]]}>
      <EntityProvider entity={endpointEntity}>
        <VpcEndpointApisCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('VpcEndpointApisCard', () => {
  it('lists the APIs whose policy lets the endpoint in, with the URL and commands for it', async () => {
    const payouts = demoApiList.items.find(a => a.name === 'payouts-api')!;
    const client = fakeClient({
      listApis: jest.fn(async () => ({
        totalCount: 1,
        items: [
          {
            ...payouts,
            access: {
              vpcEndpointId: 'vpce-32024f650157d106c',
              vpcId: 'vpc-a6174cba9b412eab7',
              verdict: 'signed-only' as const,
              principals: ['111111111111'],
              reason: 'Allowed by Statement[0] (Allow)',
              invokeUrl: 'https://payments.internal.example.com/payouts',
              headers: {},
              via: 'private-custom-domain' as const,
            },
          },
        ],
      })),
    });
    await renderCard(client);
    expect(client.listApis).toHaveBeenCalledWith(
      expect.objectContaining({ reachableFrom: 'vpce-32024f650157d106c' }),
    );
    const row = (
      await screen.findByRole('link', { name: 'payouts-api' })
    ).closest('tr')!;
    expect(row).toHaveTextContent('Signed callers only: 111111111111');
    expect(row).toHaveTextContent(
      'https://payments.internal.example.com/payouts',
    );
    expect(row).toHaveTextContent('by private custom domain');
    expect(
      within(row).getByRole('link', { name: 'Commands for this endpoint' }),
    ).toHaveAttribute(
      'href',
      `/catalog/default/api/${payouts.entityName}/private-api?caller=vpce%3Avpce-32024f650157d106c`,
    );
  });

  it('says what to do when no API lets the endpoint in', async () => {
    await renderCard(
      fakeClient({
        listApis: jest.fn(async () => ({ items: [], totalCount: 0 })),
      }),
    );
    expect(
      await screen.findByText(
        /No private API's resource policy lets calls through vpce-32024f650157d106c in/,
      ),
    ).toBeInTheDocument();
  });

  it('pages through a long answer by cursor, 25 at a time', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({
      ...demoApiList.items[0],
      apiId: `api${String(i).padStart(7, '0')}`,
      name: `api-${String(i).padStart(2, '0')}`,
      entityName: `api-${String(i).padStart(2, '0')}`,
    }));
    const listApis = jest.fn(
      async (
        query: { after?: string; limit?: number; totals?: boolean } = {},
      ) => {
        const offset = Number(query.after ?? 0);
        const limit = query.limit ?? 100;
        return {
          items: items.slice(offset, offset + limit),
          ...(offset + limit < items.length
            ? { nextCursor: String(offset + limit) }
            : {}),
          ...(query.totals ? { totalCount: items.length } : {}),
        };
      },
    );
    await renderCard(fakeClient({ listApis }));
    expect(await screen.findByText('1–25 of 30')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'api-00' })).toBeInTheDocument();
    expect(listApis).toHaveBeenCalledWith(
      expect.objectContaining({
        reachableFrom: 'vpce-32024f650157d106c',
        limit: 25,
        sort: 'name',
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('26–30 of 30')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'api-29' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'api-00' })).toBeNull();
    expect(listApis).toHaveBeenLastCalledWith(
      expect.objectContaining({ after: '25' }),
    );
  });
});
