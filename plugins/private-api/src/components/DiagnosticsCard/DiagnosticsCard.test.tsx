import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PrivateApiDiagnosticsCard } from './DiagnosticsCard';
import { renderCard } from '../../__testUtils__/fakes';
import { paymentsApi } from '../../__testUtils__/demoData';

async function chooseVpc(vpcId: string) {
  await userEvent.selectOptions(
    await screen.findByLabelText('Your VPC'),
    vpcId,
  );
}

function check(title: string) {
  return within(screen.getByRole('list', { name: 'Checks' }))
    .getByText(title)
    .closest('li') as HTMLElement;
}

describe('PrivateApiDiagnosticsCard', () => {
  it('asks for the VPC first, and shows the troubleshooting guidance', async () => {
    await renderCard(<PrivateApiDiagnosticsCard />, paymentsApi);
    expect(
      await screen.findByText(/Choose the VPC you call from: every condition/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('If a call returns 403 Forbidden'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The policy changed but the API was not redeployed/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/security group of the VPC endpoint must allow TCP 443/),
    ).toBeInTheDocument();
  });

  it("checks platform-shared's VPC as reachable, listing what it could not check", async () => {
    await renderCard(<PrivateApiDiagnosticsCard />, paymentsApi);
    await chooseVpc('vpc-a6174cba9b412eab7');
    expect(screen.getByText('Reachable')).toBeInTheDocument();
    expect(
      screen.getByText(
        /vpc-a6174cba9b412eab7 can call payments-api through vpce-32024f650157d106c/,
      ),
    ).toBeInTheDocument();
    expect(check('Resource policy')).toHaveTextContent('OK');
    expect(check('Security group')).toHaveTextContent('Not checked');
    expect(
      screen.queryByRole('button', { name: 'Request access for this VPC' }),
    ).not.toBeInTheDocument();
  });

  it('shows the failed check of a VPC the policy denies, with its fix', async () => {
    await renderCard(<PrivateApiDiagnosticsCard />, paymentsApi);
    await chooseVpc('vpc-b998c1730ef48bf85');
    expect(screen.getByText('Unreachable')).toBeInTheDocument();
    const policy = check('Resource policy');
    expect(policy).toHaveTextContent('Failed');
    expect(policy).toHaveTextContent(
      "Fix: Request access for vpce-9c8c1280311ae9ffb: the owner's policy change lets calls from it in.",
    );

    // The request form opens pre-filled with the endpoint the check settled on.
    await userEvent.click(
      screen.getByRole('button', { name: 'Request access for this VPC' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('Call from')).toHaveTextContent(
      'vpce-9c8c1280311ae9ffb',
    );
  });
});
