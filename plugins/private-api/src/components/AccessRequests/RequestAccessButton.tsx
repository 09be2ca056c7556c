import { useState } from 'react';
import { Button } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link } from '@backstage/core-components';
import type {
  AccessRequest,
  ApiRecord,
  EstateResponse,
} from '@private-api-catalog/plugin-private-api-common';
import {
  AccessRequestPrefill,
  RequestAccessDialog,
} from './RequestAccessDialog';

/** Where a request is followed. */
export function accessRequestPath(id: string) {
  return `/private-apis/access-requests/${encodeURIComponent(id)}`;
}

/**
 * "Request access" for private REST APIs (the only ones a resource policy with VPC
 * conditions applies to), with the dialog, and a link to the request once made.
 */
export function RequestAccessButton(props: {
  api: ApiRecord;
  estate: EstateResponse;
  prefill?: AccessRequestPrefill;
  onCreated?: (request: AccessRequest) => void;
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<AccessRequest>();
  if (props.api.endpointType !== 'PRIVATE' || props.api.apiType !== 'REST')
    return null;
  return (
    <>
      <Button variant="contained" color="primary" onClick={() => setOpen(true)}>
        {props.label ?? 'Request access'}
      </Button>
      {created && (
        <Alert severity="success" style={{ marginTop: 8 }}>
          Request sent to the API’s owners.{' '}
          <Link to={accessRequestPath(created.id)} underline="always">
            Follow it
          </Link>
          .
        </Alert>
      )}
      {open && (
        <RequestAccessDialog
          api={props.api}
          estate={props.estate}
          open
          prefill={props.prefill}
          onClose={() => setOpen(false)}
          onCreated={request => {
            setOpen(false);
            setCreated(request);
            props.onCreated?.(request);
          }}
        />
      )}
    </>
  );
}
