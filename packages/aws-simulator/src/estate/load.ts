import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { ZodIssue } from 'zod';
import { buildEstate } from './build';
import { EstateIssue, EstateValidationError } from './buildContext';
import type { Estate } from './model';
import { EstateInput, estateSchema } from './schema';

/** Reads, validates and builds an estate YAML (or JSON) file. */
export function loadEstateFile(file: string): Estate {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EstateValidationError(
      [
        {
          path: [],
          message: `cannot read the file: ${(error as Error).message}`,
        },
      ],
      file,
    );
  }
  return parseEstate(text, file);
}

/** Validates and builds an estate from YAML text; `source` names it in errors. */
export function parseEstate(text: string, source = 'estate'): Estate {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    // Later syntax errors are mostly echoes of the first one.
    throw new EstateValidationError(
      [{ path: [], message: `YAML syntax: ${document.errors[0].message}` }],
      source,
    );
  }
  return buildEstateFromObject(document.toJS() as EstateInput, source);
}

/** Validates and builds an estate given as an object (what the generator produces). */
export function buildEstateFromObject(
  input: EstateInput,
  source = 'estate',
): Estate {
  const parsed = estateSchema.safeParse(input);
  if (!parsed.success) {
    throw new EstateValidationError(
      parsed.error.issues.flatMap(describeIssue),
      source,
    );
  }
  return buildEstate(parsed.data, source);
}

/**
 * zod reports a value matching no branch of a union as just "Invalid input". Report the
 * problems of the branches whose type did match instead, which say what is actually wrong.
 */
function describeIssue(issue: ZodIssue): EstateIssue[] {
  if (issue.code === 'invalid_union') {
    const nested = issue.unionErrors.flatMap(error => error.issues);
    const specific = nested.filter(
      n => !(n.code === 'invalid_type' && n.path.length === issue.path.length),
    );
    if (specific.length > 0) return specific.flatMap(describeIssue);
    const expected = [
      ...new Set(
        nested.map(n => (n.code === 'invalid_type' ? n.expected : n.message)),
      ),
    ];
    return [{ path: issue.path, message: `expected ${expected.join(' or ')}` }];
  }
  return [{ path: issue.path, message: issue.message }];
}
