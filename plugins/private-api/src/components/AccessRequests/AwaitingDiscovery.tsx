import { useEffect, useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';
import { privateApiApiRef } from '../../api';
import { accessRequestsApiRef } from '../../api/AccessRequestsClient';
import { errorMessage } from '../common/errorMessage';
import { formatWhen } from '../common/format';
import { useDiscoverySignal } from '../common/useDiscoverySignal';
import { callerLabel } from './queue';

/** When the next scheduled discovery comes, in words. */
function nextRunText(
  status: { running: boolean; nextRunAt?: string; schedule?: string },
  now = new Date(),
) {
  if (status.running) return 'Discovery is running now.';
  if (!status.nextRunAt) {
    return `Discovery runs ${status.schedule ?? 'on its schedule'}.`;
  }
  const schedule = status.schedule ? ` (it runs ${status.schedule})` : '';
  return Date.parse(status.nextRunAt) <= now.getTime()
    ? `The next discovery run is due now${schedule}.`
    : `The next discovery run starts about ${formatWhen(
        status.nextRunAt,
        now,
      )}${schedule}.`;
}

/**
 * An applied request waits for discovery to read the new policy: when that happens, and
 * "Verify now" to re-crawl the API at once. Follows discovery live: when the API's account
 * and Region has been crawled, the request is read again (it may now be verified).
 */
export function AwaitingDiscovery(props: {
  request: AccessRequest;
  onChange: (request: AccessRequest) => void;
}) {
  const { request, onChange } = props;
  const privateApi = useApi(privateApiApiRef);
  const client = useApi(accessRequestsApiRef);
  const status = useAsyncRetry(
    () => privateApi.getDiscoveryStatus(),
    [privateApi],
  );
  const signal = useDiscoverySignal();
  const [verifying, setVerifying] = useState(false);
  const [outcome, setOutcome] = useState<{
    severity: 'info' | 'error';
    text: string;
  }>();

  const { retry } = status;
  useEffect(() => {
    if (!signal) return;
    retry();
    if (
      signal.type === 'scope-crawled' &&
      signal.accountId === request.accountId &&
      signal.region === request.region
    ) {
      client.get(request.id).then(
        latest => latest.state !== request.state && onChange(latest),
        () => undefined, // the page keeps what it shows; a reload reads it again
      );
    }
    // Only a new signal re-reads; the request itself changes through onChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signal]);

  const verify = async () => {
    setVerifying(true);
    setOutcome(undefined);
    try {
      const latest = await client.verify(request.id);
      if (latest.state === 'applied') {
        setOutcome({
          severity: 'info',
          text: `Discovery read ${
            request.apiName
          } again: its policy does not let ${callerLabel(
            request,
          )} in yet. The policy may still be deploying; try again in a minute.`,
        });
      }
      onChange(latest);
    } catch (e) {
      setOutcome({ severity: 'error', text: errorMessage(e) });
    } finally {
      setVerifying(false);
    }
  };

  return (
    <Alert severity="info" role="status">
      <Box display="flex" flexDirection="column" gridGap={8}>
        <Typography variant="body2">
          Applied to AWS. Discovery confirms it when it next reads{' '}
          {request.apiName} and sees {callerLabel(request)} allowed.{' '}
          {status.value && nextRunText(status.value)}
          {status.error &&
            `When discovery runs next is unknown: ${errorMessage(
              status.error,
            )}`}
        </Typography>
        <Box>
          <Button
            variant="outlined"
            size="small"
            color="primary"
            onClick={verify}
            disabled={verifying}
          >
            {verifying ? 'Verifying…' : 'Verify now'}
          </Button>
        </Box>
        {outcome && (
          <Typography
            variant="body2"
            color={outcome.severity === 'error' ? 'error' : 'textPrimary'}
            role={outcome.severity === 'error' ? 'alert' : undefined}
          >
            {outcome.text}
          </Typography>
        )}
      </Box>
    </Alert>
  );
}
