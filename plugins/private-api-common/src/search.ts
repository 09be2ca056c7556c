/**
 * The search document of one discovered API, as the private-api backend serves it and the
 * search collator indexes it. List fields are comma-separated strings: search engines
 * tokenize strings on every engine alike (Lunr indexes array elements as single tokens,
 * so an array of ids would only be found by an exact, whole-element query).
 */

/** The search document type of discovered APIs. */
export const PRIVATE_API_SEARCH_TYPE = 'private-api';

/** One discovered API in Backstage search. */
export interface PrivateApiSearchDocument {
  /** The API's name. */
  title: string;
  /** One readable paragraph: what the API is, where it runs, who may call it. */
  text: string;
  /** The API's catalog entity page. */
  location: string;
  /** The catalog entity of the API (`api:default/{name}-{apiId}`). */
  entityRef: string;
  apiId: string;
  apiType: string;
  endpointType: string;
  accountId: string;
  accountName: string;
  region: string;
  /** The owner entity ref, from the owner tag or the configured default. */
  owner: string;
  /** Route keys (`GET /pets/{id}`, `$connect`, ...). */
  routes: string;
  /** Names of the Lambda functions of integrations and authorizers. */
  lambdaFunctions: string;
  /** Hosts of HTTP integrations and DNS names of VPC link load balancers. */
  integrationHosts: string;
  /** Custom domain names that map to the API. */
  customDomains: string;
  /** VPC endpoints the resource policy lets in (PRIVATE REST APIs). */
  vpcEndpointIds: string;
  /** VPCs the resource policy lets in, named in it or as the VPC of an admitted endpoint. */
  vpcIds: string;
}
