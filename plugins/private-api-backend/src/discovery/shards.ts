import { createHash } from 'node:crypto';

/**
 * Discovery is split into shards so backend replicas can share it: every account belongs to
 * exactly one shard (a stable hash of its id), and each shard is one scheduler task, run by
 * one replica at a time. Accounts found through AWS Organizations shard the same way.
 */
export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

export function shardOf(accountId: string, count: number): number {
  const digest = createHash('sha256').update(accountId).digest();
  return digest.readUInt32BE(0) % count;
}

/** The scheduler task id of a discovery shard, global across backend replicas. */
export function shardTaskId(prefix: string, shard: Shard): string {
  return `${prefix}:shard-${shard.index + 1}-of-${shard.count}`;
}

export function allShards(count: number): Shard[] {
  return Array.from({ length: count }, (_, index) => ({ index, count }));
}
