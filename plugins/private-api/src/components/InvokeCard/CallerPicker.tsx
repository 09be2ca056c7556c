import { ChangeEvent } from 'react';
import { Box, Checkbox, FormControlLabel, TextField } from '@material-ui/core';
import {
  AccountRecord,
  ApiRecord,
  checkReachability,
  EstateResponse,
  InvokeCaller,
  VpcEndpointRecord,
  VpcRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { accountLabel } from '../common/format';

/** What the picker holds: a value of the "Calling from" list, and the on-premises details. */
export interface CallerSelection {
  /** '' (not said), `vpce:{id}`, `vpc:{id}` (no endpoint), 'on-premises' or 'internet'. */
  from: string;
  /** On premises: the endpoint reached over Direct Connect or VPN. */
  onPremisesEndpointId?: string;
  /** On premises: DNS forwards execute-api names to a Route 53 Resolver inbound endpoint. */
  resolvesPrivateDns: boolean;
}

export const NO_CALLER: CallerSelection = {
  from: '',
  resolvesPrivateDns: false,
};

function endpointLabel(e: VpcEndpointRecord, vpcs: VpcRecord[]): string {
  const vpc = vpcs.find(v => v.vpcId === e.vpcId);
  const vpcText = vpc?.name ? `${vpc.name} (${e.vpcId})` : e.vpcId;
  return `${e.name ? `${e.name} ` : ''}${e.vpcEndpointId} in VPC ${vpcText}, ${
    e.region
  }${e.privateDnsEnabled ? '' : ', private DNS off'}`;
}

interface AccountGroup {
  account: AccountRecord;
  endpoints: VpcEndpointRecord[];
  /** VPCs without an execute-api endpoint: callers there need one first. */
  bareVpcs: VpcRecord[];
}

/** The estate by account, the API's Region first within each. */
function groupByAccount(
  estate: EstateResponse,
  region: string,
): AccountGroup[] {
  const byRegion = (a: { region: string }, b: { region: string }) =>
    Number(b.region === region) - Number(a.region === region) ||
    a.region.localeCompare(b.region);
  const accountIds = new Set([
    ...estate.accounts.map(a => a.accountId),
    ...estate.vpcEndpoints.map(e => e.ownerAccountId),
    ...estate.vpcs.map(v => v.accountId),
  ]);
  return [...accountIds]
    .map(accountId => ({
      account: estate.accounts.find(a => a.accountId === accountId) ?? {
        accountId,
      },
      endpoints: estate.vpcEndpoints
        .filter(e => e.ownerAccountId === accountId)
        .sort(byRegion),
      bareVpcs: estate.vpcs
        .filter(
          v =>
            v.accountId === accountId &&
            !estate.vpcEndpoints.some(e => e.vpcId === v.vpcId),
        )
        .sort(byRegion),
    }))
    .filter(g => g.endpoints.length || g.bareVpcs.length)
    .sort((a, b) =>
      (a.account.name ?? a.account.accountId).localeCompare(
        b.account.name ?? b.account.accountId,
      ),
    );
}

/** Names and tags that mark an endpoint (or its VPC) as the one on-premises callers reach. */
const ON_PREMISES_HINT =
  /on-?prem|premises|vpn|direct-?connect|hybrid|data-?cent(er|re)/i;

function hintsOnPremises(e: VpcEndpointRecord, vpcs: VpcRecord[]): boolean {
  const vpc = vpcs.find(v => v.vpcId === e.vpcId);
  return [e.name, vpc?.name, ...Object.entries(e.tags).flat()].some(
    text => !!text && ON_PREMISES_HINT.test(text),
  );
}

/**
 * The endpoint "On premises" starts with, among the API's Region's: one named or tagged for
 * on-premises access first, then one associated with the API (its Route 53 alias resolves
 * from anywhere), then one the resource policy lets in; never simply the first in the list.
 */
export function defaultOnPremisesEndpoint(
  api: ApiRecord,
  estate: EstateResponse,
): string | undefined {
  const score = (e: VpcEndpointRecord) =>
    (hintsOnPremises(e, estate.vpcs) ? 4 : 0) +
    (api.vpcEndpointIds.includes(e.vpcEndpointId) ? 2 : 0) +
    (checkReachability(api, e.vpcId, estate).verdict !== 'unreachable' ? 1 : 0);
  const candidates = estate.vpcEndpoints
    .filter(e => e.region === api.region && e.state === 'available')
    .map(e => ({ id: e.vpcEndpointId, score: score(e) }))
    .sort((a, b) => b.score - a.score);
  return candidates[0]?.id;
}

/** The caller `invokeOptions` takes, from the picker's selection. */
export function callerOf(
  selection: CallerSelection,
  estate: EstateResponse,
): InvokeCaller | undefined {
  const endpoint = (id?: string) =>
    estate.vpcEndpoints.find(e => e.vpcEndpointId === id);
  const [kind, id] = selection.from.split(':');
  switch (kind) {
    case 'vpce':
      return { location: 'vpc', vpcEndpoint: endpoint(id) };
    case 'vpc':
      return { location: 'vpc' };
    case 'on-premises':
      return {
        location: 'on-premises',
        vpcEndpoint: endpoint(selection.onPremisesEndpointId),
        resolvesPrivateDns: selection.resolvesPrivateDns,
      };
    case 'internet':
      return { location: 'internet' };
    default:
      return undefined;
  }
}

/**
 * "Where am I calling from": one of the estate's VPC endpoints or VPCs (grouped by account),
 * on premises through an endpoint, or the internet. A native select: keyboard and screen
 * reader support come with the browser, option groups included.
 */
export function CallerPicker(props: {
  api: ApiRecord;
  estate: EstateResponse;
  value: CallerSelection;
  onChange: (value: CallerSelection) => void;
}) {
  const { api, estate, value, onChange } = props;
  const region = api.region;
  const groups = groupByAccount(estate, region);
  const regionalEndpoints = estate.vpcEndpoints.filter(
    e => e.region === region,
  );

  const onFrom = (event: ChangeEvent<{ value: unknown }>) => {
    const from = String(event.target.value);
    onChange({
      ...value,
      from,
      onPremisesEndpointId:
        from === 'on-premises'
          ? value.onPremisesEndpointId ?? defaultOnPremisesEndpoint(api, estate)
          : value.onPremisesEndpointId,
    });
  };

  return (
    <Box display="flex" flexWrap="wrap" gridGap={16} alignItems="center">
      <TextField
        select
        id="private-api-caller"
        label="Calling from"
        value={value.from}
        onChange={onFrom}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        size="small"
        style={{ minWidth: 360 }}
      >
        <option value="">Not chosen: show what each way needs</option>
        {groups.map(group => (
          <optgroup
            key={group.account.accountId}
            label={`Account ${accountLabel(
              group.account.accountId,
              group.account.name,
            )}`}
          >
            {group.endpoints.map(e => (
              <option key={e.vpcEndpointId} value={`vpce:${e.vpcEndpointId}`}>
                {endpointLabel(e, estate.vpcs)}
              </option>
            ))}
            {group.bareVpcs.map(v => (
              <option key={v.vpcId} value={`vpc:${v.vpcId}`}>
                {`VPC ${v.name ? `${v.name} (${v.vpcId})` : v.vpcId}, ${
                  v.region
                }: no execute-api endpoint`}
              </option>
            ))}
          </optgroup>
        ))}
        <optgroup label="Outside AWS">
          <option value="on-premises">
            On premises, over Direct Connect or VPN
          </option>
          <option value="internet">The internet</option>
        </optgroup>
      </TextField>
      {value.from === 'on-premises' && (
        <>
          <TextField
            select
            id="private-api-onprem-endpoint"
            label={`VPC endpoint reached from on premises (${region})`}
            value={value.onPremisesEndpointId ?? ''}
            onChange={e =>
              onChange({
                ...value,
                onPremisesEndpointId: String(e.target.value) || undefined,
              })
            }
            SelectProps={{ native: true }}
            InputLabelProps={{ shrink: true }}
            variant="outlined"
            size="small"
            style={{ minWidth: 360 }}
          >
            <option value="">None</option>
            {regionalEndpoints.map(e => (
              <option key={e.vpcEndpointId} value={e.vpcEndpointId}>
                {endpointLabel(e, estate.vpcs)}
              </option>
            ))}
          </TextField>
          <FormControlLabel
            control={
              <Checkbox
                checked={value.resolvesPrivateDns}
                onChange={e =>
                  onChange({ ...value, resolvesPrivateDns: e.target.checked })
                }
              />
            }
            label="Our DNS forwards execute-api names to a Route 53 Resolver inbound endpoint"
          />
        </>
      )}
    </Box>
  );
}
