import fc from 'fast-check';
import { PolicyParseError } from '../errors';
import {
  AWS_RETURNED_POLICY,
  DOCS_ALLOW_ONLY_VPCE,
  DOCS_CROSS_ACCOUNT,
} from '../__testUtils__/policies';
import { parseResourcePolicy, serializePolicy } from './parse';

function parseError(raw: unknown): PolicyParseError {
  try {
    parseResourcePolicy(raw as string);
  } catch (error) {
    if (error instanceof PolicyParseError) return error;
    throw error;
  }
  throw new Error('expected a PolicyParseError');
}

describe('parseResourcePolicy', () => {
  it('reads the policy as API Gateway returns it, escaped once more', () => {
    const policy = parseResourcePolicy(AWS_RETURNED_POLICY);
    expect(policy.statements).toHaveLength(2);
    expect(policy.statements[0].resource.patterns).toEqual([
      'arn:aws:execute-api:us-east-1:123456789012:abc123/*',
    ]);
    expect(policy.statements[1].conditions).toEqual([
      {
        operator: 'StringNotEquals',
        key: 'aws:SourceVpce',
        values: ['vpce-0a1b2c3d4e5f60718', 'vpce-0f1e2d3c4b5a69788'],
      },
    ]);
  });

  it('reads escaped text that also holds raw line breaks', () => {
    const escaped = String.raw`{\"Version\":\"2012-10-17\",
  \"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:123456789012:abc123\/*\"}}`;
    expect(
      parseResourcePolicy(escaped).statements[0].resource.patterns,
    ).toEqual(['arn:aws:execute-api:us-east-1:123456789012:abc123/*']);
  });

  it('reads plain JSON text, an object and a JSON string holding the text alike', () => {
    const text = JSON.stringify(DOCS_ALLOW_ONLY_VPCE);
    const fromText = parseResourcePolicy(text);
    expect(parseResourcePolicy(DOCS_ALLOW_ONLY_VPCE)).toEqual(fromText);
    expect(parseResourcePolicy(JSON.stringify(text))).toEqual(fromText);
    expect(fromText.statements.map(s => s.effect)).toEqual(['Allow', 'Deny']);
  });

  it('normalizes a single statement, principals, actions, resources and condition values', () => {
    const policy = parseResourcePolicy({
      Statement: {
        Sid: 'One',
        Effect: 'Deny',
        NotPrincipal: {
          AWS: '111122223333',
          Service: ['lambda.amazonaws.com'],
        },
        NotAction: 'execute-api:ManageConnections',
        NotResource: ['execute-api:/prod/GET/health'],
        Condition: {
          Bool: { 'aws:SecureTransport': false },
          StringLike: { 'aws:SourceVpce': ['vpce-0a*', 'vpce-0b*'] },
        },
      },
    });
    expect(policy.statements).toEqual([
      {
        index: 0,
        sid: 'One',
        effect: 'Deny',
        principal: {
          negated: true,
          entries: [
            { type: 'AWS', value: '111122223333' },
            { type: 'Service', value: 'lambda.amazonaws.com' },
          ],
        },
        action: { negated: true, patterns: ['execute-api:ManageConnections'] },
        resource: { negated: true, patterns: ['execute-api:/prod/GET/health'] },
        conditions: [
          { operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] },
          {
            operator: 'StringLike',
            key: 'aws:SourceVpce',
            values: ['vpce-0a*', 'vpce-0b*'],
          },
        ],
      },
    ]);
  });

  it('reads "*" and {"AWS": [...]} principals', () => {
    expect(
      parseResourcePolicy(DOCS_ALLOW_ONLY_VPCE).statements[0].principal,
    ).toEqual({ negated: false, entries: [{ type: 'AWS', value: '*' }] });
    expect(
      parseResourcePolicy(DOCS_CROSS_ACCOUNT).statements[0].principal.entries,
    ).toEqual([
      { type: 'AWS', value: 'arn:aws:iam::111122223333:role/developer' },
      { type: 'AWS', value: 'arn:aws:iam::111122223333:role/Admin' },
    ]);
  });

  it('keeps condition operators it does not know, for the evaluator to report', () => {
    const policy = parseResourcePolicy({
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: { NumericLessThan: { 's3:max-keys': 10 } },
        },
      ],
    });
    expect(policy.statements[0].conditions[0].values).toEqual(['10']);
  });

  it('copies an object policy, so that later edits never touch the caller’s object', () => {
    const input = JSON.parse(JSON.stringify(DOCS_ALLOW_ONLY_VPCE));
    const policy = parseResourcePolicy(input);
    (policy.document.Statement as unknown[]).pop();
    expect(input).toEqual(DOCS_ALLOW_ONLY_VPCE);
  });

  it('serializes the document as written, ready for UpdateRestApi', () => {
    const policy = parseResourcePolicy(AWS_RETURNED_POLICY);
    expect(parseResourcePolicy(serializePolicy(policy))).toEqual(policy);
    expect(serializePolicy(policy)).not.toContain('\\/');
  });

  const allow = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
  it.each([
    [
      '{"Version": "2012-10-17", "Statement": [',
      /^the policy is not valid JSON \(/,
    ],
    ['   ', /^the policy is empty$/],
    ['[]', /^expected a policy object with a Statement, got a list$/],
    [
      '"just text"',
      /^the policy is a JSON string that does not hold a JSON policy/,
    ],
    [{ Version: '2012-10-17' }, /^Statement: is missing$/],
    [
      { Version: '2020-01-01', Statement: [allow] },
      /^Version: expected "2012-10-17" or "2008-10-17", got "2020-01-01"$/,
    ],
    [
      { Statement: [allow], Statements: [] },
      /^Statements: unknown element; expected one of Version, Id, Statement$/,
    ],
    [
      { Statement: [allow, 'x'] },
      /^Statement\[1\]: expected an object, got string$/,
    ],
    [
      { Statement: [{ ...allow, Efect: 'Allow' }] },
      /^Statement\[0\]\.Efect: unknown element/,
    ],
    [
      { Statement: [{ ...allow, Effect: 'allow' }] },
      /^Statement\[0\]\.Effect: expected "Allow" or "Deny", got "allow"$/,
    ],
    [
      { Statement: [{ ...allow, Effect: undefined }] },
      /^Statement\[0\]\.Effect: is missing/,
    ],
    [
      { Statement: [{ ...allow, NotPrincipal: '*' }] },
      /^Statement\[0\]: has both Principal and NotPrincipal/,
    ],
    [
      { Statement: [{ ...allow, Action: undefined }] },
      /^Statement\[0\]: needs Action or NotAction/,
    ],
    [
      { Statement: [{ ...allow, Resource: [] }] },
      /^Statement\[0\]\.Resource: expected at least one value/,
    ],
    [
      { Statement: [{ ...allow, Resource: ['a', 7] }] },
      /^Statement\[0\]\.Resource: expected a string or list of strings, got number$/,
    ],
    [
      {
        Statement: [{ ...allow, Principal: 'arn:aws:iam::111122223333:root' }],
      },
      /^Statement\[0\]\.Principal: expected "\*" or an object/,
    ],
    [
      { Statement: [{ ...allow, Principal: { Aws: '*' } }] },
      /^Statement\[0\]\.Principal\.Aws: unknown element/,
    ],
    [
      { Statement: [{ ...allow, Condition: [] }] },
      /^Statement\[0\]\.Condition: expected an object of condition operators, got a list$/,
    ],
    [
      { Statement: [{ ...allow, Condition: { StringEquals: 'vpc-1' } }] },
      /^Statement\[0\]\.Condition\.StringEquals: expected an object of condition keys, got string$/,
    ],
    [
      {
        Statement: [
          allow,
          allow,
          { ...allow, Condition: { StringEquals: { 'aws:SourceVpc': 42 } } },
        ],
      },
      /^Statement\[2\]\.Condition\.StringEquals\.aws:SourceVpc: expected a string or list of strings, got number$/,
    ],
    [
      {
        Statement: [
          {
            ...allow,
            Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/33'] } },
          },
        ],
      },
      /^Statement\[0\]\.Condition\.NotIpAddress\.aws:SourceIp: "192\.0\.2\.0\/33" is not an IPv4 or IPv6 address or CIDR range$/,
    ],
    [
      {
        Statement: [
          { ...allow, Condition: { Bool: { 'aws:SecureTransport': 'yes' } } },
        ],
      },
      /^Statement\[0\]\.Condition\.Bool\.aws:SecureTransport: expected true or false, got "yes"$/,
    ],
    [
      {
        Statement: [
          { ...allow, Condition: { StringEquals: { 'aws:SourceVpc': [] } } },
        ],
      },
      /^Statement\[0\]\.Condition\.StringEquals\.aws:SourceVpc: expected at least one value/,
    ],
  ])('rejects %j with a message that says what and where', (raw, message) => {
    expect(parseError(raw).message).toMatch(message);
  });

  it('rejects input that is neither text nor an object', () => {
    expect(parseError(42).message).toBe(
      'expected the policy as JSON text or an object, got number',
    );
    expect(parseError(null).message).toMatch(/got null$/);
  });

  it('rejects an object that cannot be JSON', () => {
    const circular: Record<string, unknown> = { Statement: [] };
    circular.self = circular;
    expect(parseError(circular).message).toMatch(
      /cannot be represented as JSON/,
    );
  });

  describe('on random and malformed input', () => {
    /** 'policy', 'parse-error', or whatever else was thrown (which fails the test). */
    const outcome = (raw: unknown): unknown => {
      try {
        parseResourcePolicy(raw as string);
        return 'policy';
      } catch (error) {
        return error instanceof PolicyParseError ? 'parse-error' : error;
      }
    };
    const OUTCOMES = ['policy', 'parse-error'];

    it('yields a policy or a PolicyParseError for any value', () => {
      fc.assert(
        fc.property(fc.anything(), raw => {
          expect(OUTCOMES).toContain(outcome(raw));
        }),
        {
          numRuns: 500,
        },
      );
    });

    it('yields a policy or a PolicyParseError for any text', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.json()), raw => {
          expect(OUTCOMES).toContain(outcome(raw));
        }),
        { numRuns: 500 },
      );
    });

    it('yields a policy or a PolicyParseError for damaged policy text', () => {
      const texts = [
        AWS_RETURNED_POLICY,
        JSON.stringify(DOCS_ALLOW_ONLY_VPCE),
        JSON.stringify(DOCS_CROSS_ACCOUNT),
      ];
      fc.assert(
        fc.property(
          fc.constantFrom(...texts),
          fc.nat(),
          fc.nat({ max: 5 }),
          fc.string({ maxLength: 3 }),
          (text, at, cut, insert) => {
            const i = at % text.length;
            expect(OUTCOMES).toContain(
              outcome(text.slice(0, i) + insert + text.slice(i + cut)),
            );
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('yields a policy or a PolicyParseError for statements with fields of any type', () => {
      const field = fc.oneof(
        fc.anything(),
        fc.constant('*'),
        fc.array(fc.string()),
        fc.dictionary(fc.string(), fc.anything()),
      );
      fc.assert(
        fc.property(
          fc.record(
            {
              Effect: fc.oneof(fc.constantFrom('Allow', 'Deny'), fc.anything()),
              Principal: field,
              Action: field,
              Resource: field,
              Condition: fc.oneof(
                field,
                fc.dictionary(
                  fc.constantFrom(
                    'StringEquals',
                    'IpAddress',
                    'Bool',
                    'Null',
                    'Foo',
                  ),
                  fc.dictionary(fc.string(), field),
                ),
              ),
            },
            { requiredKeys: [] },
          ),
          statement => {
            expect(OUTCOMES).toContain(outcome({ Statement: [statement] }));
          },
        ),
        { numRuns: 1000 },
      );
    });
  });
});
