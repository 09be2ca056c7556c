import { isPrivateApiAvailable } from './conditions';

describe('isPrivateApiAvailable', () => {
  const entity = (annotations?: Record<string, string>) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'x', annotations },
  });

  it('is true only for entities with the API Gateway API id annotation', () => {
    expect(
      isPrivateApiAvailable(
        entity({ 'amazonaws.com/api-gateway-api-id': 'a1b2c3d4e5' }),
      ),
    ).toBe(true);
    expect(
      isPrivateApiAvailable(entity({ 'amazonaws.com/region': 'us-east-1' })),
    ).toBe(false);
    expect(isPrivateApiAvailable(entity())).toBe(false);
  });
});
