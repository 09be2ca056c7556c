import { ReactNode, useState } from 'react';
import {
  Box,
  Button,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  AccessList,
  analyzeResourcePolicy,
  ApiRecord,
  AWS_DOCS,
  EstateResponse,
  parseResourcePolicy,
  PolicyAccessSummary,
  PolicyAnalysis,
  PolicyFinding,
  PolicyFindingCode,
  PolicyParseError,
  ResourcePolicy,
} from '@private-api-catalog/plugin-private-api-common';
import { VerdictChip } from '../common/Availability';
import { AwsDocLink } from '../common/CaveatList';
import { SectionTitle } from '../common/FactList';
import { accountLabel } from '../common/format';
import { PrivateApiCard } from '../common/PrivateApiCard';
import { decidingStatements } from './decide';
import { RevokeAccessButton } from '../AccessRequests/RevokeAccessButton';

function audienceText(summary: PolicyAccessSummary, isPrivate: boolean) {
  switch (summary.audience) {
    case 'anyone':
      return isPrivate
        ? 'Unsigned calls through any VPC endpoint pass the resource policy; the routes’ authorization decides the rest.'
        : 'Unsigned calls from any address pass the resource policy; the routes’ authorization decides the rest.';
    case 'restricted':
      return 'Unsigned calls pass the resource policy only from the VPCs, VPC endpoints or addresses it allows (below).';
    case 'authenticated-only':
      return 'Only signed (SigV4) callers that the policy names pass it.';
    default:
      return 'No call passes the resource policy.';
  }
}

function accountName(estate: EstateResponse, accountId?: string) {
  if (!accountId) return 'unknown (not in the inventory)';
  return accountLabel(
    accountId,
    estate.accounts.find(a => a.accountId === accountId)?.name,
  );
}

interface CallerRow {
  id: string;
  name?: string;
  vpc?: string;
  account: string;
  allowed: boolean;
  deciding: string;
  associated?: boolean;
}

function anyOtherText(list: AccessList, what: string) {
  return list.any
    ? `Any other ${what}: allowed (the policy does not restrict by ${what}).`
    : `Any other ${what}: denied.`;
}

/**
 * What the policy means for VPCs and endpoints it does not name, read together: a policy
 * that lists endpoints but no VPC does not let "any other VPC" in, since that VPC's calls
 * still pass through an endpoint, which must be listed. One line per section, never two
 * lines that contradict each other.
 */
export function networkRestText(analysis: PolicyAnalysis): {
  endpoints?: string;
  vpcs?: string;
} {
  const endpoints = analysis.vpcEndpoints;
  const vpcs = analysis.vpcs;
  if (!endpoints || !vpcs) {
    return {
      endpoints: endpoints && anyOtherText(endpoints, 'VPC endpoint'),
      vpcs: vpcs && anyOtherText(vpcs, 'VPC'),
    };
  }
  if (endpoints.any && vpcs.any) {
    return {
      endpoints:
        'Any other VPC endpoint, from any VPC: allowed (the policy restricts neither).',
    };
  }
  if (!endpoints.any && vpcs.any) {
    return {
      endpoints: 'Any other VPC endpoint: denied.',
      vpcs: 'The policy does not restrict by VPC, so calls from any VPC pass only through the endpoints it allows (above).',
    };
  }
  if (endpoints.any && !vpcs.any) {
    return {
      endpoints:
        'The policy does not restrict by endpoint, so any endpoint in the VPCs it allows (below) passes.',
      vpcs: 'Any other VPC: denied.',
    };
  }
  return {
    endpoints: 'Any other VPC endpoint: denied.',
    vpcs: 'Any other VPC: denied.',
  };
}

/** The AWS page behind each kind of finding. */
const FINDING_DOCS: Partial<Record<PolicyFindingCode, string>> = {
  'no-policy': AWS_DOCS.resourcePolicy,
  'nobody-can-call': AWS_DOCS.authorizationFlow,
  'open-to-any-vpc-endpoint': AWS_DOCS.privateApis,
  'allow-overridden-by-deny': AWS_DOCS.authorizationFlow,
  'vpce-not-associated': AWS_DOCS.invokePrivateApi,
  'source-ip-on-private-api': AWS_DOCS.authorizationFlow,
  'vpc-keys-on-public-api': AWS_DOCS.privateApis,
  'cross-account-principals': AWS_DOCS.authorizationFlow,
};

/**
 * The findings to show: one per kind for the endpoints allowed but not associated (the
 * analysis reports each endpoint; a box per endpoint repeats itself), the rest as they are.
 */
function groupedFindings(
  api: ApiRecord,
  findings: PolicyFinding[],
): PolicyFinding[] {
  const unassociated = findings.filter(f => f.code === 'vpce-not-associated');
  if (unassociated.length < 2) return findings;
  const ids = unassociated
    .map(f => /^(vpce-[0-9a-z*?]+)/.exec(f.message)?.[1])
    .filter((id): id is string => !!id);
  const grouped: PolicyFinding = {
    ...unassociated[0],
    message: `${ids.join(
      ', ',
    )} are allowed by the policy but not associated with the API, so their Route 53 aliases (${
      api.apiId
    }-vpce-….execute-api.${
      api.region
    }.amazonaws.com) do not resolve; private DNS and each endpoint's own DNS name with a Host header still work.`,
  };
  const first = findings.indexOf(unassociated[0]);
  const rest = findings.filter(f => f.code !== 'vpce-not-associated');
  return [...rest.slice(0, first), grouped, ...rest.slice(first)];
}

/** One line per VPC or endpoint the policy names: narrow enough for a half-width card. */
function CallerList(props: {
  label: string;
  rows: CallerRow[];
  /** An action on an allowed caller (Revoke). */
  action?: (row: CallerRow) => ReactNode;
}) {
  return (
    <List dense aria-label={props.label} disablePadding>
      {props.rows.map(row => (
        <ListItem key={row.id} disableGutters alignItems="flex-start">
          <ListItemText
            primaryTypographyProps={{ component: 'div' }}
            secondaryTypographyProps={{
              component: 'div',
              style: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
            }}
            primary={
              <Box
                display="flex"
                alignItems="center"
                gridGap={8}
                flexWrap="wrap"
              >
                <span>
                  {row.id}
                  {row.name ? ` (${row.name})` : ''}
                </span>
                <VerdictChip
                  verdict={row.allowed ? 'ok' : 'failed'}
                  label={row.allowed ? 'Allowed' : 'Denied'}
                />
              </Box>
            }
            secondary={
              <>
                {row.vpc && <div>VPC {row.vpc}</div>}
                <div>Owner account {row.account}</div>
                {row.associated !== undefined && (
                  <div>
                    Route 53 alias{' '}
                    {row.associated ? 'associated' : 'not associated'}
                  </div>
                )}
                <div>{row.deciding}</div>
                {row.allowed && props.action?.(row)}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}

function endpointRows(
  api: ApiRecord,
  estate: EstateResponse,
  policy: ResourcePolicy,
  analysis: PolicyAnalysis,
): CallerRow[] {
  const list = analysis.vpcEndpoints;
  if (!list) return [];
  return [
    ...list.allowed.map(id => ({ id, allowed: true })),
    ...list.denied.map(id => ({ id, allowed: false })),
  ].map(({ id, allowed }) => {
    const endpoint = estate.vpcEndpoints.find(e => e.vpcEndpointId === id);
    const vpc = estate.vpcs.find(v => v.vpcId === endpoint?.vpcId);
    return {
      id,
      name: endpoint?.name,
      vpc: endpoint
        ? `${endpoint.vpcId}${vpc?.name ? ` (${vpc.name})` : ''}`
        : undefined,
      account: accountName(estate, endpoint?.ownerAccountId),
      allowed,
      associated: api.vpcEndpointIds.includes(id),
      deciding: decidingStatements(policy, api, analysis, {
        sourceVpce: id,
        sourceVpc: endpoint?.vpcId,
      }),
    };
  });
}

function vpcRows(
  api: ApiRecord,
  estate: EstateResponse,
  policy: ResourcePolicy,
  analysis: PolicyAnalysis,
): CallerRow[] {
  const list = analysis.vpcs;
  if (!list) return [];
  return [
    ...list.allowed.map(id => ({ id, allowed: true })),
    ...list.denied.map(id => ({ id, allowed: false })),
  ].map(({ id, allowed }) => {
    const vpc = estate.vpcs.find(v => v.vpcId === id);
    // Calls from the VPC come through one of its endpoints, when the inventory knows one.
    const endpoint = estate.vpcEndpoints.find(
      e => e.vpcId === id && e.region === api.region,
    );
    return {
      id,
      name: vpc?.name,
      account: accountName(estate, vpc?.accountId),
      allowed,
      deciding: decidingStatements(policy, api, analysis, {
        sourceVpc: id,
        sourceVpce: endpoint?.vpcEndpointId,
      }),
    };
  });
}

function ValueList(props: { title: string; list?: AccessList; what: string }) {
  const { title, list, what } = props;
  if (!list || (list.allowed.length === 0 && list.denied.length === 0)) {
    return null;
  }
  return (
    <div>
      <SectionTitle>{title}</SectionTitle>
      <Typography variant="body2" component="ul" style={{ marginTop: 0 }}>
        {list.allowed.length > 0 && <li>Allowed: {list.allowed.join(', ')}</li>}
        {list.denied.length > 0 && <li>Denied: {list.denied.join(', ')}</li>}
        <li>{anyOtherText(list, what)}</li>
      </Typography>
    </div>
  );
}

const SEVERITY = { error: 'error', warning: 'warning', info: 'info' } as const;

function RawPolicy(props: { policy?: ResourcePolicy; raw: string }) {
  const [open, setOpen] = useState(false);
  const text = props.policy
    ? JSON.stringify(props.policy.document, null, 2)
    : props.raw;
  return (
    <div>
      <Button
        variant="outlined"
        size="small"
        aria-expanded={open}
        aria-controls="private-api-raw-policy"
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide the resource policy' : 'Show the resource policy'}
      </Button>
      {open && (
        <Box
          component="pre"
          id="private-api-raw-policy"
          aria-label="Resource policy"
          tabIndex={0}
          mt={1}
          p={1}
          border={1}
          borderColor="divider"
          borderRadius={4}
          style={{ overflowX: 'auto', fontSize: '0.8rem' }}
        >
          {text}
        </Box>
      )}
    </div>
  );
}

function AllowedCallersContent(props: {
  api: ApiRecord;
  estate: EstateResponse;
  /** The analysis discovery stored; computed here only when the backend has none yet. */
  storedAnalysis?: PolicyAnalysis;
}) {
  const { api, estate, storedAnalysis } = props;
  const isPrivate = api.endpointType === 'PRIVATE';
  let policy: ResourcePolicy | undefined;
  let analysis: PolicyAnalysis;
  try {
    policy = api.policy?.trim() ? parseResourcePolicy(api.policy) : undefined;
    analysis =
      storedAnalysis ??
      analyzeResourcePolicy(policy, {
        apiArn: api.executeApiArn,
        endpointType: api.endpointType,
        associatedVpcEndpointIds: api.vpcEndpointIds,
        stages: api.stages.map(s => s.stageName),
      });
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    return (
      <Box display="flex" flexDirection="column" gridGap={16}>
        <Alert severity="error">
          The resource policy cannot be read, so who may call is unknown:{' '}
          {error.message}
        </Alert>
        <RawPolicy raw={api.policy ?? ''} />
      </Box>
    );
  }

  const endpoints = policy ? endpointRows(api, estate, policy, analysis) : [];
  const vpcs = policy ? vpcRows(api, estate, policy, analysis) : [];
  const rest = networkRestText(analysis);

  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <Typography variant="body1">
        {analysis.hasPolicy
          ? audienceText(analysis, isPrivate)
          : 'This API has no resource policy.'}
      </Typography>
      {groupedFindings(api, analysis.findings).map(finding => (
        <Alert
          key={finding.code + finding.message}
          severity={SEVERITY[finding.severity]}
        >
          {finding.message}
          {FINDING_DOCS[finding.code] && (
            <>
              {' '}
              (
              <AwsDocLink
                href={FINDING_DOCS[finding.code]!}
                about={finding.message}
              />
              )
            </>
          )}
        </Alert>
      ))}
      {isPrivate && policy && (
        <div>
          <SectionTitle>VPC endpoints (aws:SourceVpce)</SectionTitle>
          {endpoints.length > 0 && (
            <CallerList
              label="VPC endpoints"
              rows={endpoints}
              action={row => (
                <RevokeAccessButton
                  api={api}
                  caller={{ vpcEndpointId: row.id }}
                />
              )}
            />
          )}
          {rest.endpoints && (
            <Typography variant="body2">{rest.endpoints}</Typography>
          )}
        </div>
      )}
      {isPrivate && policy && (vpcs.length > 0 || rest.vpcs) && (
        <div>
          <SectionTitle>VPCs (aws:SourceVpc)</SectionTitle>
          {vpcs.length > 0 && (
            <CallerList
              label="VPCs"
              rows={vpcs}
              action={row => (
                <RevokeAccessButton api={api} caller={{ vpcId: row.id }} />
              )}
            />
          )}
          {rest.vpcs && <Typography variant="body2">{rest.vpcs}</Typography>}
        </div>
      )}
      <ValueList
        title="Source IP ranges (aws:SourceIp)"
        list={analysis.sourceIps}
        what="address"
      />
      <ValueList
        title="Addresses inside the VPC (aws:VpcSourceIp)"
        list={analysis.vpcSourceIps}
        what="address"
      />
      <ValueList
        title="Accounts and IAM principals"
        list={analysis.principals}
        what="principal"
      />
      <ValueList
        title="Organizations (aws:PrincipalOrgID)"
        list={analysis.organizations}
        what="organization"
      />
      {analysis.scopes.length > 0 && (
        <div>
          <SectionTitle>
            Access that differs by stage, method or path
          </SectionTitle>
          <Typography variant="body2" component="ul" style={{ marginTop: 0 }}>
            {analysis.scopes.map(scope => (
              <li key={scope.resources.join(',')}>
                {scope.resources.join(', ')}: {audienceText(scope, isPrivate)}
              </li>
            ))}
          </Typography>
        </div>
      )}
      {analysis.statements.length > 0 && (
        <div>
          <SectionTitle>Statements</SectionTitle>
          <Typography variant="body2" component="ul" style={{ marginTop: 0 }}>
            {analysis.statements.map(s => (
              <li key={s.index}>
                {`Statement[${s.index}]${s.sid ? ` "${s.sid}"` : ''} (${
                  s.effect
                }): ${s.description}`}
              </li>
            ))}
          </Typography>
        </div>
      )}
      {api.policy?.trim() && <RawPolicy policy={policy} raw={api.policy} />}
    </Box>
  );
}

/**
 * Who the resource policy lets call the API: VPCs and VPC endpoints with their accounts and
 * the statement that decides, IP, account and organization rules, findings, and the policy.
 *
 * @public
 */
export function PrivateApiAllowedCallersCard() {
  return (
    <PrivateApiCard title="Allowed callers" needsEstate>
      {({ api, policyAnalysis }, estate) => (
        <AllowedCallersContent
          api={api}
          estate={estate}
          storedAnalysis={policyAnalysis}
        />
      )}
    </PrivateApiCard>
  );
}
