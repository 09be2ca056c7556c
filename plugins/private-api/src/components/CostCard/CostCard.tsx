import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  ApiRecord,
  assumptionDocUrl,
} from '@private-api-catalog/plugin-private-api-common';
import { privateApiApiRef } from '../../api';
import { SectionTitle } from '../common/FactList';
import { formatCount, formatUnitPrice, formatUsd } from '../common/format';
import { PrivateApiCard } from '../common/PrivateApiCard';
import { describeTraffic, RequestsChart } from './RequestsChart';

const MILLION = 1_000_000;

const TYPE_LABEL = {
  REST: 'REST',
  HTTP: 'HTTP',
  WEBSOCKET: 'WebSocket',
} as const;

function plural(count: number, unit: string): string {
  return count === 1 || unit.endsWith('s') ? unit : `${unit}s`;
}

/**
 * A line's quantity in the units people count: "87 requests", "7.74 million requests",
 * "730 hours". Prices are per million, so the estimate keeps millions; readers should not.
 */
export function quantity(value: number, unit: string): string {
  const perMillion = /^million (.+)$/.exec(unit);
  if (perMillion) {
    const count = Math.round(value * MILLION);
    const base = perMillion[1];
    return count >= MILLION
      ? `${formatCount(
          Math.round((count / MILLION) * 100) / 100,
        )} million ${base}`
      : `${formatCount(count)} ${count === 1 ? base.replace(/s$/, '') : base}`;
  }
  const rounded = Math.round(value * 100) / 100;
  return `${formatCount(rounded)} ${plural(rounded, unit)}`;
}

/** "$3.50 per million requests", "$0.0225 per hour". */
function unitPriceText(price: number, unit: string): string {
  return `${formatUnitPrice(price)} per ${unit}`;
}

const useStyles = makeStyles({ nowrap: { whiteSpace: 'nowrap' } });

function CostContent(props: { api: ApiRecord }) {
  const { api } = props;
  const classes = useStyles();
  const client = useApi(privateApiApiRef);
  const { accountId, region, apiId } = api;
  const cost = useAsyncRetry(
    () => client.getApiCost({ accountId, region, apiId }),
    [client, accountId, region, apiId],
  );
  if (cost.loading) return <Progress />;
  if (cost.error || !cost.value) {
    return (
      <>
        <ResponseErrorPanel
          error={cost.error ?? new Error('No cost estimate')}
        />
        <Button variant="outlined" size="small" onClick={cost.retry}>
          Try again
        </Button>
      </>
    );
  }
  const estimate = cost.value;
  const own = estimate.estimate;
  const daily = api.traffic?.daily ?? [];
  // WebSocket APIs are metered by message (CloudWatch MessageCount), the others by request.
  const what = api.apiType === 'WEBSOCKET' ? 'messages' : 'requests';
  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <Typography variant="h6" component="p">
        About {formatUsd(own?.total ?? 0)} a month
      </Typography>
      {estimate.advice.map(advice => (
        <Alert key={advice.kind} severity="info">
          {advice.message} Saving: {formatUsd(advice.monthlySaving)} a month.
        </Alert>
      ))}
      {own && own.lines.length > 0 ? (
        <Table size="small" aria-label="Monthly cost">
          <TableHead>
            <TableRow>
              <TableCell>Item</TableCell>
              {['Quantity', 'Unit price', 'Amount'].map(title => (
                <TableCell key={title} align="right" className={classes.nowrap}>
                  {title}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {own.lines.map(line => (
              <TableRow key={line.description}>
                <TableCell>{line.description}</TableCell>
                <TableCell align="right">
                  {quantity(line.quantity, line.unit)}
                </TableCell>
                <TableCell align="right">
                  {unitPriceText(line.unitPrice, line.unit)}
                </TableCell>
                <TableCell align="right" className={classes.nowrap}>
                  {formatUsd(line.amount)}
                </TableCell>
              </TableRow>
            ))}
            <TableRow>
              <TableCell colSpan={3}>
                <strong>Total per month</strong>
              </TableCell>
              <TableCell align="right" className={classes.nowrap}>
                <strong>{formatUsd(own.total)}</strong>
              </TableCell>
            </TableRow>
          </TableBody>
        </Table>
      ) : (
        <Typography variant="body2">
          Nothing to charge: no requests in the traffic data, no cache and no
          load balancer.
        </Typography>
      )}
      <div>
        <SectionTitle>
          {what === 'messages' ? 'Messages' : 'Requests'} per day
        </SectionTitle>
        {daily.length > 0 ? (
          <>
            <RequestsChart daily={daily} what={what} />
            <Typography variant="body2" color="textSecondary">
              {describeTraffic(daily, what)}
            </Typography>
          </>
        ) : (
          <Typography variant="body2">
            No traffic data: discovery reads the CloudWatch metrics of API
            Gateway. Check that the discovery role may call
            cloudwatch:GetMetricData; the estimate counts no requests until
            then.
          </Typography>
        )}
      </div>
      <div>
        <SectionTitle>How this is estimated</SectionTitle>
        <Typography variant="body2" component="ul" style={{ marginTop: 0 }}>
          <li>
            {what === 'messages' ? 'Message' : 'Request'} prices come in tiers
            that count every {TYPE_LABEL[api.apiType]} API of the account and
            Region together; this API pays for its own {what} at the tiers’
            prices.
          </li>
          {estimate.assumptions.map(a => (
            <li key={a}>
              <Assumption text={a} />
            </li>
          ))}
        </Typography>
        {estimate.priceTables.map(table => (
          <Typography variant="body2" key={table.region}>
            Prices for {table.region} as of {table.asOf}, from{' '}
            {table.sources.map((source, i) => (
              <span key={source}>
                {i > 0 && ', '}
                {source.startsWith('https://') ? (
                  <Link to={source} underline="always">
                    {source}
                  </Link>
                ) : (
                  source
                )}
              </span>
            ))}
            .
            {table.assumptions.map(a => (
              <span key={a}>
                {' '}
                <Assumption text={a} />
              </span>
            ))}
          </Typography>
        ))}
      </div>
    </Box>
  );
}

/** An assumption of the estimate, with the AWS page to check it against when it has one. */
function Assumption({ text }: { text: string }) {
  const docUrl = assumptionDocUrl(text);
  return (
    <>
      {text}
      {docUrl && (
        <>
          {' '}
          (
          <Link to={docUrl} underline="always">
            AWS documentation
          </Link>
          )
        </>
      )}
    </>
  );
}

/**
 * The monthly cost estimate with its lines, the last 30 days of requests, the advice to spend
 * less, and the date and sources of the prices.
 *
 * @public
 */
export function PrivateApiCostCard() {
  return (
    <PrivateApiCard title="Cost">
      {({ api }) => <CostContent api={api} />}
    </PrivateApiCard>
  );
}
