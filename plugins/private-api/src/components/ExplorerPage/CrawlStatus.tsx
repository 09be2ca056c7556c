import { useEffect, useRef, useState } from 'react';
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
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  DiscoveryStatusResponse,
  ScopeStatus,
} from '@private-api-catalog/plugin-private-api-common';
import { privateApiApiRef } from '../../api';
import { VerdictChip } from '../common/Availability';
import { errorMessage } from '../common/errorMessage';
import { accountLabel, formatWhen } from '../common/format';
import { useDiscoverySignal } from '../common/useDiscoverySignal';

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

/** Discovery's last and next run, in a sentence. */
function runSummary(status: DiscoveryStatusResponse): string {
  if (!status.configured) return 'Discovery is not configured.';
  const parts = [];
  if (status.running) parts.push('Discovery is running now.');
  else if (status.lastRun?.startedAt) {
    parts.push(`Last run ${formatWhen(status.lastRun.startedAt)}.`);
  }
  if (!status.running && status.nextRunAt) {
    parts.push(`Next run about ${formatWhen(status.nextRunAt)}.`);
  }
  if (status.schedule) parts.push(`It runs ${status.schedule}.`);
  return parts.join(' ');
}

/**
 * "Start discovery now" with its outcome beside it (not a toast: the table below is where
 * the crawl shows, and stacked toasts ran off the screen's edge).
 */
function RefreshButton(props: { onStarted: () => void }) {
  const client = useApi(privateApiApiRef);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const start = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      await client.refresh();
      setOutcome({
        ok: true,
        text: 'Discovery started: each account and Region updates below as it is crawled.',
      });
      props.onStarted();
    } catch (error) {
      setOutcome({
        ok: false,
        text: `Could not start discovery: ${errorMessage(error)}`,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box display="flex" alignItems="center" gridGap={16} flexWrap="wrap">
      <Button variant="outlined" size="small" onClick={start} disabled={busy}>
        Start discovery now
      </Button>
      {outcome && (
        <Typography
          variant="body2"
          role={outcome.ok ? 'status' : 'alert'}
          color={outcome.ok ? 'textPrimary' : 'error'}
        >
          {outcome.text}
        </Typography>
      )}
    </Box>
  );
}

/** Crawl status of every account and Region, stale ones with their error. */
export function CrawlStatus(props: {
  scopes: { loading: boolean; error?: Error; value?: ScopeStatus[] };
  retry: () => void;
}) {
  const { scopes, retry } = props;
  const client = useApi(privateApiApiRef);
  const status = useAsyncRetry(() => client.getDiscoveryStatus(), [client]);
  // The backend signals each run's start, every crawled account and Region, and the end:
  // the table follows without a reload.
  const signal = useDiscoverySignal();
  const refreshAll = () => {
    retry();
    status.retry();
  };
  const refreshRef = useRef(refreshAll);
  refreshRef.current = refreshAll;
  useEffect(() => {
    if (signal) refreshRef.current();
  }, [signal]);

  let body;
  // Keep the table while it reloads: signals refresh it many times during a run.
  if (scopes.loading && !scopes.value) body = <Progress />;
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
            <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
              APIs
            </TableCell>
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
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {scope.region}
              </TableCell>
              <TableCell>
                <VerdictChip
                  verdict={STATUS[scope.status].verdict}
                  label={STATUS[scope.status].label}
                />
              </TableCell>
              <TableCell>{formatWhen(scope.lastSuccessAt)}</TableCell>
              <TableCell align="right">{scope.apiCount}</TableCell>
              <TableCell>
                {scope.status === 'stale' && scope.lastErrorCode
                  ? `${scope.lastErrorCode}${
                      scope.lastErrorMessage
                        ? `: ${scope.lastErrorMessage}`
                        : ''
                    } (${formatWhen(scope.lastFailureAt)})`
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
        {status.value && (
          <Typography variant="body2" role="status">
            {runSummary(status.value)}
          </Typography>
        )}
        {body}
        <RefreshButton onStarted={refreshAll} />
      </Box>
    </InfoCard>
  );
}
