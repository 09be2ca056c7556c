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

/** FNV-1a, 32 bits, as 8 hex digits: a short stable tag where no AWS id fits in a name. */
function shortHash(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The catalog entity name of a Lambda function or load balancer behind an API: its name with
 * a tag unique across accounts and Regions (the load balancer's id; for a function, which has
 * no id, a hash of its ARN).
 */
export function integrationResourceEntityName(
  resource:
    | { kind: 'lambda-function'; functionName: string; arn: string }
    | { kind: 'load-balancer'; name: string; arn: string },
): string {
  const [name, tag] =
    resource.kind === 'lambda-function'
      ? [resource.functionName, shortHash(resource.arn)]
      : [
          resource.name,
          resource.arn.split('/').pop() ?? shortHash(resource.arn),
        ];
  const base = slug(name, 63 - tag.length - 1);
  return base ? `${base}-${tag}` : tag;
}
