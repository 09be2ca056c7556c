import { useEffect, useState } from 'react';
import {
  Box,
  Checkbox,
  FormControlLabel,
  Paper,
  TextField,
} from '@material-ui/core';
import useDebounce from 'react-use/esm/useDebounce';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EstateResponse,
  ScopeStatus,
} from '@private-api-catalog/plugin-private-api-common';
import { accountLabel } from '../common/format';
import {
  API_TYPES,
  AUTHORIZATION_TYPES,
  ENDPOINT_TYPES,
  ExplorerFilters,
  FLAG_FILTERS,
} from './filters';

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
  disabled?: boolean;
}) {
  return (
    <TextField
      select
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(String(e.target.value))}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
      disabled={props.disabled}
      style={{ minWidth: 160 }}
    >
      <option value="">All</option>
      {props.options.map(o => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </TextField>
  );
}

/** Search box that waits for a pause in typing before it filters (each search is a request). */
function SearchField(props: { value: string; onChange: (q: string) => void }) {
  const { value, onChange } = props;
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useDebounce(
    () => {
      if (text.trim() !== value) onChange(text.trim());
    },
    300,
    [text],
  );
  return (
    <TextField
      id="private-api-search"
      label="Search APIs"
      type="search"
      placeholder="name, id, route, Lambda, load balancer, VPC…"
      value={text}
      onChange={e => setText(e.target.value)}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
      style={{ minWidth: 320 }}
    />
  );
}

/**
 * "Callable from": the estate's VPCs and execute-api endpoints by name and id; the list then
 * holds the private APIs whose policies let that caller in.
 */
function CallableFromPicker(props: {
  value: string;
  estate?: EstateResponse;
  onChange: (from: string) => void;
}) {
  const { value, estate, onChange } = props;
  const vpcs = [...(estate?.vpcs ?? [])].sort(
    (a, b) =>
      (a.name ?? a.vpcId).localeCompare(b.name ?? b.vpcId) ||
      a.region.localeCompare(b.region),
  );
  const endpoints = [...(estate?.vpcEndpoints ?? [])].sort(
    (a, b) =>
      (a.name ?? a.vpcEndpointId).localeCompare(b.name ?? b.vpcEndpointId) ||
      a.region.localeCompare(b.region),
  );
  const known =
    !value ||
    vpcs.some(v => v.vpcId === value) ||
    endpoints.some(e => e.vpcEndpointId === value);
  return (
    <TextField
      select
      id="private-api-filter-from"
      label="Callable from"
      value={value}
      onChange={e => onChange(String(e.target.value))}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
      disabled={!estate}
      style={{ minWidth: 220, maxWidth: 360 }}
      helperText={value ? 'Private APIs whose policy lets it in' : undefined}
    >
      <option value="">Anywhere</option>
      {!known && <option value={value}>{value}</option>}
      <optgroup label="VPCs">
        {vpcs.map(v => (
          <option key={`${v.vpcId}-${v.region}`} value={v.vpcId}>
            {v.name ? `${v.name} (${v.vpcId})` : v.vpcId}, {v.region}
          </option>
        ))}
      </optgroup>
      <optgroup label="VPC endpoints">
        {endpoints.map(e => (
          <option key={e.vpcEndpointId} value={e.vpcEndpointId}>
            {e.name ? `${e.name} (${e.vpcEndpointId})` : e.vpcEndpointId},{' '}
            {e.region}
          </option>
        ))}
      </optgroup>
    </TextField>
  );
}

export function ExplorerFiltersBar(props: {
  filters: ExplorerFilters;
  onChange: (change: Partial<ExplorerFilters>) => void;
  scopes: ScopeStatus[];
  owners: string[];
  estate?: EstateResponse;
}) {
  const { filters, onChange, scopes, owners, estate } = props;
  const accounts = [
    ...new Map(
      scopes.map(s => [s.accountId, accountLabel(s.accountId, s.accountName)]),
    ),
  ].sort((a, b) => a[1].localeCompare(b[1]));
  const regions = [...new Set(scopes.map(s => s.region))].sort();
  return (
    // On the card background: the outlined fields' labels lack contrast on the page's grey.
    <Paper
      role="search"
      aria-label="Filter the APIs"
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        gap: 16,
        padding: 16,
      }}
    >
      <SearchField value={filters.q} onChange={q => onChange({ q })} />
      <CallableFromPicker
        value={filters.from}
        estate={estate}
        onChange={from => onChange({ from })}
      />
      <FilterSelect
        id="private-api-filter-account"
        label="Account"
        value={filters.accountId}
        options={accounts.map(([value, label]) => ({ value, label }))}
        onChange={accountId => onChange({ accountId })}
      />
      <FilterSelect
        id="private-api-filter-region"
        label="Region"
        value={filters.region}
        options={regions.map(r => ({ value: r, label: r }))}
        onChange={region => onChange({ region })}
      />
      <FilterSelect
        id="private-api-filter-api-type"
        label="API type"
        value={filters.apiType}
        options={API_TYPES.map(t => ({ value: t, label: t }))}
        onChange={apiType => onChange({ apiType })}
      />
      <FilterSelect
        id="private-api-filter-endpoint-type"
        label="Endpoint type"
        value={filters.endpointType}
        options={ENDPOINT_TYPES.map(t => ({ value: t, label: t }))}
        onChange={endpointType => onChange({ endpointType })}
      />
      <FilterSelect
        id="private-api-filter-authorization"
        label="Authorization"
        value={filters.authorization}
        options={AUTHORIZATION_TYPES}
        onChange={authorization => onChange({ authorization })}
      />
      <FilterSelect
        id="private-api-filter-owner"
        label="Owner"
        value={filters.owner}
        options={owners.map(ref => ({
          value: ref,
          label: humanizeEntityRef(parseEntityRef(ref), {
            defaultKind: 'Group',
          }),
        }))}
        onChange={owner => onChange({ owner })}
        disabled={owners.length === 0}
      />
      <Box display="flex" flexWrap="wrap" alignItems="center" width="100%">
        {FLAG_FILTERS.map(f => (
          <FormControlLabel
            key={f.key}
            label={f.label}
            control={
              <Checkbox
                color="primary"
                size="small"
                checked={filters[f.key] === 'true'}
                onChange={e =>
                  onChange({ [f.key]: e.target.checked ? 'true' : '' })
                }
              />
            }
          />
        ))}
      </Box>
    </Paper>
  );
}
