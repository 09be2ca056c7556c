import { useState } from 'react';
import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { ScopeStatus } from '@private-api-catalog/plugin-private-api-common';
import { privateApiApiRef } from '../../api';
import { VerdictChip } from '../common/Availability';
import { accountLabel, formatDateTime } from '../common/format';

const STATUS = {
  ok: { verdict: 'ok', label: 'OK' },
  stale: { verdict: 'failed', label: 'Stale' },
  never: { verdict: 'skipped', label: 'Never crawled' },
} as const;

/** A warning above the table when some account and Region failed its last crawl. */
export function StaleScopesAlert(props: { scopes: ScopeStatus[] }) {
  const stale = props.scopes.filter(s => s.status === 'stale');
  if (stale.length === 0) return null;
  return (
    <Alert severity="warning">
      The last crawl failed in{' '}
      {stale
        .map(s => `${accountLabel(s.accountId, s.accountName)} ${s.region}`)
        .join(', ')}
      : their APIs show the last good data (see Crawl status below).
    </Alert>
  );
}

function RefreshButton(props: { onStarted: () => void }) {
  const client = useApi(privateApiApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setBusy(true);
    try {
      await client.refresh();
      alertApi.post({
        message: 'Discovery started: the crawl status updates as it runs.',
        severity: 'info',
        display: 'transient',
      });
      props.onStarted();
    } catch (error) {
      alertApi.post({
        message: `Could not start discovery: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="outlined" size="small" onClick={start} disabled={busy}>
      Start discovery now
    </Button>
  );
}

/** Crawl status of every account and Region, stale ones with their error. */
export function CrawlStatus(props: {
  scopes: { loading: boolean; error?: Error; value?: ScopeStatus[] };
  retry: () => void;
}) {
  const { scopes, retry } = props;
  let body;
  if (scopes.loading) body = <Progress />;
  else if (scopes.error) body = <ResponseErrorPanel error={scopes.error} />;
  else if (!scopes.value?.length) {
    body = (
      <Typography variant="body2">
        No account has been crawled yet. Configure the accounts and Regions in
        the privateApi section of app-config.yaml (see the backend plugin’s
        README), or start discovery now.
      </Typography>
    );
  } else {
    const sorted = [...scopes.value].sort(
      (a, b) =>
        (a.accountName ?? a.accountId).localeCompare(
          b.accountName ?? b.accountId,
        ) ||
        a.accountId.localeCompare(b.accountId) ||
        a.region.localeCompare(b.region),
    );
    body = (
      <Table size="small" aria-label="Crawl status">
        <TableHead>
          <TableRow>
            <TableCell>Account</TableCell>
            <TableCell>Region</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Last successful crawl</TableCell>
            <TableCell align="right">APIs</TableCell>
            <TableCell>Last error</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map((scope, index) => (
            <TableRow key={`${scope.accountId}/${scope.region}`}>
              {/* One account cell over the rows of its Regions. */}
              {sorted[index - 1]?.accountId !== scope.accountId && (
                <TableCell
                  component="th"
                  scope="row"
                  rowSpan={
                    sorted.filter(s => s.accountId === scope.accountId).length
                  }
                >
                  {accountLabel(scope.accountId, scope.accountName)}
                </TableCell>
              )}
              <TableCell>{scope.region}</TableCell>
              <TableCell>
                <VerdictChip
                  verdict={STATUS[scope.status].verdict}
                  label={STATUS[scope.status].label}
                />
              </TableCell>
              <TableCell>{formatDateTime(scope.lastSuccessAt)}</TableCell>
              <TableCell align="right">{scope.apiCount}</TableCell>
              <TableCell>
                {scope.status === 'stale' && scope.lastErrorCode
                  ? `${scope.lastErrorCode}${
                      scope.lastErrorMessage
                        ? `: ${scope.lastErrorMessage}`
                        : ''
                    } (${formatDateTime(scope.lastFailureAt)})`
                  : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }
  return (
    <InfoCard title="Crawl status" titleTypographyProps={{ component: 'h2' }}>
      <Box display="flex" flexDirection="column" gridGap={16}>
        {body}
        <div>
          <RefreshButton onStarted={retry} />
        </div>
      </Box>
    </InfoCard>
  );
}
