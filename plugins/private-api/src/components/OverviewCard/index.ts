export { PrivateApiOverviewCard } from './OverviewCard';
