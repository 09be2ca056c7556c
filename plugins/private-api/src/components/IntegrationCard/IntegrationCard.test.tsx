import { screen } from '@testing-library/react';
import { PrivateApiIntegrationCard } from './IntegrationCard';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  costOf,
  entityOf,
  fakeClient,
  OnEntityPage,
  renderCard,
} from '../../__testUtils__/fakes';
import {
  ordersInternal,
  paymentsApi,
  paymentsEvents,
  paymentsLedgerInternal,
  shippingQuotesHttp,
} from '../../__testUtils__/demoData';

function target(title: string | RegExp) {
  return screen.getByRole('region', { name: title });
}

describe('PrivateApiIntegrationCard', () => {
  it('groups routes by target, the busiest first', async () => {
    await renderCard(<PrivateApiIntegrationCard />, paymentsApi);
    const regions = await screen.findAllByRole('region');
    expect(regions.map(r => r.getAttribute('aria-label'))).toEqual([
      'Lambda function payments-handler',
      'Mock (API Gateway answers without a backend)',
    ]);
    const lambda = target('Lambda function payments-handler');
    expect(lambda).toHaveTextContent(
      'arn:aws:lambda:us-east-1:222222222222:function:payments-handler',
    );
    for (const route of [
      'GET /payments',
      'GET /payments/{paymentId}',
      'POST /payments',
      'POST /payments/{paymentId}/capture',
    ]) {
      expect(lambda).toHaveTextContent(route);
    }
    expect(target(/^Mock/)).toHaveTextContent('GET /health');
  });

  it('follows a V1 VPC link to its NLB, with the link status', async () => {
    await renderCard(<PrivateApiIntegrationCard />, paymentsLedgerInternal);
    const link = await screen.findByRole('region', {
      name: 'VPC link ledger-link (lk7n2q, V1) → NLB',
    });
    expect(link).toHaveTextContent('AVAILABLE');
    expect(link).toHaveTextContent('Your vpc link is ready for use');
    expect(link).toHaveTextContent(
      'Network Load Balancerledger-nlb, internal, active',
    );
    expect(link).toHaveTextContent(
      'ledger-nlb-5b2dc632ba1eaf16.elb.us-east-1.amazonaws.com',
    );
    expect(link).toHaveTextContent(
      'URI: https://ledger-nlb-5b2dc632ba1eaf16.elb.us-east-1.amazonaws.com:443/reconcile',
    );
    expect(link).toHaveTextContent('POST /reconciliations');
  });

  it('follows a V2 VPC link to the ALB listener it targets', async () => {
    await renderCard(<PrivateApiIntegrationCard />, paymentsEvents);
    const link = await screen.findByRole('region', {
      name: 'VPC link payments-events-link (v2pay1, V2) → ALB',
    });
    expect(link).toHaveTextContent(
      'Application Load Balancerpayments-alb, internal, active',
    );
    expect(link).toHaveTextContent('ListenerHTTPS 443');
  });

  it('names the Cloud Map service behind a V2 VPC link', async () => {
    await renderCard(<PrivateApiIntegrationCard />, shippingQuotesHttp);
    const link = await screen.findByRole('region', {
      name: 'VPC link shipping-link (dlw5by, V2) → Cloud Map',
    });
    expect(link).toHaveTextContent(
      'Cloud Map servicesrv-9a79b657f7947c71 (arn:aws:servicediscovery:us-east-1:444444444444:service/srv-9a79b657f7947c71)',
    );
  });

  it('shows an AWS service integration next to the Lambda ones', async () => {
    await renderCard(<PrivateApiIntegrationCard />, ordersInternal);
    const sqs = await screen.findByRole('region', { name: 'AWS service sqs' });
    expect(sqs).toHaveTextContent(
      'URI: arn:aws:apigateway:us-east-1:sqs:path/444444444444/orders-intake',
    );
    expect(sqs).toHaveTextContent('POST /orders');
  });

  it('says what to check when the inventory has no integrations', async () => {
    await renderCard(<PrivateApiIntegrationCard />, {
      ...paymentsApi,
      api: { ...paymentsApi.api, routes: [], integrations: [] },
    });
    expect(
      await screen.findByText(
        /The inventory lists no routes or integrations for this API/,
      ),
    ).toBeInTheDocument();
  });
});

describe('PrivateApiIntegrationCard on what is deployed', () => {
  it('says the routes are the deployed ones, and which stages have a route', async () => {
    const api = structuredClone(paymentsApi);
    api.api.stages = [
      { stageName: 'prod', deploymentId: 'd1' },
      { stageName: 'dev', deploymentId: 'd2' },
    ];
    api.api.detailsSource = {
      kind: 'deployment',
      stageName: 'prod',
      deploymentId: 'd1',
    };
    api.api.routes = api.api.routes.map((route, i) => ({
      ...route,
      stages: i === 0 ? ['dev'] : ['dev', 'prod'],
    }));
    const first = api.api.routes[0].routeKey;
    await renderCard(<PrivateApiIntegrationCard />, api);
    expect(
      await screen.findByText(/As deployed to stage prod/),
    ).toHaveTextContent('The stages run different deployments');
    expect(screen.getByText(`${first} (dev only)`)).toBeInTheDocument();
  });

  it('says when the routes are a working copy that no stage runs', async () => {
    const api = structuredClone(paymentsApi);
    api.api.detailsSource = { kind: 'working-copy' };
    await renderCard(<PrivateApiIntegrationCard />, api);
    expect(
      await screen.findByText(/No stage runs this API yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /deployed to a stage/ }),
    ).toHaveAttribute(
      'href',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-deploy-api.html',
    );
  });

  it('links the Lambda function and load balancer entities the catalog relates the API to', async () => {
    const render = async (details: typeof paymentsApi, targetRef: string) => {
      const entity = {
        ...entityOf(details),
        relations: [{ type: 'dependsOn', targetRef }],
      };
      const client = fakeClient({
        getApiDetails: jest.fn(async () => details),
        getApiCost: jest.fn(async () => costOf(details.api)),
      });
      return renderInTestApp(
        <OnEntityPage client={client} entity={entity}>
          <PrivateApiIntegrationCard />
        </OnEntityPage>,
        {
          mountedRoutes: {
            '/catalog/:namespace/:kind/:name': entityRouteRef,
          },
        },
      );
    };
    const lambdaRef = 'resource:default/payments-handler-0f3c2a1b';
    // A ref the catalog module would not write for this function: no link.
    const { unmount } = await render(paymentsApi, lambdaRef);
    const lambda = await screen.findByRole('region', {
      name: 'Lambda function payments-handler',
    });
    expect(lambda).not.toHaveTextContent('In the catalog');
    unmount();

    await render(
      paymentsLedgerInternal,
      'resource:default/ledger-nlb-5b2dc632ba1eaf16',
    );
    const link = await screen.findByRole('region', {
      name: 'VPC link ledger-link (lk7n2q, V1) → NLB',
    });
    expect(link).toHaveTextContent(
      'In the catalog: ledger-nlb-5b2dc632ba1eaf16',
    );
    expect(
      screen.getByRole('link', { name: /ledger-nlb-5b2dc632ba1eaf16/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/ledger-nlb-5b2dc632ba1eaf16',
    );
  });
});
