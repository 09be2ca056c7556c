import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Tab,
  Tabs,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import {
  AccessRequest,
  canTransition,
  ProposedChange,
} from '@private-api-catalog/plugin-private-api-common';
import { accessRequestsApiRef } from '../../api/AccessRequestsClient';
import { errorMessage } from '../common/errorMessage';
import { CommandBlock } from '../common/CommandBlock';
import { SectionTitle } from '../common/FactList';
import { formatWhen } from '../common/format';
import { AwaitingDiscovery } from './AwaitingDiscovery';
import { callerLabel } from './queue';
import { RequestOutcome } from './RequestOutcome';
import { StateChip } from './StateChip';

function When(props: { iso: string }) {
  return <time dateTime={props.iso}>{formatWhen(props.iso)}</time>;
}

/** A user or group by the catalog's display name; other actors (discovery) as they are. */
function Actor(props: { actorRef: string }) {
  return props.actorRef.includes(':') ? (
    <EntityRefLink entityRef={props.actorRef} defaultKind="user" />
  ) : (
    <>{props.actorRef}</>
  );
}

/**
 * Before a decision: the change approving would make to the policy as discovery last read
 * it, so approvers never decide blind.
 */
function PreviewOfDecision(props: { request: AccessRequest }) {
  const client = useApi(accessRequestsApiRef);
  const preview = useAsync(
    () => client.preview(props.request.id),
    [client, props.request.id, props.request.updatedAt],
  );
  return (
    <Box>
      <SectionTitle>What approving changes</SectionTitle>
      {preview.loading && <Progress />}
      {preview.error && (
        <Alert severity="warning">
          The change could not be computed: {errorMessage(preview.error)}
        </Alert>
      )}
      {preview.value && (
        <ChangeView
          change={preview.value}
          handoff={props.request.applyMode === 'handoff'}
        />
      )}
    </Box>
  );
}

function entityPath(entityRef: string) {
  const [kind, rest] = entityRef.split(':');
  const [namespace, name] = rest.split('/');
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}`;
}

/** The change as the owners review it: summary, diff, notes, and IaC for a hand-off. */
function ChangeView(props: { change: ProposedChange; handoff: boolean }) {
  const { change } = props;
  const [tab, setTab] = useState(0);
  return (
    <Box>
      <Typography variant="body2" paragraph>
        {change.summary}
      </Typography>
      {change.notes.map(note => (
        <Typography key={note} variant="body2" color="textSecondary" paragraph>
          {note}
        </Typography>
      ))}
      <Tabs
        value={tab}
        onChange={(_, v) => setTab(v)}
        aria-label="Proposed change"
        indicatorColor="primary"
      >
        <Tab label="Diff" />
        <Tab label="New policy" />
        {props.handoff && <Tab label="Terraform" />}
        {props.handoff && <Tab label="CloudFormation" />}
      </Tabs>
      <Box mt={1}>
        {tab === 0 && (
          <CommandBlock
            command={change.diff || '(no change)'}
            copyLabel="Copy the diff"
          />
        )}
        {tab === 1 && (
          <CommandBlock
            command={
              change.policy
                ? JSON.stringify(JSON.parse(change.policy), null, 2)
                : '(no policy)'
            }
            copyLabel="Copy the new policy"
          />
        )}
        {tab === 2 && (
          <CommandBlock
            command={change.terraform}
            copyLabel="Copy the Terraform"
          />
        )}
        {tab === 3 && (
          <CommandBlock
            command={change.cloudFormation}
            copyLabel="Copy the CloudFormation"
          />
        )}
      </Box>
    </Box>
  );
}

/** Before applying: the change the apply will make to the policy as it is now. */
function ApplyDialog(props: {
  request: AccessRequest;
  onClose: () => void;
  onApply: () => void;
}) {
  const client = useApi(accessRequestsApiRef);
  const preview = useAsync(
    () => client.preview(props.request.id),
    [client, props.request.id],
  );
  return (
    <Dialog
      open
      onClose={props.onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="apply-title"
    >
      <DialogTitle id="apply-title">
        Apply to {props.request.apiName}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          The plugin re-reads the policy, refuses if it changed since you
          approved, makes this change
          {associationText(props.request, {
            grant: ', associates the endpoint',
            revoke: ', removes the endpoint’s association',
          })}{' '}
          and redeploys{' '}
          {props.request.stages.length
            ? props.request.stages.join(', ')
            : 'every stage'}{' '}
          (one deployment per 5 seconds). If a step fails, it takes this change
          back out of the policy (edits others made meanwhile are kept) and
          redeploys.
        </Typography>
        {preview.loading && <Progress />}
        {preview.error && (
          <Alert severity="error">{errorMessage(preview.error)}</Alert>
        )}
        {preview.value && <ChangeView change={preview.value} handoff={false} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={props.onApply}
          disabled={!preview.value}
        >
          Apply and redeploy
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * One request: what is asked, its state, the proposed change, its timeline, and the actions
 * this user may take (the backend checks them again).
 */
/** The words for the request's association change: a grant adds it, a revoke removes it. */
function associationText(
  request: AccessRequest,
  words: { grant: string; revoke: string },
): string {
  if (!request.associateEndpoint) return '';
  return request.kind === 'revoke' ? words.revoke : words.grant;
}

export function AccessRequestDetails(props: {
  request: AccessRequest;
  /** The user may approve, reject and apply (an owner of the API). */
  canDecide: boolean;
  /** The user made the request. */
  isRequester: boolean;
  onChange: (request: AccessRequest) => void;
}) {
  const { request } = props;
  const client = useApi(accessRequestsApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [applying, setApplying] = useState(false);

  const act = async (action: () => Promise<AccessRequest>) => {
    setBusy(true);
    setError(undefined);
    try {
      props.onChange(await action());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const caller = callerLabel(request);

  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <Box display="flex" alignItems="center" gridGap={16} flexWrap="wrap">
        <StateChip state={request.state} />
        <Typography variant="body2">
          {request.kind === 'revoke' ? <strong>Revoke · </strong> : null}
          <Link to={entityPath(request.entityRef)} underline="always">
            {request.apiName}
          </Link>{' '}
          ({request.apiId}, {request.region}) · caller {caller} · stages{' '}
          {request.stages.length ? request.stages.join(', ') : 'all'}
          {associationText(request, {
            grant: ' · with Route 53 alias association',
            revoke: ' · and its Route 53 alias association',
          })}{' '}
          ·{' '}
          {request.applyMode === 'direct'
            ? 'applied by the plugin'
            : 'handed off to IaC'}
        </Typography>
      </Box>
      <Typography variant="body2">
        <strong>
          <Actor actorRef={request.requester} />
        </strong>{' '}
        asked <When iso={request.createdAt} />: {request.justification}
      </Typography>
      {request.failure && request.state !== 'needs-attention' && (
        <Alert severity="error">
          {request.failure.code}: {request.failure.message}
        </Alert>
      )}
      <RequestOutcome request={request} />
      {request.state === 'approved' && request.applyMode === 'handoff' && (
        <Alert severity="info">
          Apply the new policy in the API’s IaC and redeploy every stage; the
          next discovery marks this request verified.
        </Alert>
      )}
      {request.state === 'applied' && (
        <AwaitingDiscovery request={request} onChange={props.onChange} />
      )}
      {request.state === 'pending' && !request.proposedChange && (
        <PreviewOfDecision request={request} />
      )}
      {request.proposedChange && (
        <Box>
          <SectionTitle>Proposed change</SectionTitle>
          <ChangeView
            change={request.proposedChange}
            handoff={request.applyMode === 'handoff'}
          />
        </Box>
      )}
      {error && (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      )}
      <Box display="flex" gridGap={8} flexWrap="wrap">
        {props.canDecide && canTransition(request.state, 'approve') && (
          <Button
            variant="contained"
            color="primary"
            disabled={busy}
            onClick={() => act(() => client.approve(request.id))}
          >
            Approve
          </Button>
        )}
        {props.canDecide && canTransition(request.state, 'reject') && (
          <Button
            variant="outlined"
            disabled={busy}
            onClick={() => setRejecting(true)}
          >
            Reject…
          </Button>
        )}
        {props.canDecide &&
          request.applyMode === 'direct' &&
          canTransition(request.state, 'apply') && (
            <Button
              variant="contained"
              color="primary"
              disabled={busy}
              onClick={() => setApplying(true)}
            >
              {['failed', 'needs-attention'].includes(request.state)
                ? 'Retry apply…'
                : 'Apply…'}
            </Button>
          )}
        {props.isRequester && canTransition(request.state, 'cancel') && (
          <Button
            variant="outlined"
            disabled={busy}
            onClick={() => act(() => client.cancel(request.id))}
          >
            Cancel request
          </Button>
        )}
        {busy && <Typography variant="body2">Working…</Typography>}
      </Box>
      <Box>
        <SectionTitle>Timeline</SectionTitle>
        <Box component="ol" m={0} pl={3} aria-label="Timeline">
          {request.events.map((event, i) => (
            <li key={i}>
              <Typography variant="body2">
                <When iso={event.at} /> ·{' '}
                <strong>
                  <Actor actorRef={event.actor} />
                </strong>{' '}
                · {event.action}
                {event.fromState
                  ? ` (${event.fromState} → ${event.toState})`
                  : ` (${event.toState})`}
                {event.message ? `: ${event.message}` : ''}
              </Typography>
            </li>
          ))}
        </Box>
      </Box>
      <Dialog
        open={rejecting}
        onClose={() => setRejecting(false)}
        aria-labelledby="reject-title"
        fullWidth
      >
        <DialogTitle id="reject-title">Reject the request</DialogTitle>
        <DialogContent>
          <TextField
            id="reject-reason"
            label="Reason (shown to the requester)"
            fullWidth
            multiline
            minRows={2}
            variant="outlined"
            value={reason}
            onChange={e => setReason(e.target.value)}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRejecting(false)}>Back</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={reason.trim().length < 3 || busy}
            onClick={async () => {
              setRejecting(false);
              await act(() => client.reject(request.id, reason.trim()));
            }}
          >
            Reject
          </Button>
        </DialogActions>
      </Dialog>
      {applying && (
        <ApplyDialog
          request={request}
          onClose={() => setApplying(false)}
          onApply={async () => {
            setApplying(false);
            await act(() => client.apply(request.id));
          }}
        />
      )}
    </Box>
  );
}
