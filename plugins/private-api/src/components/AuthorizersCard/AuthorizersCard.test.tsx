import { screen } from '@testing-library/react';
import { PrivateApiAuthorizersCard } from './AuthorizersCard';
import { renderCard } from '../../__testUtils__/fakes';
import {
  fraudScoringInternal,
  identityApi,
  paymentsApi,
  paymentsEvents,
} from '../../__testUtils__/demoData';

describe('PrivateApiAuthorizersCard', () => {
  it('flags the routes without authorization and lists the IAM ones', async () => {
    await renderCard(<PrivateApiAuthorizersCard />, paymentsApi);
    expect(
      await screen.findByText(/1 route has no authorization: GET \/health\./),
    ).toHaveTextContent(
      'Any caller the resource policy lets in can call them.',
    );
    const iam = screen.getByRole('region', { name: 'IAM (SigV4)' });
    expect(iam).toHaveTextContent('IAM: sign the request with SigV4');
    expect(iam).toHaveTextContent('POST /payments/{paymentId}/capture');
    expect(iam).not.toHaveTextContent('GET /health');
  });

  it('shows a Cognito authorizer with its user pool and the scopes its routes need', async () => {
    await renderCard(<PrivateApiAuthorizersCard />, identityApi);
    const cognito = await screen.findByRole('region', {
      name: 'Cognito user pool authorizer customers-pool',
    });
    expect(cognito).toHaveTextContent(
      'arn:aws:cognito-idp:us-east-1:333333333333:userpool/us-east-1_Id3ntXy9Z',
    );
    expect(cognito).toHaveTextContent('Cached for300 s');
    expect(cognito).toHaveTextContent('GET /me (scope profile/read)');
    expect(cognito).toHaveTextContent('PUT /me (scope profile/write)');
    expect(
      screen.getByText(
        /2 routes have no authorization: POST \/signin, POST \/signup\./,
      ),
    ).toHaveTextContent(
      'Anyone on the internet whom the resource policy does not deny',
    );
  });

  it('shows a Lambda TOKEN authorizer with its function and identity source', async () => {
    await renderCard(<PrivateApiAuthorizersCard />, fraudScoringInternal);
    const lambda = await screen.findByRole('region', {
      name: 'Lambda authorizer (TOKEN) fraud-token-authorizer',
    });
    expect(lambda).toHaveTextContent(
      'Lambda functionarn:aws:lambda:us-east-1:222222222222:function:fraud-token-authorizer',
    );
    expect(lambda).toHaveTextContent(
      'Identity sourcesmethod.request.header.Authorization',
    );
  });

  it('shows a JWT authorizer with its issuer and audiences', async () => {
    await renderCard(<PrivateApiAuthorizersCard />, paymentsEvents);
    const jwt = await screen.findByRole('region', {
      name: 'JWT authorizer partners-jwt',
    });
    expect(jwt).toHaveTextContent(
      'Issuerhttps://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pay7Qx2Lm',
    );
    expect(jwt).toHaveTextContent('Audiencespayments-events');
  });

  it('says what to check when the inventory has no routes or authorizers', async () => {
    await renderCard(<PrivateApiAuthorizersCard />, {
      ...paymentsApi,
      api: { ...paymentsApi.api, routes: [], authorizers: [] },
    });
    expect(
      await screen.findByText(/The inventory lists no routes or authorizers/),
    ).toBeInTheDocument();
  });
});
