import {
  APIGatewayClient,
  CreateDeploymentCommand,
  GetExportCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import type { Simulator } from './index';
import {
  assumeDemoRole,
  clientConfig,
  DEMO,
  startSimulator,
} from './__testUtils__';

/**
 * Writes become CloudTrail events (the change feed's source), exports describe what a stage
 * runs, and the control route changes APIs as their owners would.
 */
describe('change feed', () => {
  let simulator: Simulator;
  let payments: APIGatewayClient;

  beforeEach(async () => {
    simulator = await startSimulator({
      changeFeed: {
        lookupDelaySeconds: 60,
        eventBridgeDelaySeconds: 0,
        queues: [{ accountId: DEMO.platform, region: 'us-east-1', name: 'q' }],
      },
    });
    payments = new APIGatewayClient(
      clientConfig(simulator, await assumeDemoRole(simulator, DEMO.payments)),
    );
  });
  afterEach(() => simulator.stop());

  async function exportedPaths(stageName: string) {
    const result = await payments.send(
      new GetExportCommand({
        restApiId: DEMO.paymentsApi,
        stageName,
        exportType: 'oas30',
        accepts: 'application/json',
      }),
    );
    return Object.keys(JSON.parse(new TextDecoder().decode(result.body)).paths);
  }

  it('records a write with the API id, visible in the history after the delay and in queues at once', async () => {
    await payments.send(
      new UpdateRestApiCommand({
        restApiId: DEMO.paymentsApi,
        patchOperations: [{ op: 'replace', path: '/description', value: 'x' }],
      }),
    );
    const now = new Date();
    expect(
      simulator.changeFeed.lookup(DEMO.payments, 'us-east-1', now),
    ).toEqual([]);
    const later = new Date(now.getTime() + 61_000);
    const [event] = simulator.changeFeed.lookup(
      DEMO.payments,
      'us-east-1',
      later,
    );
    expect(event).toMatchObject({
      eventName: 'UpdateRestApi',
      eventSource: 'apigateway.amazonaws.com',
      requestParameters: { restApiId: DEMO.paymentsApi },
    });
    const [message] = await simulator.changeFeed.receive(
      `us-east-1|${DEMO.platform}|q`,
      10,
      0,
      30,
    );
    expect(JSON.parse(message.body)).toMatchObject({
      'detail-type': 'AWS API Call via CloudTrail',
      account: DEMO.payments,
      detail: { eventName: 'UpdateRestApi', eventID: event.eventId },
    });
    // Received but not deleted: still in the queue, in flight.
    const queue = `us-east-1|${DEMO.platform}|q`;
    expect(simulator.changeFeed.queueDepth(queue)).toBe(1);
    expect(simulator.changeFeed.delete(queue, message.receiptHandle!)).toBe(
      true,
    );
    expect(simulator.changeFeed.queueDepth(queue)).toBe(0);
  });

  it('exports what a stage runs: a change shows once deployed to that stage', async () => {
    const before = await exportedPaths('prod');
    simulator.changeApis([
      {
        accountId: DEMO.payments,
        region: 'us-east-1',
        apiId: DEMO.paymentsApi,
        path: '/added',
      },
    ]);
    expect(await exportedPaths('prod')).toEqual([...before, '/added']);

    // A new route in the working copy only: deployed stages do not have it.
    const api = simulator.estate.accountsById
      .get(DEMO.payments)!
      .regions.get('us-east-1')!
      .restApisById.get(DEMO.paymentsApi)!;
    api.resources = api.resources.filter(r => r.path !== '/added');
    expect(await exportedPaths('prod')).toContain('/added');
    await payments.send(
      new CreateDeploymentCommand({
        restApiId: DEMO.paymentsApi,
        stageName: 'prod',
      }),
    );
    expect(await exportedPaths('prod')).toEqual(before);
  });

  it('refuses a change that names no API, saying which', async () => {
    const response = await fetch(`${simulator.url}/_simulator/changes`, {
      method: 'POST',
      body: JSON.stringify({
        changes: [
          {
            accountId: DEMO.payments,
            region: 'us-east-1',
            apiId: 'nosuchapi1',
            path: '/x',
          },
        ],
      }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe(
      `No API nosuchapi1 in account ${DEMO.payments}, Region us-east-1`,
    );
  });
});
