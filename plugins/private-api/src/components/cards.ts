// Every card of the Private API tab, for the lazy loaders of both frontend systems.
export { PrivateApiAllowedCallersCard } from './AllowedCallersCard';
export { PrivateApiAuthorizersCard } from './AuthorizersCard';
export { PrivateApiCostCard } from './CostCard';
export { PrivateApiDiagnosticsCard } from './DiagnosticsCard';
export { PrivateApiIntegrationCard } from './IntegrationCard';
export { PrivateApiInvokeCard } from './InvokeCard';
export { PrivateApiOverviewCard } from './OverviewCard';
export { AccessRequestsCard as PrivateApiAccessRequestsCard } from './AccessRequests';
export { VpcEndpointApisCard as PrivateApiVpcEndpointApisCard } from './VpcEndpointApisCard';
