import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { identityApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Route, Routes } from 'react-router-dom';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';
import {
  AccessRequestsApi,
  accessRequestsApiRef,
} from '../../api/AccessRequestsClient';
import { privateApiApiRef } from '../../api';
import {
  entityOf,
  fakeClient,
  pending,
  responseError,
} from '../../__testUtils__/fakes';
import * as demo from '../../__testUtils__/demoData';
import { AccessRequestsCard } from './AccessRequestsCard';
import { AccessRequestDetails } from './AccessRequestDetails';
import { AccessRequestsContent } from './AccessRequestsPage';

const CONSUMER = 'user:default/dana';
/** Requesters and actors link to their catalog pages. */
const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };
const api = demo.paymentsApi.api;

function request(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: 'req-1',
    kind: 'grant',
    entityRef: `api:default/payments-api-${api.apiId}`,
    accountId: api.accountId,
    region: api.region,
    apiId: api.apiId,
    apiName: api.name,
    stages: [],
    vpcEndpointId: 'vpce-0bbbbbbbbbbbbbbb1',
    vpcId: 'vpc-0bbbbbbbbbbbbbbb1',
    associateEndpoint: false,
    justification: 'Checkout calls payments at payment time',
    requester: CONSUMER,
    owners: ['group:default/team-payments'],
    state: 'pending',
    applyMode: 'direct',
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
    events: [
      {
        at: '2026-11-20T10:00:00Z',
        actor: CONSUMER,
        action: 'create',
        toState: 'pending',
        message: 'Checkout calls payments',
      },
    ],
    ...overrides,
  };
}

function fakeRequests(
  overrides: Partial<AccessRequestsApi> = {},
): jest.Mocked<AccessRequestsApi> {
  return {
    list: jest.fn(async () => []),
    get: jest.fn(async () => request()),
    create: jest.fn(async () => request()),
    preview: jest.fn(async () => ({
      policy: '{}',
      summary: 'Adds vpce-0bbbbbbbbbbbbbbb1',
      changes: [],
      notes: [],
      diff: '+ "vpce-0bbbbbbbbbbbbbbb1"',
      terraform: '',
      cloudFormation: '',
    })),
    approve: jest.fn(async () => request({ state: 'approved' })),
    reject: jest.fn(async () => request({ state: 'rejected' })),
    apply: jest.fn(async () => request({ state: 'applied' })),
    cancel: jest.fn(async () => request({ state: 'cancelled' })),
    verify: jest.fn(async () => request({ state: 'verified' })),
    ...overrides,
  } as jest.Mocked<AccessRequestsApi>;
}

/** Puts a sentence in a field as a paste: one change, not a render per keystroke. */
async function fill(field: HTMLElement, text: string) {
  await userEvent.click(field);
  await userEvent.paste(text);
}

const identity = (userEntityRef: string) => ({
  getBackstageIdentity: async () => ({
    type: 'user' as const,
    userEntityRef,
    ownershipEntityRefs: [userEntityRef],
  }),
  getProfileInfo: async () => ({}),
  getCredentials: async () => ({}),
  signOut: async () => {},
});

async function renderCard(requests: AccessRequestsApi, user = CONSUMER) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          privateApiApiRef,
          fakeClient({ getApiDetails: jest.fn(async () => demo.paymentsApi) }),
        ],
        [accessRequestsApiRef, requests],
        [identityApiRef, identity(user)],
      ]}
    >
      <EntityProvider entity={entityOf(demo.paymentsApi)}>
        <AccessRequestsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

describe('AccessRequestsCard', () => {
  it('says so when there is no request yet, and offers to make one', async () => {
    await renderCard(fakeRequests());
    expect(
      await screen.findByText(
        'No access requests for this API that you may see.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();
  });

  it('keeps a failed load inside the card', async () => {
    await renderCard(
      fakeRequests({
        list: jest.fn(async () =>
          Promise.reject(await responseError(500, 'database unavailable')),
        ),
      }),
    );
    expect(
      (await screen.findAllByText(/database unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('VPC access requests')).toBeInTheDocument();
  });

  it('shows loading while the requests load', async () => {
    await renderCard(
      fakeRequests({ list: jest.fn(() => pending<AccessRequest[]>()) }),
    );
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('sends a request for the chosen endpoint and shows the backend’s refusal word for word', async () => {
    const create = jest
      .fn()
      .mockRejectedValueOnce(
        await responseError(
          500,
          'vpce-x may already call payments-api: the resource policy allows it. No request was made.',
        ),
      )
      .mockResolvedValueOnce(request());
    await renderCard(fakeRequests({ create }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Request access' }),
    );
    const dialog = await screen.findByRole('dialog');
    const endpoint = demo.demoEstate.vpcEndpoints.find(
      e => e.region === api.region && e.state === 'available',
    )!;
    fireEvent.mouseDown(within(dialog).getByLabelText('Call from'));
    await userEvent.click(
      await screen.findByRole('option', {
        name: new RegExp(endpoint.vpcEndpointId),
      }),
    );
    const send = within(dialog).getByRole('button', { name: 'Send request' });
    expect(send).toBeDisabled();
    await fill(
      within(dialog).getByLabelText('Why does this VPC need the API?'),
      'Checkout calls payments at payment time',
    );
    await userEvent.click(send);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'may already call payments-api',
    );
    await userEvent.click(send);
    expect(create).toHaveBeenLastCalledWith(
      expect.objectContaining({
        apiId: api.apiId,
        vpcEndpointId: endpoint.vpcEndpointId,
        justification: 'Checkout calls payments at payment time',
      }),
    );
    expect(
      await screen.findByText(/Request sent to the API’s owners/),
    ).toBeInTheDocument();
  });

  it('checks a typed VPC id before sending', async () => {
    await renderCard(fakeRequests());
    await userEvent.click(
      await screen.findByRole('button', { name: 'Request access' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.mouseDown(within(dialog).getByLabelText('Call from'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'A VPC (by id)…' }),
    );
    await userEvent.type(within(dialog).getByLabelText('VPC id'), 'vpc-123');
    expect(
      within(dialog).getByText(
        /Expected vpc- followed by 8 or 17 hexadecimal digits/,
      ),
    ).toBeInTheDocument();
  });
});

describe('RequestAccessDialog', () => {
  const openForm = async () => {
    await renderCard(fakeRequests());
    await userEvent.click(
      await screen.findByRole('button', { name: 'Request access' }),
    );
    return screen.findByRole('dialog');
  };

  it('marks and disables the endpoints the policy already admits', async () => {
    const dialog = await openForm();
    fireEvent.mouseDown(within(dialog).getByLabelText('Call from'));
    const allowed = await screen.findByRole('option', {
      name: /vpce-32024f650157d106c.*already allowed/,
    });
    expect(allowed).toHaveAttribute('aria-disabled', 'true');
    const notYet = screen.getByRole('option', {
      name: /vpce-9c8c1280311ae9ffb/,
    });
    expect(notYet).not.toHaveTextContent('already allowed');
    expect(notYet).not.toHaveAttribute('aria-disabled', 'true');
  });

  it('tells a VPC of another Region that the Region is wrong, not to create an endpoint', async () => {
    const dialog = await openForm();
    fireEvent.mouseDown(within(dialog).getByLabelText('Call from'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'A VPC (by id)…' }),
    );
    await fill(
      within(dialog).getByLabelText('VPC id'),
      'vpc-0849c72ce1d57e213',
    );
    await fill(
      within(dialog).getByLabelText('Why does this VPC need the API?'),
      'Reports read payments nightly',
    );
    expect(
      within(dialog).getByText(
        /vpc-0849c72ce1d57e213 is in eu-west-1, and payments-api is a private API in us-east-1/,
      ),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText(/create/i)).not.toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Send request' }),
    ).toBeDisabled();
  });

  it('counts the justification up to the 10 characters Send needs', async () => {
    const dialog = await openForm();
    fireEvent.mouseDown(within(dialog).getByLabelText('Call from'));
    await userEvent.click(
      await screen.findByRole('option', { name: /vpce-9c8c1280311ae9ffb/ }),
    );
    const send = within(dialog).getByRole('button', { name: 'Send request' });
    expect(
      within(dialog).getByText(/At least 10 characters \(0\/10\)/),
    ).toBeInTheDocument();
    const why = within(dialog).getByLabelText(
      'Why does this VPC need the API?',
    );
    await userEvent.type(why, 'Checkout');
    expect(within(dialog).getByText(/\(8\/10\)/)).toBeInTheDocument();
    expect(send).toBeDisabled();
    await userEvent.type(why, ' pays');
    expect(within(dialog).queryByText(/\/10\)/)).not.toBeInTheDocument();
    expect(send).toBeEnabled();
  });

  it('labels the stages above their empty value', async () => {
    const dialog = await openForm();
    const label = within(dialog).getByText('Stages', { selector: 'label' });
    expect(label).toHaveAttribute('data-shrink', 'true');
    expect(within(dialog).getByText('Every stage')).toBeInTheDocument();
  });
});

describe('AccessRequestDetails', () => {
  const renderDetails = (
    r: AccessRequest,
    roles: { canDecide: boolean; isRequester: boolean },
    requests = fakeRequests(),
  ) =>
    renderInTestApp(
      <TestApiProvider apis={[[accessRequestsApiRef, requests]]}>
        <AccessRequestDetails request={r} {...roles} onChange={jest.fn()} />
      </TestApiProvider>,
      { mountedRoutes },
    );

  it('offers owners approve and reject on a pending request, and requesters cancel only', async () => {
    await renderDetails(request(), { canDecide: true, isRequester: false });
    expect(screen.getByRole('button', { name: 'Approve' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reject…' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel request' }),
    ).not.toBeInTheDocument();
  });

  it('gives the requester no decision buttons', async () => {
    await renderDetails(request(), { canDecide: false, isRequester: true });
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Cancel request' }),
    ).toBeInTheDocument();
  });

  it('shows the diff before applying, then applies', async () => {
    const requests = fakeRequests();
    await renderDetails(
      request({ state: 'approved' }),
      { canDecide: true, isRequester: false },
      requests,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Apply…' }));
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('+ "vpce-0bbbbbbbbbbbbbbb1"'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Apply and redeploy' }),
    );
    await waitFor(() => expect(requests.apply).toHaveBeenCalledWith('req-1'));
  });

  it('asks for a reason to reject', async () => {
    const requests = fakeRequests();
    await renderDetails(
      request(),
      { canDecide: true, isRequester: false },
      requests,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reject…' }));
    const dialog = await screen.findByRole('dialog');
    const reject = within(dialog).getByRole('button', { name: 'Reject' });
    expect(reject).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Reason (shown to the requester)'),
      'Use the shared VPC instead',
    );
    await userEvent.click(reject);
    await waitFor(() =>
      expect(requests.reject).toHaveBeenCalledWith(
        'req-1',
        'Use the shared VPC instead',
      ),
    );
  });

  it('shows hand-off IaC and the failure with what to do', async () => {
    await renderDetails(
      request({
        state: 'failed',
        applyMode: 'direct',
        failure: {
          code: 'ServiceUnavailableException',
          message: 'The previous policy and association were restored.',
        },
      }),
      { canDecide: true, isRequester: false },
    );
    expect(
      screen.getByText(
        /ServiceUnavailableException: The previous policy and association were restored/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Retry apply…' }),
    ).toBeInTheDocument();
  });
});

/** A signals API whose pushes the test makes. */
function fakeSignals() {
  const listeners = new Map<string, (message: any) => void>();
  return {
    api: {
      subscribe: (channel: string, onMessage: (message: any) => void) => {
        listeners.set(channel, onMessage);
        return { unsubscribe: () => listeners.delete(channel) };
      },
    },
    push: (channel: string, message: object) =>
      act(() => listeners.get(channel)?.(message)),
  };
}

describe('AccessRequestDetails, before a decision and after apply', () => {
  it('shows approvers the change approving would make before they decide', async () => {
    const requests = fakeRequests();
    await renderInTestApp(
      <TestApiProvider apis={[[accessRequestsApiRef, requests]]}>
        <AccessRequestDetails
          request={request()}
          canDecide
          isRequester={false}
          onChange={jest.fn()}
        />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(screen.getByText('What approving changes')).toBeInTheDocument();
    expect(
      await screen.findByText('+ "vpce-0bbbbbbbbbbbbbbb1"'),
    ).toBeInTheDocument();
    expect(requests.preview).toHaveBeenCalledWith('req-1');
    expect(requests.approve).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeEnabled();
  });

  it('shows times in UTC with how long ago', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[accessRequestsApiRef, fakeRequests()]]}>
        <AccessRequestDetails
          request={request({ state: 'rejected' })}
          canDecide={false}
          isRequester
          onChange={jest.fn()}
        />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(
      screen.getAllByText(
        /2026-11-20 10:00 UTC \(\d+ (minute|hour|day)s? ago\)/,
      ).length,
    ).toBeGreaterThan(0);
  });

  const renderApplied = (
    requests: AccessRequestsApi,
    onChange = jest.fn(),
    signals = fakeSignals(),
  ) =>
    renderInTestApp(
      <TestApiProvider
        apis={[
          [accessRequestsApiRef, requests],
          [
            privateApiApiRef,
            fakeClient({
              getDiscoveryStatus: jest.fn(async () => ({
                configured: true,
                running: false,
                nextRunAt: new Date(Date.now() + 4 * 60_000).toISOString(),
                schedule: 'every 10 minutes',
              })),
            }),
          ],
          [signalApiRef, signals.api],
        ]}
      >
        <AccessRequestDetails
          request={request({ state: 'applied' })}
          canDecide
          isRequester={false}
          onChange={onChange}
        />
      </TestApiProvider>,
      { mountedRoutes },
    );

  it('says when the next discovery runs, and verifies now on demand', async () => {
    const onChange = jest.fn();
    const requests = fakeRequests({
      verify: jest.fn(async () => request({ state: 'verified' })),
    });
    await renderApplied(requests, onChange);
    expect(
      await screen.findByText(
        /next discovery run starts about .* UTC \(in 4 minutes\) \(it runs every 10 minutes\)/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Verify now' }));
    await waitFor(() => expect(requests.verify).toHaveBeenCalledWith('req-1'));
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ state: 'verified' }),
    );
  });

  it('says so when a re-crawl does not find the caller allowed yet, and shows a refusal', async () => {
    const requests = fakeRequests({
      verify: jest
        .fn()
        .mockResolvedValueOnce(request({ state: 'applied' }))
        .mockRejectedValueOnce(
          await responseError(500, 'AccessDeniedException from payments-prod'),
        ),
    });
    await renderApplied(requests);
    const verify = await screen.findByRole('button', { name: 'Verify now' });
    await userEvent.click(verify);
    expect(
      await screen.findByText(/its policy does not let vpce-0bbbbbbbbbbbbbbb1/),
    ).toBeInTheDocument();
    await userEvent.click(verify);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'AccessDeniedException from payments-prod',
    );
  });

  it('reads the request again when discovery has crawled its account and Region', async () => {
    const onChange = jest.fn();
    const signals = fakeSignals();
    const requests = fakeRequests({
      get: jest.fn(async () => request({ state: 'verified' })),
    });
    await renderApplied(requests, onChange, signals);
    await screen.findByText(/next discovery run/);
    await signals.push('private-api:discovery', {
      type: 'scope-crawled',
      at: new Date().toISOString(),
      accountId: '999999999999',
      region: api.region,
      ok: true,
    });
    expect(requests.get).not.toHaveBeenCalled();
    await signals.push('private-api:discovery', {
      type: 'scope-crawled',
      at: new Date().toISOString(),
      accountId: api.accountId,
      region: api.region,
      ok: true,
    });
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith(
        expect.objectContaining({ state: 'verified' }),
      ),
    );
  });
});

const renderPage = (requests: AccessRequestsApi, url: string) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [accessRequestsApiRef, requests],
        [identityApiRef, identity(CONSUMER)],
      ]}
    >
      <Routes>
        <Route
          path="/private-apis/access-requests/*"
          element={<AccessRequestsContent />}
        />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [url], mountedRoutes },
  );

describe('AccessRequestsContent', () => {
  it('opens a notification’s ?request= link on the request’s own route, above the list, its row marked', async () => {
    const requests = fakeRequests({
      list: jest.fn(async q =>
        q?.view === 'approvals'
          ? []
          : [request(), request({ id: 'req-2', apiName: 'refunds-api' })],
      ),
    });
    await renderPage(requests, '/private-apis/access-requests?request=req-1');
    expect(
      await screen.findByRole('heading', {
        name: 'Access request for payments-api',
      }),
    ).toBeInTheDocument();
    expect(requests.get).toHaveBeenCalledWith('req-1');
    expect(
      await screen.findByRole('button', { name: 'Cancel request' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', {
        name: 'payments-api',
        current: 'page',
      }),
    ).toHaveAttribute('href', '/private-apis/access-requests/req-1');
    expect(screen.getByRole('link', { name: 'refunds-api' })).toHaveAttribute(
      'href',
      '/private-apis/access-requests/req-2',
    );
    expect(screen.getByRole('link', { name: /All requests/ })).toHaveAttribute(
      'href',
      '/private-apis/access-requests',
    );
  });

  it('lists under To approve only the requests that wait on the owners', async () => {
    const states = [
      'pending',
      'approved',
      'applying',
      'applied',
      'verified',
      'rejected',
      'cancelled',
      'failed',
      'needs-attention',
    ] as const;
    const all = states.map((state, i) =>
      request({ id: `req-${i}`, state, apiName: `api-${state}` }),
    );
    const requests = fakeRequests({ list: jest.fn(async () => all) });
    await renderPage(requests, '/private-apis/access-requests?view=approvals');
    expect(
      await screen.findByRole('tab', { name: 'To approve' }),
    ).toHaveAttribute('aria-selected', 'true');
    await screen.findByText('api-pending');
    const shownApis = states.filter(state =>
      screen.queryByText(`api-${state}`),
    );
    expect(shownApis).toEqual([
      'pending',
      'approved',
      'failed',
      'needs-attention',
    ]);
    await userEvent.click(screen.getByRole('tab', { name: 'All I can see' }));
    expect(await screen.findByText('api-verified')).toBeInTheDocument();
  });
});
