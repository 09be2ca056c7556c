import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { PrivateApiContent } from './PrivateApiContent';

function apiEntity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'orders-internal', annotations },
    spec: { type: 'openapi', owner: 'guests', lifecycle: 'production' },
  };
}

describe('PrivateApiContent', () => {
  it('says which API has no discovery data yet, and where it lives', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={apiEntity({
          'amazonaws.com/api-gateway-api-id': 'a1b2c3d4e5',
          'amazonaws.com/api-gateway-api-type': 'REST',
          'amazonaws.com/api-gateway-endpoint-type': 'PRIVATE',
          'amazonaws.com/account-id': '111111111111',
          'amazonaws.com/region': 'us-east-1',
        })}
      >
        <PrivateApiContent />
      </EntityProvider>,
    );
    expect(
      screen.getByText('No discovery data yet for API a1b2c3d4e5'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/account 111111111111, Region us-east-1/),
    ).toBeInTheDocument();
  });

  it('explains what is missing on an entity that discovery did not write', async () => {
    await renderInTestApp(
      <EntityProvider entity={apiEntity({})}>
        <PrivateApiContent />
      </EntityProvider>,
    );
    expect(screen.getByText('Not an API Gateway API')).toBeInTheDocument();
    expect(
      screen.getByText(/no amazonaws.com\/api-gateway-api-id annotation/),
    ).toBeInTheDocument();
  });
});
