export { VpcEndpointApisCard } from './VpcEndpointApisCard';
