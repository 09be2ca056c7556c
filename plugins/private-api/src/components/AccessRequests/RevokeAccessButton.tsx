import { useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AccessRequest,
  ApiRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { accessRequestsApiRef } from '../../api/AccessRequestsClient';
import { errorMessage } from '../common/errorMessage';
import { accessRequestPath } from './RequestAccessButton';

/**
 * "Revoke…" for a VPC or VPC endpoint the resource policy allows: asks for a revoke
 * request (an owner takes a caller out, or a requester withdraws their own access). It goes
 * through the same approval, apply or IaC hand-off, and verification as a grant.
 */
export function RevokeAccessButton(props: {
  api: ApiRecord;
  caller: { vpcId?: string; vpcEndpointId?: string };
}) {
  const client = useApi(accessRequestsApiRef);
  const [open, setOpen] = useState(false);
  const [justification, setJustification] = useState('');
  const associated =
    !!props.caller.vpcEndpointId &&
    props.api.vpcEndpointIds.includes(props.caller.vpcEndpointId);
  const [disassociate, setDisassociate] = useState(associated);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<AccessRequest>();
  const name = props.caller.vpcEndpointId ?? props.caller.vpcId;
  const titleId = `revoke-title-${name}`;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setCreated(
        await client.create({
          kind: 'revoke',
          accountId: props.api.accountId,
          region: props.api.region,
          apiId: props.api.apiId,
          ...props.caller,
          ...(associated && disassociate ? { associateEndpoint: true } : {}),
          justification: justification.trim(),
        }),
      );
      setOpen(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <Typography variant="body2" component="div">
        Revoke requested.{' '}
        <Link to={accessRequestPath(created.id)} underline="always">
          Follow it
        </Link>
      </Typography>
    );
  }
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        aria-label={`Revoke ${name}`}
        onClick={() => setOpen(true)}
      >
        Revoke…
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby={titleId}
        fullWidth
      >
        <DialogTitle id={titleId}>
          Revoke {name}’s access to {props.api.name}
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2" paragraph>
            This asks the API’s owners to take {name} out of the resource policy
            on every stage. Once approved it is applied (or handed to the API’s
            IaC), and the next discovery checks that {name} is kept out.
          </Typography>
          {associated && (
            <FormControlLabel
              control={
                <Checkbox
                  checked={disassociate}
                  onChange={e => setDisassociate(e.target.checked)}
                  color="primary"
                />
              }
              label={`Also remove ${name}’s association with the API (its Route 53 alias name stops resolving)`}
            />
          )}
          <TextField
            id={`revoke-justification-${name}`}
            label="Why (shown to the owners)"
            fullWidth
            multiline
            minRows={2}
            variant="outlined"
            value={justification}
            onChange={e => setJustification(e.target.value)}
            helperText="A sentence, 10 characters at least"
          />
          {error && (
            <Alert severity="error" role="alert" style={{ marginTop: 8 }}>
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Back</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={justification.trim().length < 10 || busy}
            onClick={submit}
          >
            Ask to revoke
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
