import type {
  ApiRecord,
  DomainRecord,
  TrafficRecord,
  VpcEndpointRecord,
  VpcLinkRecord,
  VpcRecord,
} from '@private-api-catalog/plugin-private-api-common';

export type {
  ApiSummary,
  ScopeStatus,
} from '@private-api-catalog/plugin-private-api-common';

export interface ApiListFilter {
  accountId?: string;
  region?: string;
  apiType?: ApiRecord['apiType'];
  endpointType?: ApiRecord['endpointType'];
  /** Matches the owner tag value (the configured tag key). */
  owner?: string;
  /** Case-insensitive substring of the name, id or description. */
  text?: string;
  limit?: number;
  offset?: number;
}

/** What a successful crawl of one API wrote. */
export interface ApiWrite {
  /** The API with its children; children are ignored when `details` is 'keep'. */
  record: ApiRecord;
  /** 'replace' writes stages and children anew; 'keep' keeps the stored children and definition. */
  details: 'replace' | 'keep';
  fingerprint: string;
  /** The exported definition; `undefined` keeps the stored one, `null` deletes it. */
  definition?: { stageName: string; content: string } | null;
  /** Why the details could not be refreshed (the stored ones and the stages are kept). */
  detailError?: string;
}

/** Account-level resources of one scope, replaced together. */
export interface ScopeResources {
  vpcLinks: VpcLinkRecord[];
  domains: DomainRecord[];
  vpcEndpoints: VpcEndpointRecord[];
  vpcs: VpcRecord[];
}

export type TrafficByApiId = Map<string, TrafficRecord>;
