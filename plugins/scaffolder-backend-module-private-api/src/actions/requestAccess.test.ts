import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsServiceMock } from '@backstage/backend-test-utils/alpha';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  createRequestAccessAction,
  REQUEST_VPC_ACCESS_ACTION_ID,
} from './requestAccess';

const USER = 'user:default/dana';
const input = {
  api: 'api:default/orders-internal-orders0001',
  vpcEndpointId: 'vpce-0bbbbbbbbbbbbbbb1',
  vpcId: '',
  justification: 'Checkout creates orders at payment time',
};

describe('private-api:request-access', () => {
  it("files the request through the private-api plugin's action, as the user running the template", async () => {
    const actions = actionsServiceMock.mock();
    actions.invoke.mockResolvedValue({
      output: {
        id: 'req-1',
        state: 'pending',
        owners: ['group:default/team-orders'],
        requester: USER,
        api: { entityRef: 'api:default/orders-internal-orders0001' },
      },
    });
    const ctx = {
      ...createMockActionContext({ input }),
      getInitiatorCredentials: async () => mockCredentials.user(USER),
    };
    await createRequestAccessAction({ actions }).handler(ctx as any);

    expect(actions.invoke).toHaveBeenCalledTimes(1);
    expect(actions.invoke).toHaveBeenCalledWith({
      id: REQUEST_VPC_ACCESS_ACTION_ID,
      // The empty VPC field of the form is left out, not sent as ''.
      input: {
        api: input.api,
        vpcEndpointId: input.vpcEndpointId,
        justification: input.justification,
      },
      credentials: mockCredentials.user(USER),
    });
    expect(ctx.output).toHaveBeenCalledWith('requestId', 'req-1');
    expect(ctx.output).toHaveBeenCalledWith('state', 'pending');
    expect(ctx.output).toHaveBeenCalledWith('owners', [
      'group:default/team-orders',
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'api:default/orders-internal-orders0001',
    );
  });

  it('files nothing on a dry run', async () => {
    const actions = actionsServiceMock.mock();
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await createRequestAccessAction({ actions }).handler(ctx as any);
    expect(actions.invoke).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('requestId', 'dry-run');
  });

  it("fails the step with the plugin's reason when the request is refused", async () => {
    const actions = actionsServiceMock.mock();
    actions.invoke.mockRejectedValue(
      new InputError(
        'VPC endpoint vpce-0bbbbbbbbbbbbbbb1 is not in the inventory',
      ),
    );
    const ctx = {
      ...createMockActionContext({ input }),
      getInitiatorCredentials: async () => mockCredentials.user(USER),
    };
    await expect(
      createRequestAccessAction({ actions }).handler(ctx as any),
    ).rejects.toThrow(/not in the inventory/);
  });
});
