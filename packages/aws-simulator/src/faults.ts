import { seededRandom } from './ids';
import { z } from 'zod';
import { Fault, FaultInput, faultSchema } from './estate/schema';

const faultsSchema = z.array(faultSchema);

/**
 * Injected failures, from the estate or set at run time. Each fault can be scoped to an
 * account, a service and an operation; unscoped fields match every call.
 */
export interface CallKey {
  account: string;
  service: string;
  operation: string;
}

export interface FaultDecision {
  /** Never answer: the client times out. */
  timeout: boolean;
  accessDenied: boolean;
  /** Answer with this 5xx status. */
  serverError?: 500 | 503;
  /** Extra delay before answering. */
  delayMs: number;
}

function matches(fault: Fault, call: CallKey): boolean {
  return (
    (fault.account === undefined || fault.account === call.account) &&
    (fault.service === undefined || fault.service === call.service) &&
    (fault.operation === undefined || fault.operation === call.operation)
  );
}

export class FaultInjector {
  private faults: Array<{ fault: Fault; random: () => number }> = [];

  constructor(faults: Fault[] = []) {
    this.set(faults);
  }

  /**
   * Replaces the active faults. Input is validated; each serverError fault draws from its
   * own generator seeded by `seed`, so the same calls in the same order fail the same way.
   *
   * @throws ZodError when a fault is malformed
   */
  set(faults: FaultInput[]): void {
    this.faults = faultsSchema.parse(faults).map(fault => ({
      fault,
      random: seededRandom(fault.type === 'serverError' ? fault.seed : 0),
    }));
  }

  list(): Fault[] {
    return this.faults.map(f => f.fault);
  }

  decide(call: CallKey): FaultDecision {
    const decision: FaultDecision = {
      timeout: false,
      accessDenied: false,
      delayMs: 0,
    };
    for (const { fault, random } of this.faults) {
      if (!matches(fault, call)) continue;
      if (fault.type === 'timeout') decision.timeout = true;
      else if (fault.type === 'accessDenied') decision.accessDenied = true;
      else if (fault.type === 'slow') decision.delayMs += fault.delayMs;
      else if (decision.serverError === undefined && random() < fault.rate) {
        decision.serverError = fault.status;
      }
    }
    return decision;
  }
}
