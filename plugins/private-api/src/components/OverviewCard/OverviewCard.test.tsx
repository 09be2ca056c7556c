import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiDetailsResponse } from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiOverviewCard } from './OverviewCard';
import {
  fakeClient,
  renderCard,
  responseError,
} from '../../__testUtils__/fakes';
import { paymentsApi, paymentsEvents } from '../../__testUtils__/demoData';

function term(name: string) {
  return screen.getByText(name, { selector: 'dt' }).nextElementSibling;
}

describe('PrivateApiOverviewCard', () => {
  it('shows what the API is, where it lives, its stages and tags', async () => {
    await renderCard(<PrivateApiOverviewCard />, paymentsApi);
    expect(
      await screen.findByText('Card and bank payments for internal services'),
    ).toBeInTheDocument();
    expect(term('API type')).toHaveTextContent('REST');
    expect(term('Endpoint type')).toHaveTextContent('PRIVATE');
    expect(term('Account')).toHaveTextContent('payments-prod (222222222222)');
    expect(term('Region')).toHaveTextContent('us-east-1');

    const stages = within(screen.getByRole('table', { name: 'Stages' }));
    const prod = stages.getByRole('row', { name: /^prod/ });
    expect(prod).toHaveTextContent('2024-09-12 10:15 UTC');
    expect(prod).toHaveTextContent('0.5 GB (AVAILABLE)');
    expect(prod).toHaveTextContent('X-Ray');
    expect(stages.getByRole('row', { name: /^staging/ })).toHaveTextContent(
      'off',
    );

    expect(screen.getByText('owner: team-payments')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open in the AWS console/ }),
    ).toHaveAttribute(
      'href',
      'https://us-east-1.console.aws.amazon.com/apigateway/main/apis/4qzwubhjbs/resources?api=4qzwubhjbs&region=us-east-1',
    );
    expect(
      screen.getByText(/^Last crawled 2026-11-22 \d\d:\d\d UTC/),
    ).toBeInTheDocument();
  });

  it('warns that the data is stale, with the error of the failed crawl', async () => {
    const stale: ApiDetailsResponse = {
      ...paymentsApi,
      scope: {
        ...paymentsApi.scope!,
        status: 'stale',
        lastFailureAt: '2026-11-22T06:00:00.000Z',
        lastErrorCode: 'AccessDeniedException',
        lastErrorMessage:
          'The discovery role may not call apigateway:GET in 222222222222: check its IAM policy',
      },
    };
    await renderCard(<PrivateApiOverviewCard />, stale);
    const alert = await screen.findByText(/Stale data\./);
    expect(alert.closest('[role="alert"]')).toHaveTextContent(
      /The last crawl of payments-prod \(222222222222\) in us-east-1 failed on 2026-11-22 06:00 UTC \(AccessDeniedException\): The discovery role may not call apigateway:GET in 222222222222: check its IAM policy This page shows the last good data, from 2026-11-22/,
    );
  });

  it('downloads the OpenAPI definition as a file', async () => {
    const createObjectURL = jest.fn(() => 'blob:definition');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const client = fakeClient();
    await renderCard(<PrivateApiOverviewCard />, paymentsApi, client);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Download OpenAPI definition',
      }),
    );
    expect(client.getApiDefinition).toHaveBeenCalledWith(paymentsApi.api);
    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    expect(await blob.text()).toBe('{"openapi":"3.0.1"}');
  });

  it('says why the definition is missing when the backend has none', async () => {
    const client = fakeClient({
      getApiDefinition: jest.fn(async () => {
        throw await responseError(404, 'No exported OpenAPI definition');
      }),
    });
    await renderCard(<PrivateApiOverviewCard />, paymentsEvents, client);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Download OpenAPI definition',
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('404');
  });

  it('says what to do when the API has no stages and no tags', async () => {
    await renderCard(<PrivateApiOverviewCard />, {
      ...paymentsApi,
      api: { ...paymentsApi.api, stages: [], tags: {} },
    });
    expect(
      await screen.findByText(/No stages: the API is not deployed/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /No tags: owner, system and lifecycle come from the discovery defaults/,
      ),
    ).toBeInTheDocument();
  });

  it('offers no definition download for a WebSocket API (API Gateway cannot export one)', async () => {
    await renderCard(<PrivateApiOverviewCard />, {
      ...paymentsEvents,
      api: { ...paymentsEvents.api, apiType: 'WEBSOCKET' },
    });
    expect(await screen.findByText('WEBSOCKET')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Download OpenAPI definition' }),
    ).not.toBeInTheDocument();
  });
});
