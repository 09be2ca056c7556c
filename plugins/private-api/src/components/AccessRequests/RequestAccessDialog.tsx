import { useMemo, useState } from 'react';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormHelperText,
  InputLabel,
  ListSubheader,
  MenuItem,
  OutlinedInput,
  Select,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  ApiRecord,
  AWS_ID_DESCRIPTIONS,
  AWS_ID_PATTERNS,
  EstateResponse,
  isCallerAllowed,
  PRIVATE_API_DOCS_URL,
  wrongRegionGuidance,
} from '@private-api-catalog/plugin-private-api-common';
import { accessRequestsApiRef } from '../../api/AccessRequestsClient';
import { errorMessage } from '../common/errorMessage';
import { accountLabel } from '../common/format';

/** What the dialog starts with, e.g. the VPC a failed reachability check was about. */
export interface AccessRequestPrefill {
  vpcId?: string;
  vpcEndpointId?: string;
}

const ANOTHER_VPC = '__another-vpc__';

/** The backend asks for a sentence; the form says so before Send is pressed. */
const MIN_JUSTIFICATION = 10;

/**
 * The consumer's form: which endpoint (or VPC) should be allowed, for which stages, with
 * the Route 53 alias association, and why. The backend validates it again and says what is
 * wrong; its message is shown in the dialog, nothing is lost.
 */
export function RequestAccessDialog(props: {
  api: ApiRecord;
  estate: EstateResponse;
  open: boolean;
  prefill?: AccessRequestPrefill;
  onClose: () => void;
  onCreated: (request: AccessRequest) => void;
}) {
  const { api, estate } = props;
  const client = useApi(accessRequestsApiRef);
  // Only endpoints of the API's Region can call it (an interface endpoint reaches the private APIs of its own Region).
  const endpoints = useMemo(
    () =>
      estate.vpcEndpoints
        .filter(e => e.region === api.region && e.state === 'available')
        .sort((a, b) => a.ownerAccountId.localeCompare(b.ownerAccountId)),
    [estate.vpcEndpoints, api.region],
  );
  const initialEndpoint =
    props.prefill?.vpcEndpointId ??
    endpoints.find(e => e.vpcId === props.prefill?.vpcId)?.vpcEndpointId;
  const [endpointChoice, setEndpointChoice] = useState<string>(
    initialEndpoint ?? (props.prefill?.vpcId ? ANOTHER_VPC : ''),
  );
  const [vpcId, setVpcId] = useState(props.prefill?.vpcId ?? '');
  const [stages, setStages] = useState<string[]>([]);
  const [associate, setAssociate] = useState(false);
  const [justification, setJustification] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();

  const byVpc = endpointChoice === ANOTHER_VPC;
  const vpcIdValid = !byVpc || AWS_ID_PATTERNS.vpcId.test(vpcId);
  // What the policy already lets in, for the chosen stages: nothing to request there.
  // Evaluated once per stage choice, not on every keystroke (each is a policy evaluation
  // per route and stage).
  const admittedEndpoints = useMemo(
    () =>
      new Set(
        endpoints
          .filter(e =>
            isCallerAllowed(
              api,
              stages,
              { vpcEndpointId: e.vpcEndpointId },
              estate.vpcEndpoints,
            ),
          )
          .map(e => e.vpcEndpointId),
      ),
    [api, stages, endpoints, estate.vpcEndpoints],
  );
  const typedVpcRegion =
    byVpc && vpcIdValid && vpcId
      ? estate.vpcs.find(v => v.vpcId === vpcId)?.region ??
        estate.vpcEndpoints.find(e => e.vpcId === vpcId)?.region
      : undefined;
  const wrongRegion =
    typedVpcRegion !== undefined && typedVpcRegion !== api.region;
  const vpcAlreadyAllowed = useMemo(
    () =>
      byVpc &&
      vpcIdValid &&
      vpcId !== '' &&
      isCallerAllowed(api, stages, { vpcId }, estate.vpcEndpoints),
    [byVpc, vpcIdValid, vpcId, api, stages, estate.vpcEndpoints],
  );
  const justificationLength = justification.trim().length;
  const canSubmit =
    (byVpc
      ? vpcIdValid && vpcId !== '' && !wrongRegion && !vpcAlreadyAllowed
      : endpointChoice !== '' && !admittedEndpoints.has(endpointChoice)) &&
    justificationLength >= MIN_JUSTIFICATION &&
    !submitting;

  const vpcHelp = () => {
    if (vpcId !== '' && !vpcIdValid) {
      return `Expected ${AWS_ID_DESCRIPTIONS.vpcId}`;
    }
    if (wrongRegion) {
      return wrongRegionGuidance(
        { vpcId, region: typedVpcRegion! },
        { name: api.name, region: api.region },
      );
    }
    if (vpcAlreadyAllowed) {
      return `The resource policy already lets ${vpcId} call ${api.name} (for the stages chosen below): there is nothing to request.`;
    }
    return `The VPC needs an execute-api endpoint in ${api.region}, the API’s Region.`;
  };

  const accounts = new Map(estate.accounts.map(a => [a.accountId, a]));
  const submit = async () => {
    setSubmitting(true);
    setError(undefined);
    try {
      const created = await client.create({
        accountId: api.accountId,
        region: api.region,
        apiId: api.apiId,
        stages: stages.length > 0 ? stages : undefined,
        ...(byVpc
          ? { vpcId }
          : { vpcEndpointId: endpointChoice, associateEndpoint: associate }),
        justification: justification.trim(),
      });
      props.onCreated(created);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="request-access-title"
    >
      <DialogTitle id="request-access-title">
        Request VPC access to {api.name}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          The API’s owners review the change to its resource policy; once
          applied, the next discovery verifies it and this page shows your VPC
          as allowed.
        </Typography>
        <FormControl fullWidth margin="normal" variant="outlined">
          <InputLabel id="request-access-endpoint-label">Call from</InputLabel>
          <Select
            labelId="request-access-endpoint-label"
            id="request-access-endpoint"
            value={endpointChoice}
            onChange={e => setEndpointChoice(e.target.value as string)}
            label="Call from"
          >
            <ListSubheader>
              execute-api VPC endpoints in {api.region}
            </ListSubheader>
            {endpoints.map(e => {
              const allowed = admittedEndpoints.has(e.vpcEndpointId);
              return (
                <MenuItem
                  key={e.vpcEndpointId}
                  value={e.vpcEndpointId}
                  disabled={allowed}
                >
                  {e.name ? `${e.name} · ` : ''}
                  {e.vpcEndpointId} in {e.vpcId} (
                  {accountLabel(
                    e.ownerAccountId,
                    accounts.get(e.ownerAccountId)?.name,
                  )}
                  ){allowed ? ' · already allowed' : ''}
                </MenuItem>
              );
            })}
            <MenuItem value={ANOTHER_VPC}>A VPC (by id)…</MenuItem>
          </Select>
          <FormHelperText>
            Endpoints marked “already allowed” may call the API already (for the
            stages chosen below). An endpoint in another Region cannot call it:{' '}
            <Link to={PRIVATE_API_DOCS_URL}>AWS requires the same Region</Link>.
          </FormHelperText>
        </FormControl>
        {byVpc && (
          <TextField
            id="request-access-vpc"
            label="VPC id"
            fullWidth
            margin="normal"
            variant="outlined"
            value={vpcId}
            onChange={e => setVpcId(e.target.value.trim())}
            error={(vpcId !== '' && !vpcIdValid) || wrongRegion}
            helperText={vpcHelp()}
          />
        )}
        <FormControl fullWidth margin="normal" variant="outlined">
          {/* Shrunk and notched: the empty value shows "Every stage", not a blank to float over. */}
          <InputLabel id="request-access-stages-label" shrink>
            Stages
          </InputLabel>
          <Select
            labelId="request-access-stages-label"
            id="request-access-stages"
            multiple
            value={stages}
            onChange={e => setStages(e.target.value as string[])}
            input={<OutlinedInput notched label="Stages" />}
            renderValue={selected =>
              (selected as string[]).length
                ? (selected as string[]).join(', ')
                : 'Every stage'
            }
            displayEmpty
          >
            {api.stages.map(s => (
              <MenuItem key={s.stageName} value={s.stageName}>
                {s.stageName}
              </MenuItem>
            ))}
          </Select>
          <FormHelperText>Leave empty for every stage.</FormHelperText>
        </FormControl>
        {!byVpc &&
          endpointChoice &&
          !api.vpcEndpointIds.includes(endpointChoice) && (
            <FormControlLabel
              control={
                <Checkbox
                  checked={associate}
                  onChange={e => setAssociate(e.target.checked)}
                />
              }
              label="Also associate the endpoint with the API, for its Route 53 alias name (useful when the endpoint has private DNS off or for callers outside the VPC)"
            />
          )}
        <TextField
          id="request-access-justification"
          label="Why does this VPC need the API?"
          fullWidth
          multiline
          minRows={3}
          margin="normal"
          variant="outlined"
          value={justification}
          onChange={e => setJustification(e.target.value)}
          error={
            justificationLength > 0 && justificationLength < MIN_JUSTIFICATION
          }
          helperText={
            justificationLength < MIN_JUSTIFICATION
              ? `A sentence for the owners: the service, what it calls, when. At least ${MIN_JUSTIFICATION} characters (${justificationLength}/${MIN_JUSTIFICATION}).`
              : `A sentence for the owners: the service, what it calls, when. ${justificationLength} characters.`
          }
        />
        {error && (
          <Box mt={2}>
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!canSubmit}
          onClick={submit}
        >
          {submitting ? 'Sending…' : 'Send request'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
