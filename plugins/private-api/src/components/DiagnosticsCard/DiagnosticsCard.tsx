import { useMemo } from 'react';
import {
  Box,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  ApiRecord,
  AWS_DOCS,
  checkReachability,
  EstateResponse,
  ReachabilityCheck,
  ReachabilityStatus,
  VpcRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { RequestAccessButton } from '../AccessRequests';
import { VerdictChip } from '../common/Availability';
import { AwsDocLink } from '../common/CaveatList';
import { SectionTitle } from '../common/FactList';
import { accountLabel } from '../common/format';
import { PrivateApiCard } from '../common/PrivateApiCard';
import {
  selectionForVpc,
  useCallerSelection,
  vpcOfSelection,
} from '../data/callerSelection';

const STATUS_LABEL: Record<ReachabilityStatus, string> = {
  ok: 'OK',
  warning: 'Warning',
  failed: 'Failed',
  skipped: 'Not checked',
};

const VERDICT: Record<
  ReachabilityCheck['verdict'],
  { verdict: 'ok' | 'warning' | 'failed'; label: string }
> = {
  reachable: { verdict: 'ok', label: 'Reachable' },
  conditional: { verdict: 'warning', label: 'Reachable with conditions' },
  unreachable: { verdict: 'failed', label: 'Unreachable' },
};

function Doc(props: { href: string; about: string }) {
  return (
    <>
      {' '}
      (<AwsDocLink href={props.href} about={props.about} />)
    </>
  );
}

/**
 * What to look at when a call fails anyway. HTTP and WebSocket APIs have no resource policy
 * and no private endpoint, so only what applies to the API's type is listed.
 */
function Troubleshooting(props: { api: ApiRecord }) {
  const { api } = props;
  const isPrivate = api.endpointType === 'PRIVATE';
  const isRest = api.apiType === 'REST';
  const usesKeys = api.routes.some(r => r.apiKeyRequired);
  const autoDeploy = api.stages.every(s => s.autoDeploy);
  return (
    <div>
      <SectionTitle>If a call returns 403 Forbidden</SectionTitle>
      <Typography variant="body2" component="ul" style={{ marginTop: 0 }}>
        {isRest && (
          <li>
            The resource policy does not allow the caller
            {isPrivate ? ' (its VPC or VPC endpoint)' : ''}: see Allowed
            callers, and request access from the API’s owner.
            <Doc href={AWS_DOCS.authorizationFlow} about="resource policies" />
          </li>
        )}
        {isPrivate && (
          <li>
            The VPC endpoint’s own policy does not allow execute-api:Invoke on
            this API.
            <Doc href={AWS_DOCS.privateApis} about="VPC endpoint policies" />
          </li>
        )}
        {isRest && (
          <li>
            The policy changed but the API was not redeployed: a resource policy
            takes effect only after a new deployment of the stage.
            <Doc href={AWS_DOCS.resourcePolicy} about="redeploying" />
          </li>
        )}
        {!isRest && !autoDeploy && (
          <li>
            The route was changed but the stage was not redeployed (the stage
            does not deploy automatically).
          </li>
        )}
        {usesKeys && (
          <li>
            A route that needs an API key was called without a valid x-api-key
            header.
          </li>
        )}
        <li>
          The route’s authorizer rejected the credentials: see How to invoke for
          what each route needs.
        </li>
        {isPrivate && (
          <li>
            From a VPC whose endpoint has private DNS on, public APIs called by
            their execute-api names answer 403: call those by custom domain.
            <Doc href={AWS_DOCS.privateApis} about="private DNS" />
          </li>
        )}
      </Typography>
      <SectionTitle>If a call times out</SectionTitle>
      <Typography variant="body2" component="ul" style={{ marginTop: 0 }}>
        <li>
          {isPrivate
            ? 'The security group of the VPC endpoint must allow TCP 443 from the caller.'
            : 'The caller needs a route to the internet (NAT or internet gateway).'}
          {isPrivate && (
            <Doc href={AWS_DOCS.interfaceEndpoint} about="security groups" />
          )}
        </li>
        <li>
          Network ACLs and route tables must let the traffic through both ways.
        </li>
        {isPrivate && (
          <li>
            Call the endpoint by a DNS name, never by IP address: the TLS
            certificate covers only the names.
            <Doc href={AWS_DOCS.invokePrivateApi} about="endpoint DNS names" />
          </li>
        )}
      </Typography>
    </div>
  );
}

function VpcPicker(props: {
  estate: EstateResponse;
  value: string;
  onChange: (vpcId: string) => void;
}) {
  const { estate } = props;
  const byAccount = new Map<string, VpcRecord[]>();
  for (const vpc of estate.vpcs) {
    byAccount.set(vpc.accountId, [
      ...(byAccount.get(vpc.accountId) ?? []),
      vpc,
    ]);
  }
  return (
    <TextField
      select
      id="private-api-diagnostics-vpc"
      label="Your VPC"
      value={props.value}
      onChange={e => props.onChange(String(e.target.value))}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
      style={{ minWidth: 360 }}
    >
      <option value="">Choose the VPC you call from</option>
      {[...byAccount].map(([accountId, vpcs]) => (
        <optgroup
          key={accountId}
          label={`Account ${accountLabel(
            accountId,
            estate.accounts.find(a => a.accountId === accountId)?.name,
          )}`}
        >
          {vpcs.map(vpc => (
            <option key={vpc.vpcId} value={vpc.vpcId}>
              {`${vpc.name ? `${vpc.name} ` : ''}${vpc.vpcId}, ${vpc.region}`}
            </option>
          ))}
        </optgroup>
      ))}
    </TextField>
  );
}

function CheckList(props: { result: ReachabilityCheck }) {
  const { result } = props;
  const verdict = VERDICT[result.verdict];
  return (
    <div>
      <Box display="flex" alignItems="center" gridGap={8} flexWrap="wrap">
        <VerdictChip verdict={verdict.verdict} label={verdict.label} />
        <Typography variant="body1">{result.summary}</Typography>
      </Box>
      <List dense aria-label="Checks">
        {result.checks.map(check => (
          <ListItem key={check.id} alignItems="flex-start" disableGutters>
            <ListItemIcon style={{ minWidth: 120 }}>
              <VerdictChip
                verdict={check.status}
                label={STATUS_LABEL[check.status]}
              />
            </ListItemIcon>
            <ListItemText
              primary={check.title}
              secondaryTypographyProps={{
                component: 'div',
                style: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
              }}
              secondary={
                <>
                  {check.message}
                  {check.fix && (
                    <>
                      <br />
                      <strong>Fix:</strong> {check.fix}
                    </>
                  )}
                  {check.docUrl && (
                    <Doc href={check.docUrl} about={check.title} />
                  )}
                </>
              }
            />
          </ListItem>
        ))}
      </List>
    </div>
  );
}

function DiagnosticsContent(props: { api: ApiRecord; estate: EstateResponse }) {
  const { api, estate } = props;
  // Shared with How to invoke through the URL: one caller for the whole page.
  const [selection, setSelection] = useCallerSelection();
  const vpcId = vpcOfSelection(selection, estate);
  const setVpcId = (id: string) =>
    setSelection(selectionForVpc(id, api, estate, selection));
  const result = useMemo(
    () => (vpcId ? checkReachability(api, vpcId, estate) : undefined),
    [api, estate, vpcId],
  );
  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <VpcPicker estate={estate} value={vpcId} onChange={setVpcId} />
      {result ? (
        <>
          <CheckList result={result} />
          {result.checks.some(
            c => c.id === 'resource-policy' && c.status === 'failed',
          ) && (
            <Box>
              <RequestAccessButton
                api={api}
                estate={estate}
                prefill={{ vpcId, vpcEndpointId: result.vpcEndpointId }}
                label="Request access for this VPC"
              />
            </Box>
          )}
        </>
      ) : (
        <Typography variant="body2">
          Choose the VPC you call from: every condition of the call is checked
          against the inventory, each with its fix.
        </Typography>
      )}
      <Troubleshooting api={api} />
    </Box>
  );
}

/**
 * "Can my VPC call this API?": every check with its outcome and fix, and what to look at when
 * a call answers 403 or times out.
 *
 * @public
 */
export function PrivateApiDiagnosticsCard() {
  return (
    <PrivateApiCard title="Diagnostics" needsEstate>
      {({ api }, estate) => <DiagnosticsContent api={api} estate={estate} />}
    </PrivateApiCard>
  );
}
