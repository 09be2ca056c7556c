/*
 * The entry of the policy worker threads (piscina loads it): one task in, its result out.
 * It imports only the pure policy functions, not the plugin, so a thread starts quickly.
 */
import { PolicyTask, runPolicyTask } from './functions';

export default function policyWorker(task: PolicyTask) {
  return runPolicyTask(task);
}
