import { ComponentType } from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import {
  entityOf,
  fakeClient,
  OnEntityPage,
  pending,
  responseError,
} from '../__testUtils__/fakes';
import { paymentsApi } from '../__testUtils__/demoData';
import { ApiDetailsResponse } from '@private-api-catalog/plugin-private-api-common';
import {
  PrivateApiAllowedCallersCard,
  PrivateApiAuthorizersCard,
  PrivateApiCostCard,
  PrivateApiDiagnosticsCard,
  PrivateApiIntegrationCard,
  PrivateApiInvokeCard,
  PrivateApiOverviewCard,
} from './cards';

/** Each card, its title, and text it shows for payments-api once loaded. */
const CARDS: Array<[string, ComponentType, string | RegExp]> = [
  ['API Gateway overview', PrivateApiOverviewCard, 'payments-api (4qzwubhjbs)'],
  ['How to invoke', PrivateApiInvokeCard, 'Private DNS name'],
  [
    'Allowed callers',
    PrivateApiAllowedCallersCard,
    /Unsigned calls pass the resource policy only/,
  ],
  [
    'Integrations',
    PrivateApiIntegrationCard,
    'Lambda function payments-handler',
  ],
  ['Authorizers', PrivateApiAuthorizersCard, 'IAM (SigV4)'],
  ['Cost', PrivateApiCostCard, 'About $41.69 a month'],
  ['Diagnostics', PrivateApiDiagnosticsCard, 'Choose the VPC you call from'],
];

function card(title: string) {
  return screen
    .getByRole('heading', { name: title })
    .closest('.MuiCard-root') as HTMLElement;
}

describe.each(CARDS)('the %s card', (title, Card, loadedText) => {
  it('shows a progress bar inside the card while the API loads', async () => {
    const client = fakeClient({
      getApiDetails: jest.fn(() => pending<ApiDetailsResponse>()),
    });
    await renderInTestApp(
      <OnEntityPage client={client} entity={entityOf(paymentsApi)}>
        <Card />
      </OnEntityPage>,
    );
    expect(
      await within(card(title)).findByRole('progressbar'),
    ).toBeInTheDocument();
  });

  it('shows the API once loaded', async () => {
    const client = fakeClient();
    await renderInTestApp(
      <OnEntityPage client={client} entity={entityOf(paymentsApi)}>
        <Card />
      </OnEntityPage>,
    );
    expect(
      (await within(card(title)).findAllByText(loadedText))[0],
    ).toBeInTheDocument();
    expect(client.getApiDetails).toHaveBeenCalledWith({
      accountId: '222222222222',
      region: 'us-east-1',
      apiId: '4qzwubhjbs',
    });
  });

  it('shows a failed request inside the card, and tries again on request', async () => {
    const client = fakeClient();
    const error = await responseError(500, 'database is locked');
    client.getApiDetails.mockRejectedValueOnce(error);
    await renderInTestApp(
      <OnEntityPage client={client} entity={entityOf(paymentsApi)}>
        <Card />
      </OnEntityPage>,
    );
    const inCard = within(card(title));
    expect(
      await inCard.findByText(/500 Internal Server Error/),
    ).toBeInTheDocument();
    await userEvent.click(inCard.getByRole('button', { name: 'Try again' }));
    expect((await inCard.findAllByText(loadedText))[0]).toBeInTheDocument();
  });

  it('says what to do when the inventory has no such API', async () => {
    const entity = entityOf(paymentsApi);
    entity.metadata.annotations!['amazonaws.com/api-gateway-api-id'] =
      'zzzzzzzzzz';
    await renderInTestApp(
      <OnEntityPage client={fakeClient()} entity={entity}>
        <Card />
      </OnEntityPage>,
    );
    const inCard = within(card(title));
    expect(
      await inCard.findByText('No discovery data yet for API zzzzzzzzzz'),
    ).toBeInTheDocument();
    expect(
      inCard.getByText(/Wait for the next scheduled crawl/),
    ).toBeInTheDocument();
  });

  it('names the missing annotations on an entity discovery did not write', async () => {
    const client = fakeClient();
    await renderInTestApp(
      <OnEntityPage
        client={client}
        entity={{ ...entityOf(paymentsApi), metadata: { name: 'hand-made' } }}
      >
        <Card />
      </OnEntityPage>,
    );
    expect(
      within(card(title)).getByText(
        /lacks the annotations amazonaws.com\/api-gateway-api-id, amazonaws.com\/account-id, amazonaws.com\/region/,
      ),
    ).toBeInTheDocument();
    expect(client.getApiDetails).not.toHaveBeenCalled();
  });
});

describe('cards that need the estate', () => {
  it.each([
    ['How to invoke', PrivateApiInvokeCard],
    ['Allowed callers', PrivateApiAllowedCallersCard],
    ['Diagnostics', PrivateApiDiagnosticsCard],
  ] as Array<[string, ComponentType]>)(
    '%s shows a failed estate request inside the card',
    async (title, Card) => {
      const client = fakeClient({
        getEstate: jest.fn(async () => {
          throw await responseError(503, 'inventory unavailable');
        }),
      });
      await renderInTestApp(
        <OnEntityPage client={client} entity={entityOf(paymentsApi)}>
          <Card />
        </OnEntityPage>,
      );
      expect(
        await within(card(title)).findByText(/503 Service Unavailable/),
      ).toBeInTheDocument();
    },
  );
});
