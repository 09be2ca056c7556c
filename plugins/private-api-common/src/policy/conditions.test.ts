import { evaluateClause, parseOperator } from './conditions';

const clause = (operator: string, key: string, values: string[]) => ({
  operator,
  key,
  values,
});

describe('parseOperator', () => {
  it('takes the set qualifier and IfExists apart', () => {
    expect(parseOperator('ForAnyValue:StringLikeIfExists')).toMatchObject({
      base: 'StringLike',
      setQualifier: 'ForAnyValue',
      ifExists: true,
      negated: false,
    });
    expect(parseOperator('NotIpAddress')).toMatchObject({
      family: 'ip',
      negated: true,
    });
  });

  it.each([
    'NumericLessThan',
    'DateGreaterThan',
    'NullIfExists',
    'ForAnyValue:Null',
    'stringequals',
    'constructor',
  ])('does not know %s', name => expect(parseOperator(name)).toBeUndefined());
});

describe('evaluateClause', () => {
  // [operator, policy values, request value, expected]; undefined = key absent.
  it.each([
    ['StringEquals', ['vpc-1'], 'vpc-1', true],
    ['StringEquals', ['vpc-1'], 'VPC-1', false],
    ['StringEquals', ['vpc-1'], undefined, false],
    ['StringNotEquals', ['vpc-1'], 'vpc-1', false],
    ['StringNotEquals', ['vpc-1', 'vpc-2'], 'vpc-3', true],
    ['StringNotEquals', ['vpc-1'], undefined, true],
    ['StringEqualsIgnoreCase', ['vpc-1'], 'VPC-1', true],
    ['StringEqualsIgnoreCase', ['vpc-1'], 'vpc-2', false],
    ['StringNotEqualsIgnoreCase', ['vpc-1'], 'VPC-1', false],
    ['StringNotEqualsIgnoreCase', ['vpc-1'], undefined, true],
    ['StringLike', ['vpce-0a*'], 'vpce-0abc', true],
    ['StringLike', ['vpce-0?c'], 'vpce-0bc', true],
    ['StringLike', ['vpce-0a*'], 'vpce-1abc', false],
    ['StringNotLike', ['vpce-0a*'], 'vpce-1abc', true],
    ['StringNotLike', ['vpce-0a*'], 'vpce-0a1', false],
    ['StringNotLike', ['vpce-0a*'], undefined, true],
    ['IpAddress', ['192.0.2.0/24'], '192.0.2.200', true],
    ['IpAddress', ['192.0.2.0/24'], '192.0.3.1', false],
    ['IpAddress', ['192.0.2.7'], '192.0.2.7', true],
    ['IpAddress', ['2001:db8::/32'], '2001:db8:1::5', true],
    ['IpAddress', ['2001:db8::/32'], '2001:db9::5', false],
    ['IpAddress', ['192.0.2.0/24'], '::ffff:192.0.2.9', true],
    ['IpAddress', ['192.0.2.0/24'], '2001:db8::1', false],
    ['IpAddress', ['192.0.2.0/24'], undefined, false],
    ['NotIpAddress', ['192.0.2.0/24'], '203.0.113.1', true],
    ['NotIpAddress', ['192.0.2.0/24', '2001:db8::/32'], '2001:db8::1', false],
    ['NotIpAddress', ['192.0.2.0/24'], undefined, true],
    [
      'ArnEquals',
      ['arn:aws:iam::111122223333:role/dev'],
      'arn:aws:iam::111122223333:role/dev',
      true,
    ],
    [
      'ArnEquals',
      ['arn:aws:iam::111122223333:role/*'],
      'arn:aws:iam::111122223333:role/dev',
      true,
    ],
    [
      'ArnLike',
      ['arn:aws:iam::*:role/dev'],
      'arn:aws:iam::444455556666:role/dev',
      true,
    ],
    [
      'ArnLike',
      ['arn:aws:iam::*:role/dev'],
      'arn:aws:iam::444455556666:role/ops',
      false,
    ],
    // A wildcard stays inside its colon-separated part.
    [
      'ArnLike',
      ['arn:aws:iam::1*:role/dev'],
      'arn:aws:iam::111122223333:user:role/dev',
      false,
    ],
    [
      'ArnNotEquals',
      ['arn:aws:iam::111122223333:role/dev'],
      'arn:aws:iam::111122223333:role/ops',
      true,
    ],
    [
      'ArnNotLike',
      ['arn:aws:iam::111122223333:*'],
      'arn:aws:iam::111122223333:role/ops',
      false,
    ],
    ['ArnNotLike', ['arn:aws:iam::111122223333:*'], undefined, true],
    ['Bool', ['true'], 'true', true],
    ['Bool', ['false'], 'true', false],
    ['Bool', ['true'], undefined, false],
    ['Null', ['true'], undefined, true],
    ['Null', ['true'], 'vpce-1', false],
    ['Null', ['false'], 'vpce-1', true],
    ['Null', ['false'], undefined, false],
    ['StringEqualsIfExists', ['vpc-1'], undefined, true],
    ['StringEqualsIfExists', ['vpc-1'], 'vpc-2', false],
    ['StringNotEqualsIfExists', ['vpc-1'], 'vpc-1', false],
    ['IpAddressIfExists', ['192.0.2.0/24'], undefined, true],
    ['ForAnyValue:StringEquals', ['vpc-1', 'vpc-2'], 'vpc-2', true],
    ['ForAnyValue:StringEquals', ['vpc-1'], undefined, false],
    ['ForAnyValue:StringNotEquals', ['vpc-1'], undefined, false],
    ['ForAllValues:StringEquals', ['vpc-1'], 'vpc-2', false],
    ['ForAllValues:StringEquals', ['vpc-1'], undefined, true],
    ['ForAllValues:StringNotEquals', ['vpc-1'], undefined, true],
  ] as Array<[string, string[], string | undefined, boolean]>)(
    '%s %j with %s → %s',
    (operator, values, requestValue, expected) => {
      expect(
        evaluateClause(clause(operator, 'aws:SourceVpc', values), requestValue),
      ).toBe(expected);
    },
  );

  it('answers "unknown" for an operator it does not know, whatever the value', () => {
    for (const value of ['10', undefined]) {
      expect(
        evaluateClause(clause('NumericLessThan', 'k', ['10']), value),
      ).toBe('unknown');
    }
  });
});
