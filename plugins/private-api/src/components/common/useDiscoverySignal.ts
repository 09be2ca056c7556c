import { useSignal } from '@backstage/plugin-signals-react';
import {
  DISCOVERY_SIGNAL_CHANNEL,
  DiscoverySignal,
} from '@private-api-catalog/plugin-private-api-common';

/**
 * The latest discovery event the backend pushed (a run started, an account and Region was
 * crawled, the run ended), or undefined until one arrives or when the app has no signals.
 */
export function useDiscoverySignal(): DiscoverySignal | undefined {
  const { lastSignal } = useSignal<DiscoverySignal>(DISCOVERY_SIGNAL_CHANNEL);
  return lastSignal ?? undefined;
}
