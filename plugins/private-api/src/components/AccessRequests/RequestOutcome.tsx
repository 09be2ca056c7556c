import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  AccessRequest,
  StageDeploymentResult,
} from '@private-api-catalog/plugin-private-api-common';
import { SectionTitle } from '../common/FactList';

const STATUS: Record<StageDeploymentResult['status'], string> = {
  deployed: 'deployed with the change',
  failed: 'deployment failed',
  'rolled-back': 'deployed, then rolled back',
  'rollback-failed': 'deployed; the rollback failed',
  'not-attempted': 'not deployed',
};

/**
 * Where a request's change is live: the needs-attention explanation, each stage's
 * deployment result, and the last check against discovery.
 */
export function RequestOutcome(props: { request: AccessRequest }) {
  const { request } = props;
  return (
    <>
      {request.state === 'needs-attention' && request.attention && (
        <Alert severity="warning" role="alert">
          <strong>Needs attention.</strong> {request.attention.message}
        </Alert>
      )}
      {request.deployments && request.deployments.length > 0 && (
        <Box>
          <SectionTitle>Stages</SectionTitle>
          <Box component="ul" m={0} pl={3} aria-label="Stage deployments">
            {request.deployments.map(d => (
              <li key={d.stage}>
                <Typography variant="body2">
                  <strong>{d.stage}</strong>: {STATUS[d.status]} ·{' '}
                  {d.live ? 'change live' : 'change not live'}
                  {d.error ? ` (${d.error.code}: ${d.error.message})` : ''}
                </Typography>
              </li>
            ))}
          </Box>
        </Box>
      )}
      {request.verification && request.state !== 'verified' && (
        <Typography variant="body2" color="textSecondary">
          Last check {new Date(request.verification.at).toLocaleString()}:{' '}
          {request.verification.message}
        </Typography>
      )}
    </>
  );
}
