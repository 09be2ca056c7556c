import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  ApiRecord,
  checkReachability,
  EstateResponse,
} from '@private-api-catalog/plugin-private-api-common';
import { CallerSelection } from '../InvokeCard/CallerPicker';

/**
 * Where the reader calls from, kept in the page's URL so that How to invoke and Diagnostics
 * show the same caller, and a link shared with a colleague opens on it.
 */
const PARAMS = {
  from: 'caller',
  onPremisesEndpointId: 'onPremisesEndpoint',
  resolvesPrivateDns: 'onPremisesDns',
} as const;

export function useCallerSelection(): [
  CallerSelection,
  (selection: CallerSelection) => void,
] {
  const [params, setParams] = useSearchParams();
  const selection: CallerSelection = {
    from: params.get(PARAMS.from) ?? '',
    onPremisesEndpointId: params.get(PARAMS.onPremisesEndpointId) ?? undefined,
    resolvesPrivateDns: params.get(PARAMS.resolvesPrivateDns) === 'yes',
  };
  const update = useCallback(
    (next: CallerSelection) =>
      setParams(
        current => {
          const out = new URLSearchParams(current);
          const set = (key: string, value: string | undefined) =>
            value ? out.set(key, value) : out.delete(key);
          set(PARAMS.from, next.from);
          const onPremises = next.from === 'on-premises';
          set(
            PARAMS.onPremisesEndpointId,
            onPremises ? next.onPremisesEndpointId : undefined,
          );
          set(
            PARAMS.resolvesPrivateDns,
            onPremises && next.resolvesPrivateDns ? 'yes' : undefined,
          );
          return out;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [selection, update];
}

/** The VPC a selection calls from ('' when it is not a VPC). */
export function vpcOfSelection(
  selection: CallerSelection,
  estate: EstateResponse,
): string {
  const [kind, id] = selection.from.split(':');
  if (kind === 'vpc') return id ?? '';
  if (kind === 'vpce') {
    return estate.vpcEndpoints.find(e => e.vpcEndpointId === id)?.vpcId ?? '';
  }
  return '';
}

/**
 * The selection for a VPC chosen in Diagnostics: its endpoint that the reachability check
 * settles on (the one that works best), another of its endpoints, or the bare VPC.
 */
export function selectionForVpc(
  vpcId: string,
  api: ApiRecord,
  estate: EstateResponse,
  current: CallerSelection,
): CallerSelection {
  if (!vpcId) return { ...current, from: '' };
  const settled = checkReachability(api, vpcId, estate).vpcEndpointId;
  const endpoint =
    settled ??
    estate.vpcEndpoints.find(e => e.vpcId === vpcId && e.region === api.region)
      ?.vpcEndpointId ??
    estate.vpcEndpoints.find(e => e.vpcId === vpcId)?.vpcEndpointId;
  return { ...current, from: endpoint ? `vpce:${endpoint}` : `vpc:${vpcId}` };
}
