/** Entity names: `[a-z0-9]` words joined by `-`, at most `maxLength` characters. */
function slug(value: string, maxLength: number): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}

/**
 * The catalog entity name of a discovered API: its name with its id, so it is stable and
 * unique across accounts and Regions (API ids are random per account and Region) and
 * within Backstage's 63-character limit.
 */
export function apiEntityName(api: { name: string; apiId: string }): string {
  const base = slug(api.name, 63 - api.apiId.length - 1);
  return base ? `${base}-${api.apiId}` : api.apiId;
}
