import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { PrivateApiContent } from './PrivateApiContent';
import { entityOf, fakeClient, OnEntityPage } from '../../__testUtils__/fakes';
import { paymentsApi } from '../../__testUtils__/demoData';

describe('PrivateApiContent', () => {
  it('shows every card and loads the API and the estate once for all of them', async () => {
    const client = fakeClient();
    await renderInTestApp(
      <OnEntityPage client={client} entity={entityOf(paymentsApi)}>
        <PrivateApiContent />
      </OnEntityPage>,
    );
    expect(await screen.findByText('About $41.69 a month')).toBeInTheDocument();
    for (const title of [
      'API Gateway overview',
      'Allowed callers',
      'How to invoke',
      'Diagnostics',
      'Authorizers',
      'Integrations',
      'Cost',
    ]) {
      expect(screen.getByRole('heading', { name: title })).toBeInTheDocument();
    }
    expect(client.getApiDetails).toHaveBeenCalledTimes(1);
    expect(client.getEstate).toHaveBeenCalledTimes(1);
  });

  it('explains what is missing on an entity that discovery did not write, and loads nothing', async () => {
    const client = fakeClient();
    await renderInTestApp(
      <OnEntityPage
        client={client}
        entity={{ ...entityOf(paymentsApi), metadata: { name: 'hand-made' } }}
      >
        <PrivateApiContent />
      </OnEntityPage>,
    );
    expect(screen.getByText('Not an API Gateway API')).toBeInTheDocument();
    expect(
      screen.getByText(
        /lacks the annotations amazonaws.com\/api-gateway-api-id/,
      ),
    ).toBeInTheDocument();
    expect(client.getApiDetails).not.toHaveBeenCalled();
  });
});
