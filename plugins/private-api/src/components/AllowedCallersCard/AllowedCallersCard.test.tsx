import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { analyzeResourcePolicy } from '@private-api-catalog/plugin-private-api-common';
import {
  networkRestText,
  PrivateApiAllowedCallersCard,
} from './AllowedCallersCard';
import { renderCard } from '../../__testUtils__/fakes';
import {
  paymentsApi,
  paymentsWebhooks,
  refundsApi,
  sessionAdminApi,
} from '../../__testUtils__/demoData';

describe('PrivateApiAllowedCallersCard', () => {
  it("lists payments-api's allowed endpoints with their accounts, association and deciding statement", async () => {
    await renderCard(<PrivateApiAllowedCallersCard />, paymentsApi);
    const endpoints = within(
      await screen.findByRole('list', { name: 'VPC endpoints' }),
    );
    const [own, shared] = endpoints.getAllByRole('listitem');
    expect(own).toHaveTextContent(
      'vpce-33e2315ca97db1aff (payments-execute-api)Allowed',
    );
    expect(own).toHaveTextContent('Owner account payments-prod (222222222222)');
    expect(own).toHaveTextContent('Route 53 alias not associated');
    expect(own).toHaveTextContent('Allowed by Statement[0] (Allow).');
    expect(shared).toHaveTextContent(
      'VPC vpc-a6174cba9b412eab7 (shared-services)',
    );
    expect(shared).toHaveTextContent(
      'Owner account platform-shared (111111111111)',
    );
    expect(shared).toHaveTextContent('Route 53 alias associated');
    expect(
      screen.getByText('Any other VPC endpoint: denied.'),
    ).toBeInTheDocument();
    // The VPCs the policy does not name are not "allowed": their calls still need an allowed endpoint.
    expect(
      screen.queryByText(/Any other VPC: allowed/),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(
        /vpce-33e2315ca97db1aff is allowed by the policy but not associated/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the analysis discovery stored with the API, without analysing the policy again', async () => {
    const analysis = analyzeResourcePolicy(paymentsApi.api.policy, {
      apiArn: paymentsApi.api.executeApiArn,
      endpointType: paymentsApi.api.endpointType,
      stages: paymentsApi.api.stages.map(s => s.stageName),
    });
    // A stored analysis that differs from the policy shows that the card did not redo it.
    const stored = {
      ...analysis,
      findings: [
        {
          severity: 'info' as const,
          code: 'cross-account-principals' as const,
          message: 'Stored by discovery.',
          statements: [],
        },
      ],
    };
    await renderCard(<PrivateApiAllowedCallersCard />, {
      ...paymentsApi,
      policyAnalysis: stored,
    });
    expect(
      await screen.findByText(/Stored by discovery\./),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/is allowed by the policy but not associated/),
    ).not.toBeInTheDocument();
  });

  it('shows the policy, pretty-printed, only on demand', async () => {
    await renderCard(<PrivateApiAllowedCallersCard />, paymentsApi);
    const show = await screen.findByRole('button', {
      name: 'Show the resource policy',
    });
    expect(screen.queryByLabelText('Resource policy')).not.toBeInTheDocument();
    await userEvent.click(show);
    const policy = screen.getByLabelText('Resource policy');
    expect(policy.textContent).toContain(
      '"aws:SourceVpce": [\n            "vpce-33e2315ca97db1aff",',
    );
    expect(
      screen.getByRole('button', { name: 'Hide the resource policy' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('flags a private API without a resource policy', async () => {
    await renderCard(<PrivateApiAllowedCallersCard />, refundsApi);
    expect(
      await screen.findByText('This API has no resource policy.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /A private API without a resource policy rejects every call/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Show the resource policy' }),
    ).not.toBeInTheDocument();
  });

  it('lists the IP ranges a Deny-by-IP policy lets in', async () => {
    await renderCard(<PrivateApiAllowedCallersCard />, paymentsWebhooks);
    const heading = await screen.findByText('Source IP ranges (aws:SourceIp)');
    const list = heading.nextElementSibling as HTMLElement;
    expect(list).toHaveTextContent('Allowed: 203.0.113.0/24, 198.51.100.16/28');
    expect(list).toHaveTextContent('Any other address: denied.');
  });

  it('names the signed principal when only signed callers pass, and the stage scope', async () => {
    await renderCard(<PrivateApiAllowedCallersCard />, sessionAdminApi);
    const vpcs = within(await screen.findByRole('list', { name: 'VPCs' }));
    expect(vpcs.getByRole('listitem')).toHaveTextContent(
      'Signed as arn:aws:iam::333333333333:root: Allowed by Statement[0] (Allow).',
    );
    expect(
      screen.getByText(
        'Only signed (SigV4) callers that the policy names pass it.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^stage prod, execute-api:\/prod\/\*: Only signed/),
    ).toBeInTheDocument();
  });

  it('says the policy cannot be read, and still shows it as stored', async () => {
    await renderCard(<PrivateApiAllowedCallersCard />, {
      ...paymentsApi,
      api: {
        ...paymentsApi.api,
        policy: '{"Version":"2012-10-17","Statement":',
      },
    });
    expect(
      await screen.findByText(
        /The resource policy cannot be read, so who may call is unknown/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show the resource policy' }),
    );
    expect(screen.getByLabelText('Resource policy')).toHaveTextContent(
      '{"Version":"2012-10-17","Statement":',
    );
  });

  it('reads endpoints and VPCs together, so the two lines never contradict each other', () => {
    const list = (any: boolean) => ({ any, allowed: [], denied: [] });
    const rest = (endpoints: boolean, vpcs: boolean) =>
      networkRestText({
        vpcEndpoints: list(endpoints),
        vpcs: list(vpcs),
      } as any);
    expect(rest(false, true)).toEqual({
      endpoints: 'Any other VPC endpoint: denied.',
      vpcs: 'The policy does not restrict by VPC, so calls from any VPC pass only through the endpoints it allows (above).',
    });
    expect(rest(true, false).vpcs).toBe('Any other VPC: denied.');
    expect(rest(true, true).vpcs).toBeUndefined();
    expect(rest(false, false)).toEqual({
      endpoints: 'Any other VPC endpoint: denied.',
      vpcs: 'Any other VPC: denied.',
    });
  });

  it('says once which allowed endpoints lack a Route 53 alias', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: {
            StringEquals: {
              'aws:SourceVpce': ['vpce-0aaa1111', 'vpce-0bbb2222'],
            },
          },
        },
      ],
    });
    await renderCard(<PrivateApiAllowedCallersCard />, {
      ...paymentsApi,
      api: { ...paymentsApi.api, policy, vpcEndpointIds: [] },
    });
    const boxes = await screen.findAllByText(/not associated with the API/);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]).toHaveTextContent(
      /vpce-0aaa1111, vpce-0bbb2222 are allowed by the policy but not associated/,
    );
  });
});
