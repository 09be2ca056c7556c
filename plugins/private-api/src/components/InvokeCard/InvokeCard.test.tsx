import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PrivateApiInvokeCard } from './InvokeCard';
import { PrivateApiDiagnosticsCard } from '../DiagnosticsCard';
import { renderCard } from '../../__testUtils__/fakes';
import {
  fraudScoringInternal,
  paymentsApi,
} from '../../__testUtils__/demoData';

/** An option's fold: its header button names the option and its verdict. */
function option(title: RegExp) {
  return screen
    .getByRole('button', { name: title, expanded: true })
    .closest('.MuiAccordion-root') as HTMLElement;
}

/** Opens an option's fold unless it is open already. */
async function open(title: RegExp) {
  const header = screen.getByRole('button', { name: title, expanded: false });
  await userEvent.click(header);
}

/** A command exactly as shown, line breaks included. */
function command(text: string) {
  return (_: string, element: Element | null) =>
    element?.tagName === 'CODE' && element.textContent === text;
}

async function callFrom(label: string | RegExp) {
  const picker = await screen.findByLabelText('Calling from');
  const choice = within(picker).getByRole('option', { name: label });
  await userEvent.selectOptions(picker, choice);
}

describe('PrivateApiInvokeCard', () => {
  it('without a caller, says what each way of calling needs', async () => {
    await renderCard(<PrivateApiInvokeCard />, paymentsApi);
    const privateDns = option(/^Private DNS name Conditional/);
    expect(
      await within(privateDns).findByText(
        'Needs an execute-api VPC endpoint in us-east-1 that the resource policy allows.',
      ),
    ).toBeInTheDocument();
  });

  it("from platform-shared's endpoint, gives payments-api's Route 53 alias commands per stage, with copy buttons", async () => {
    await renderCard(<PrivateApiInvokeCard />, paymentsApi);
    await callFrom(/^shared-services-execute-api vpce-32024f650157d106c/);

    const alias = option(/^Route 53 alias of an associated endpoint Available/);
    expect(
      within(alias).getByText(
        "curl 'https://4qzwubhjbs-vpce-32024f650157d106c.execute-api.us-east-1.amazonaws.com/prod/health'",
      ),
    ).toBeInTheDocument();
    expect(
      within(alias).getByText(
        "curl 'https://4qzwubhjbs-vpce-32024f650157d106c.execute-api.us-east-1.amazonaws.com/staging/health'",
      ),
    ).toBeInTheDocument();
    expect(
      within(alias).getByRole('button', {
        name: 'Copy the stage prod command of Route 53 alias of an associated endpoint',
      }),
    ).toBeInTheDocument();
    expect(
      within(alias).getByText(/each endpoint needs its own association/),
    ).toBeInTheDocument();

    // The endpoint's own name, with the regional vpce name first (not the service name).
    const hostHeader = option(
      /^VPC endpoint DNS name with a Host header Available/,
    );
    expect(
      within(hostHeader).getByText(
        command(
          "curl 'https://vpce-32024f650157d106c-19ahg5ab.execute-api.us-east-1.vpce.amazonaws.com/prod/health' \\\n  -H 'Host: 4qzwubhjbs.execute-api.us-east-1.amazonaws.com'",
        ),
      ),
    ).toBeInTheDocument();

    // The private custom domain has no access association for this endpoint: folded, with why.
    await open(
      /^Private custom domain payments.internal.example.com Unavailable/,
    );
    const domain = option(/^Private custom domain/);
    expect(
      within(domain).getByText(
        'vpce-32024f650157d106c has no domain name access association with payments.internal.example.com.',
      ),
    ).toBeInTheDocument();
    expect(
      within(domain).queryByRole('button', { name: /^Copy/ }),
    ).not.toBeInTheDocument();
  });

  it('signs the command for an IAM route chosen in the route picker', async () => {
    await renderCard(<PrivateApiInvokeCard />, paymentsApi);
    await callFrom(/^shared-services-execute-api/);
    await userEvent.selectOptions(
      screen.getByLabelText('Route in the commands'),
      'POST /payments',
    );
    expect(
      screen.getByText(/^IAM: sign the request with SigV4/),
    ).toBeInTheDocument();
    const alias = option(/^Route 53 alias/);
    expect(
      within(alias).getAllByText(
        /--aws-sigv4 "aws:amz:us-east-1:execute-api"/,
      )[0],
    ).toHaveTextContent(
      'https://4qzwubhjbs-vpce-32024f650157d106c.execute-api.us-east-1.amazonaws.com/prod/payments',
    );
  });

  it('from an endpoint the policy does not allow, says so and what to ask for', async () => {
    await renderCard(<PrivateApiInvokeCard />, paymentsApi);
    await callFrom(/^commerce-execute-api vpce-9c8c1280311ae9ffb/);
    // Nothing works, so only the best option is open.
    const privateDns = option(/^Private DNS name Unavailable/);
    expect(
      within(privateDns).getByText(
        /The resource policy denies calls through vpce-9c8c1280311ae9ffb/,
      ),
    ).toBeInTheDocument();
    expect(
      within(privateDns).getByText(
        /the owner's policy change lets calls from it in/,
      ),
    ).toBeInTheDocument();
  });

  it('from on premises, asks which endpoint the VPN reaches and uses its alias', async () => {
    await renderCard(<PrivateApiInvokeCard />, fraudScoringInternal);
    await callFrom('On premises, over Direct Connect or VPN');
    await userEvent.selectOptions(
      screen.getByLabelText(
        'VPC endpoint reached from on premises (us-east-1)',
      ),
      'vpce-7f1e4286439ccf7e5',
    );
    // Nothing is certain from on premises: the best option is open.
    const alias = option(
      /^Route 53 alias of an associated endpoint Conditional/,
    );
    expect(
      within(alias).getByText(
        /reachable only over Direct Connect or VPN to vpc-b02fe1dc5ee320d6e/,
      ),
    ).toBeInTheDocument();
    expect(
      within(alias).getAllByText(
        /leistkypct-vpce-7f1e4286439ccf7e5\.execute-api\.us-east-1\.amazonaws\.com\/prod/,
      )[0],
    ).toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', {
        name: /Our DNS forwards execute-api names/,
      }),
    ).not.toBeChecked();
  });

  it('from the internet, explains that a private API is not reachable there', async () => {
    await renderCard(<PrivateApiInvokeCard />, paymentsApi);
    await callFrom('The internet');
    expect(
      within(option(/^Private DNS name Unavailable/)).getByText(
        /A private API answers only through an interface VPC endpoint/,
      ),
    ).toBeInTheDocument();
  });

  it('says what to do when the API has no stage to call', async () => {
    await renderCard(<PrivateApiInvokeCard />, {
      ...paymentsApi,
      api: { ...paymentsApi.api, stages: [], domains: [] },
    });
    expect(
      await screen.findByText(/The API has no stage: nothing can call it/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Copy/ }),
    ).not.toBeInTheDocument();
  });

  it('from on premises, starts with the endpoint meant for on-premises callers', async () => {
    await renderCard(<PrivateApiInvokeCard />, fraudScoringInternal);
    await callFrom('On premises, over Direct Connect or VPN');
    expect(
      screen.getByLabelText(
        'VPC endpoint reached from on premises (us-east-1)',
      ),
    ).toHaveValue('vpce-7f1e4286439ccf7e5');
  });

  it('shares the caller with Diagnostics: a VPC chosen there is the caller here', async () => {
    await renderCard(
      <>
        <PrivateApiInvokeCard />
        <PrivateApiDiagnosticsCard />
      </>,
      paymentsApi,
    );
    const vpc = await screen.findByLabelText('Your VPC');
    await userEvent.selectOptions(
      vpc,
      within(vpc).getByRole('option', { name: /^shared-services / }),
    );
    expect(screen.getByLabelText('Calling from')).toHaveValue(
      'vpce:vpce-32024f650157d106c',
    );
    await callFrom('The internet');
    expect(screen.getByLabelText('Your VPC')).toHaveValue('');
  });

  it('calls a private API without a resource policy unavailable, even before a caller is chosen', async () => {
    await renderCard(<PrivateApiInvokeCard />, {
      ...paymentsApi,
      api: { ...paymentsApi.api, policy: undefined },
    });
    expect(
      await screen.findByRole('button', {
        name: /^Private DNS name Unavailable/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Conditional|Available/ }),
    ).not.toBeInTheDocument();
  });

  it('on a WebSocket API, sends the message of the chosen route', async () => {
    const api = {
      ...paymentsApi.api,
      apiId: 'ws1234',
      apiType: 'WEBSOCKET' as const,
      endpointType: 'REGIONAL' as const,
      apiEndpoint: 'wss://ws1234.execute-api.us-east-1.amazonaws.com',
      routeSelectionExpression: '$request.body.action',
      policy: undefined,
      domains: [],
      vpcEndpointIds: [],
      stages: [{ stageName: 'live' }],
      authorizers: [],
      routes: ['$connect', '$disconnect', 'subscribe'].map(routeKey => ({
        id: routeKey,
        routeKey,
        authorizationType: 'NONE' as const,
        apiKeyRequired: false,
      })),
    };
    await renderCard(<PrivateApiInvokeCard />, { ...paymentsApi, api });
    await userEvent.selectOptions(
      await screen.findByLabelText('Route in the commands'),
      'subscribe',
    );
    const endpoint = option(/^Public endpoint/);
    expect(
      within(endpoint).getByText(
        command(
          `wscat -c 'wss://ws1234.execute-api.us-east-1.amazonaws.com/live' \\\n  -x '{"action":"subscribe"}' \\\n  -w 5`,
        ),
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /the command sends \{"action":"subscribe"\} to select it/,
      ),
    ).toBeInTheDocument();
  });
});
