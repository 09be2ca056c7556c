import {
  APIGatewayClient,
  CreateDeploymentCommand,
  GetDeploymentsCommand,
  GetRestApiCommand,
  GetStagesCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import type { Simulator } from '../../index';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  errorOf,
  startSimulator,
} from '../../__testUtils__';

/**
 * The access workflow's writes: after UpdateRestApi and CreateDeployment, reads show the
 * new policy, associations and deployment. Each test gets a fresh simulator.
 */
describe('API Gateway v1 writes', () => {
  let simulator: Simulator;
  let payments: APIGatewayClient;

  beforeEach(async () => {
    simulator = await startSimulator();
    payments = new APIGatewayClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
  });
  afterEach(() => simulator.stop());

  const newPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: {
          StringNotEquals: {
            'aws:SourceVpce': [DEMO.paymentsVpce, DEMO.commerceVpce],
          },
        },
      },
    ],
  };

  it('replaces the policy, stores it with execute-api:/ expanded and returns it escaped', async () => {
    const updated = await payments.send(
      new UpdateRestApiCommand({
        restApiId: DEMO.paymentsApi,
        patchOperations: [
          { op: 'replace', path: '/policy', value: JSON.stringify(newPolicy) },
        ],
      }),
    );
    const expected = JSON.stringify({
      ...newPolicy,
      Statement: newPolicy.Statement.map(s => ({
        ...s,
        Resource: `arn:aws:execute-api:us-east-1:${DEMO.payments}:${DEMO.paymentsApi}/*`,
      })),
    })
      .replace(/"/g, '\\"')
      .replace(/\//g, '\\/');
    expect(updated.policy).toBe(expected);
    const read = await payments.send(
      new GetRestApiCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(read.policy).toBe(expected);
  });

  it('removes the policy with an empty value', async () => {
    await payments.send(
      new UpdateRestApiCommand({
        restApiId: DEMO.paymentsApi,
        patchOperations: [{ op: 'replace', path: '/policy', value: '' }],
      }),
    );
    const read = await payments.send(
      new GetRestApiCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(read.policy).toBeUndefined();
  });

  it('adds and removes VPC endpoint associations, across accounts of the Region', async () => {
    await payments.send(
      new UpdateRestApiCommand({
        restApiId: DEMO.paymentsApi,
        patchOperations: [
          {
            op: 'add',
            path: '/endpointConfiguration/vpcEndpointIds',
            value: DEMO.commerceVpce,
          },
        ],
      }),
    );
    let read = await payments.send(
      new GetRestApiCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(read.endpointConfiguration!.vpcEndpointIds).toEqual([
      DEMO.platformSharedVpce,
      DEMO.commerceVpce,
    ]);

    await payments.send(
      new UpdateRestApiCommand({
        restApiId: DEMO.paymentsApi,
        patchOperations: [
          {
            op: 'remove',
            path: '/endpointConfiguration/vpcEndpointIds',
            value: DEMO.platformSharedVpce,
          },
          {
            op: 'remove',
            path: '/endpointConfiguration/vpcEndpointIds',
            value: DEMO.commerceVpce,
          },
        ],
      }),
    );
    read = await payments.send(
      new GetRestApiCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(read.endpointConfiguration!.vpcEndpointIds).toBeUndefined();
  });

  it('rejects bad patches with BadRequestException and changes nothing', async () => {
    const cases = [
      { op: 'replace', path: '/policy', value: '{not json' },
      {
        op: 'add',
        path: '/endpointConfiguration/vpcEndpointIds',
        value: 'vpce-0000000000000000f',
      },
      {
        op: 'add',
        path: '/endpointConfiguration/vpcEndpointIds',
        value: 'not-an-endpoint',
      },
      {
        op: 'remove',
        path: '/endpointConfiguration/vpcEndpointIds',
        value: DEMO.commerceVpce,
      },
      { op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER' },
      { op: 'copy', path: '/policy', value: '{}' },
    ];
    for (const operation of cases) {
      const error = await errorOf(
        payments.send(
          new UpdateRestApiCommand({
            restApiId: DEMO.paymentsApi,
            // The first operation is valid: a failing second one must undo it.
            patchOperations: [
              { op: 'replace', path: '/description', value: 'changed' },
              operation as never,
            ],
          }),
        ),
      );
      expect(error.name).toBe('BadRequestException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
    const read = await payments.send(
      new GetRestApiCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(read.description).toBe(
      'Card and bank payments for internal services',
    );
    expect(read.endpointConfiguration!.vpcEndpointIds).toEqual([
      DEMO.platformSharedVpce,
    ]);
  });

  it('refuses endpoint associations on a regional API', async () => {
    const error = await errorOf(
      payments.send(
        new UpdateRestApiCommand({
          restApiId: '9o9c1ck71a',
          patchOperations: [
            {
              op: 'add',
              path: '/endpointConfiguration/vpcEndpointIds',
              value: DEMO.paymentsVpce,
            },
          ],
        }),
      ),
    );
    expect(error.name).toBe('BadRequestException');
    expect(error.message).toContain('PRIVATE');
  });

  it('deploys a stage: a new deployment id and update date on the stage, listed among deployments', async () => {
    const before = await payments.send(
      new GetStagesCommand({ restApiId: DEMO.paymentsApi }),
    );
    const deployment = await payments.send(
      new CreateDeploymentCommand({
        restApiId: DEMO.paymentsApi,
        stageName: 'prod',
        description: 'Allow commerce VPC',
      }),
    );
    expect(deployment.$metadata.httpStatusCode).toBe(201);
    expect(deployment.id).toMatch(/^[a-z0-9]{6}$/);
    expect(deployment.description).toBe('Allow commerce VPC');

    const after = await payments.send(
      new GetStagesCommand({ restApiId: DEMO.paymentsApi }),
    );
    const prod = after.item!.find(s => s.stageName === 'prod')!;
    expect(prod.deploymentId).toBe(deployment.id);
    expect(prod.deploymentId).not.toBe(
      before.item!.find(s => s.stageName === 'prod')!.deploymentId,
    );
    expect(prod.lastUpdatedDate!.getTime()).toBeGreaterThan(
      Date.now() - 60_000,
    );
    // The other stage still runs its old deployment.
    expect(after.item!.find(s => s.stageName === 'staging')!.deploymentId).toBe(
      before.item!.find(s => s.stageName === 'staging')!.deploymentId,
    );
    const { items } = await payments.send(
      new GetDeploymentsCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(items!.map(d => d.id)).toContain(deployment.id);
  });

  it('creates a stage that does not exist yet', async () => {
    const deployment = await payments.send(
      new CreateDeploymentCommand({
        restApiId: DEMO.paymentsApi,
        stageName: 'canary',
      }),
    );
    const { item } = await payments.send(
      new GetStagesCommand({ restApiId: DEMO.paymentsApi }),
    );
    expect(item!.find(s => s.stageName === 'canary')).toMatchObject({
      deploymentId: deployment.id,
      cacheClusterEnabled: false,
    });
  });

  it('refuses to deploy a private API without a resource policy, and accepts it once it has one', async () => {
    const error = await errorOf(
      payments.send(
        new CreateDeploymentCommand({
          restApiId: DEMO.refundsApi,
          stageName: 'prod',
        }),
      ),
    );
    expect(error.name).toBe('BadRequestException');
    expect(error.message).toBe(
      "Private REST API doesn't have a resource policy attached to it",
    );

    await payments.send(
      new UpdateRestApiCommand({
        restApiId: DEMO.refundsApi,
        patchOperations: [
          { op: 'replace', path: '/policy', value: JSON.stringify(newPolicy) },
        ],
      }),
    );
    const deployment = await payments.send(
      new CreateDeploymentCommand({
        restApiId: DEMO.refundsApi,
        stageName: 'prod',
      }),
    );
    const { item } = await payments.send(
      new GetStagesCommand({ restApiId: DEMO.refundsApi }),
    );
    expect(item![0].deploymentId).toBe(deployment.id);
  });

  it('rejects an invalid stage name', async () => {
    const error = await errorOf(
      payments.send(
        new CreateDeploymentCommand({
          restApiId: DEMO.paymentsApi,
          stageName: 'no spaces',
        }),
      ),
    );
    expect(error.name).toBe('BadRequestException');
  });
});
