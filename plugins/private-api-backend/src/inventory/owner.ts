import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** How discovery names an API's owner: the owner tag, else the configured default. */
export interface OwnerRule {
  /** The tag whose value is the owner (`privateApi.tagKeys.owner`). */
  tagKey: string;
  /** The owner of untagged APIs (`privateApi.defaults.owner`). */
  defaultOwner?: string;
}

/** What the catalog module writes as `spec.owner` when neither tag nor default names one. */
export const UNKNOWN_OWNER = 'unknown';

/**
 * The API entity's `spec.owner`, as the catalog module writes it: the owner tag's value
 * (trimmed), else the configured default, else `unknown`.
 */
export function catalogOwner(
  tags: Record<string, string>,
  rule: OwnerRule,
): { value: string; defaulted: boolean } {
  const tagged = tags[rule.tagKey]?.trim();
  if (tagged) return { value: tagged, defaulted: false };
  return { value: rule.defaultOwner ?? UNKNOWN_OWNER, defaulted: true };
}

/**
 * An owner as a full entity ref (`group:default/team-payments`), as the catalog resolves a
 * `spec.owner` (kind Group and namespace default unless it says otherwise). A value that is
 * no entity ref stays as it is, so that it still filters and sorts.
 */
export function ownerEntityRef(owner: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'Group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return owner;
  }
}

/** The stored owner of an API (`owner_ref`): its catalog owner as an entity ref. */
export function apiOwnerRef(
  tags: Record<string, string>,
  rule: OwnerRule,
): string {
  return ownerEntityRef(catalogOwner(tags, rule).value);
}
