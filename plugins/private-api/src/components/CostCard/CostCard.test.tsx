import { screen, within } from '@testing-library/react';
import { PrivateApiCostCard, quantity } from './CostCard';
import { describeTraffic } from './RequestsChart';
import { renderCard } from '../../__testUtils__/fakes';
import {
  paymentsApi,
  paymentsLedgerInternal,
  shippingQuotesHttp,
} from '../../__testUtils__/demoData';

describe('PrivateApiCostCard', () => {
  it("breaks payments-api's monthly estimate into requests and cache", async () => {
    await renderCard(<PrivateApiCostCard />, paymentsApi);
    expect(await screen.findByText('About $41.69 a month')).toBeInTheDocument();
    const table = within(screen.getByRole('table', { name: 'Monthly cost' }));
    expect(
      table.getByRole('row', { name: /REST API requests, first 333M a month/ }),
    ).toHaveTextContent(
      '7.74 million requests$3.50 per million requests$27.09',
    );
    expect(
      table.getByRole('row', { name: /Cache of stage prod, 0.5 GB/ }),
    ).toHaveTextContent('730 hours$0.02 per hour$14.60');
    expect(
      table.getByRole('row', { name: /Total per month/ }),
    ).toHaveTextContent('$41.69');
  });

  it('charts the last 30 days of requests, described in words', async () => {
    await renderCard(<PrivateApiCostCard />, paymentsApi);
    const chart = await screen.findByRole('img', { name: /^Requests per day/ });
    expect(chart).toHaveAccessibleName(
      'Requests per day. 7,633,892 requests from 2026-10-23 to 2026-11-21; busiest day 2026-10-27 with 297,212.',
    );
    expect(chart.querySelectorAll('rect')).toHaveLength(30);
  });

  it('names the price table with its date and sources', async () => {
    await renderCard(<PrivateApiCostCard />, paymentsApi);
    expect(
      await screen.findByText(/Prices for us-east-1 as of 2026-11-22, from/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /aws.amazon.com\/api-gateway\/pricing/,
      }),
    ).toHaveAttribute('href', 'https://aws.amazon.com/api-gateway/pricing/');
  });

  it('links the AWS page an assumption of the estimate may be checked against', async () => {
    await renderCard(<PrivateApiCostCard />, shippingQuotesHttp);
    const line = await screen.findByText(
      /assumes that HTTP API request tiers and WebSocket message tiers count all APIs/,
    );
    expect(
      within(line).getByRole('link', { name: /^AWS documentation/ }),
    ).toHaveAttribute('href', 'https://aws.amazon.com/api-gateway/pricing/');
    // A line that is not an assumption about AWS links nothing.
    expect(
      within(
        screen.getByText(/The free tier \(first 12 months\) is not applied/),
      ).queryByRole('link'),
    ).toBeNull();
  });

  it('advises a Lambda integration for the rarely used API behind an NLB', async () => {
    await renderCard(<PrivateApiCostCard />, paymentsLedgerInternal);
    expect(
      await screen.findByText(
        /payments-ledger-internal pays \$16.43 a month for the load balancer behind its VPC link/,
      ),
    ).toHaveTextContent('Saving: $16.42 a month.');
    const table = within(screen.getByRole('table', { name: 'Monthly cost' }));
    // 85 requests in 30 days, scaled to a month: counted as requests, not in millions.
    expect(
      table.getByRole('row', { name: /REST API requests/ }),
    ).toHaveTextContent('86 requests$3.50 per million requestsless than $0.01');
    expect(
      table.getByRole('row', { name: /Network Load Balancer ledger-nlb/ }),
    ).toHaveTextContent('730 hours$0.0225 per hour$16.43');
  });

  it('says where traffic comes from when there is none', async () => {
    await renderCard(<PrivateApiCostCard />, {
      ...paymentsApi,
      api: { ...paymentsApi.api, traffic: undefined },
    });
    expect(
      await screen.findByText(
        /No traffic data: discovery reads the CloudWatch metrics/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('img', { name: /Requests per day/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'No traffic data for payments-api (4qzwubhjbs): no requests counted.',
      ),
    ).toBeInTheDocument();
  });

  it('counts in the units people use, and says when a period had no traffic', () => {
    expect(quantity(0.000087, 'million requests')).toBe('87 requests');
    expect(quantity(0.000001, 'million requests')).toBe('1 request');
    expect(quantity(7.7421, 'million messages')).toBe('7.74 million messages');
    expect(quantity(730, 'hour')).toBe('730 hours');
    expect(
      describeTraffic([
        { date: '2026-11-01', count: 0 },
        { date: '2026-11-02', count: 0 },
      ]),
    ).toBe('No requests from 2026-11-01 to 2026-11-02.');
  });

  it('draws the chart with a y axis and dates', async () => {
    await renderCard(<PrivateApiCostCard />, paymentsApi);
    const chart = await screen.findByRole('img', { name: /^Requests per day/ });
    const labels = [...chart.querySelectorAll('text')].map(t => t.textContent);
    expect(labels).toEqual(
      expect.arrayContaining(['0', '2026-10-23', '2026-11-21', 'Day (UTC)']),
    );
    // The top of the y axis is a round number above the busiest day (297,212).
    expect(labels).toContain('500k');
  });
});
