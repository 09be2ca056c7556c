import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { integrationResourceEntityName } from '@private-api-catalog/plugin-private-api-common';
import { IntegrationComponentProcessor } from './IntegrationComponentProcessor';

const FUNCTION_ARN =
  'arn:aws:lambda:us-east-1:222222222222:function:payments-handler';
const lambdaName = integrationResourceEntityName({
  kind: 'lambda-function',
  functionName: 'payments-handler',
  arn: FUNCTION_ARN,
});

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-service', annotations },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  };
}

async function relationsOf(entity: Entity) {
  const processor = new IntegrationComponentProcessor(
    catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: { name: lambdaName },
          spec: {
            type: 'lambda-function',
            owner: 'team-payments',
            dependencyOf: ['api:default/payments-api-4qzwubhjbs'],
          },
        },
      ],
    }),
    mockServices.auth(),
  );
  const emitted: any[] = [];
  const result = await processor.postProcessEntity(
    entity,
    { type: 'url', target: 'https://example.com/catalog-info.yaml' },
    r => emitted.push(r),
  );
  expect(result).toBe(entity);
  return emitted.map(r => [
    `${r.relation.source.kind}:${r.relation.source.name}`,
    r.relation.type,
    `${r.relation.target.kind}:${r.relation.target.name}`,
  ]);
}

describe('IntegrationComponentProcessor', () => {
  it('makes a Component that carries a Lambda ARN a dependency of the APIs that integrate with it', async () => {
    // A qualified ARN (an alias) names the same function.
    expect(
      await relationsOf(
        component({ 'amazonaws.com/arn': `${FUNCTION_ARN}:live` }),
      ),
    ).toEqual([
      [
        'api:payments-api-4qzwubhjbs',
        'dependsOn',
        'Component:payments-service',
      ],
      [
        'Component:payments-service',
        'dependencyOf',
        'api:payments-api-4qzwubhjbs',
      ],
    ]);
  });

  it('emits nothing for a function no API integrates with, another ARN or no annotation', async () => {
    expect(
      await relationsOf(
        component({
          'amazonaws.com/arn':
            'arn:aws:lambda:us-east-1:222222222222:function:unused',
        }),
      ),
    ).toEqual([]);
    expect(
      await relationsOf(
        component({ 'amazonaws.com/arn': 'arn:aws:s3:::payments-bucket' }),
      ),
    ).toEqual([]);
    expect(await relationsOf(component({}))).toEqual([]);
  });
});
