export { PrivateApiCostCard } from './CostCard';
