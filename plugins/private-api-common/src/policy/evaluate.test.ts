import { InvalidArgumentError, PolicyParseError } from '../errors';
import {
  AWS_RETURNED_POLICY,
  call,
  DOCS_ALLOW_ONLY_SOURCE_IP,
  DOCS_ALLOW_ONLY_VPC,
  DOCS_ALLOW_ONLY_VPCE,
  DOCS_CROSS_ACCOUNT,
  DOCS_DENY_SOURCE_IP,
  DOCS_DENY_VPC_SOURCE_IP,
  ORG_ONLY,
} from '../__testUtils__/policies';
import { evaluateAccess } from './evaluate';
import { parseResourcePolicy } from './parse';

const policy = (document: object) => parseResourcePolicy(document);
const GET_PETS = call('prod', 'GET', '/pets');

describe('evaluateAccess with the AWS documentation examples', () => {
  it('allows only the VPC of "allow private API traffic based on source VPC"', () => {
    const p = policy(DOCS_ALLOW_ONLY_VPC);
    const inside = evaluateAccess(p, {
      resource: GET_PETS,
      sourceVpc: 'vpc-1a2b3c4d',
      sourceVpce: 'vpce-0aaa1111',
    });
    expect(inside).toMatchObject({
      decision: 'allow',
      allowedBy: [0],
      deniedBy: [],
    });
    expect(inside.explanation).toContain(
      'Statement[1] (Deny) does not apply: StringNotEquals aws:SourceVpc ["vpc-1a2b3c4d"]: the request has "vpc-1a2b3c4d" → false',
    );

    const outside = evaluateAccess(p, {
      resource: GET_PETS,
      sourceVpc: 'vpc-99999999',
      sourceVpce: 'vpce-0aaa1111',
    });
    expect(outside).toMatchObject({
      decision: 'explicit-deny',
      allowedBy: [0],
      deniedBy: [1],
    });
    expect(outside.explanation[outside.explanation.length - 1]).toBe(
      'Denied: Statement[1] (Deny) explicitly denies this request, and an explicit Deny overrides every Allow.',
    );
  });

  it('allows only the endpoint of the aws:SourceVpce form', () => {
    const p = policy(DOCS_ALLOW_ONLY_VPCE);
    expect(
      evaluateAccess(p, { resource: GET_PETS, sourceVpce: 'vpce-1a2b3c4d' })
        .decision,
    ).toBe('allow');
    expect(
      evaluateAccess(p, { resource: GET_PETS, sourceVpce: 'vpce-0bbb2222' })
        .decision,
    ).toBe('explicit-deny');
  });

  it('denies the listed aws:VpcSourceIp ranges of a private API', () => {
    const p = policy(DOCS_DENY_VPC_SOURCE_IP);
    expect(
      evaluateAccess(p, { resource: GET_PETS, vpcSourceIp: '198.51.100.20' }),
    ).toMatchObject({ decision: 'explicit-deny', deniedBy: [1] });
    expect(
      evaluateAccess(p, { resource: GET_PETS, vpcSourceIp: '10.0.1.20' })
        .decision,
    ).toBe('allow');
  });

  it('denies the listed aws:SourceIp ranges of a public API', () => {
    const p = policy(DOCS_DENY_SOURCE_IP);
    expect(
      evaluateAccess(p, { resource: GET_PETS, sourceIp: '192.0.2.1' }).decision,
    ).toBe('explicit-deny');
    expect(
      evaluateAccess(p, { resource: GET_PETS, sourceIp: '203.0.113.1' })
        .decision,
    ).toBe('allow');
  });

  it('denies calls from outside the ranges with NotIpAddress aws:SourceIp, and calls that carry no aws:SourceIp', () => {
    const p = policy(DOCS_ALLOW_ONLY_SOURCE_IP);
    expect(
      evaluateAccess(p, { resource: GET_PETS, sourceIp: '203.0.113.9' })
        .decision,
    ).toBe('allow');
    expect(
      evaluateAccess(p, { resource: GET_PETS, sourceIp: '198.51.100.9' })
        .decision,
    ).toBe('explicit-deny');
    const throughEndpoint = evaluateAccess(p, {
      resource: GET_PETS,
      sourceVpce: 'vpce-1a2b3c4d',
      vpcSourceIp: '203.0.113.9',
    });
    expect(throughEndpoint.decision).toBe('explicit-deny');
    expect(throughEndpoint.explanation[1]).toContain(
      'the request has no aws:SourceIp → true',
    );
  });

  it('allows the named roles of another account on GET /pets only ("allow roles in another account")', () => {
    const p = policy(DOCS_CROSS_ACCOUNT);
    const developer = 'arn:aws:iam::111122223333:role/developer';
    const allowed = evaluateAccess(p, {
      resource: call('stage', 'GET', '/pets'),
      principal: developer,
    });
    expect(allowed.decision).toBe('allow');
    expect(allowed.explanation).toContain(
      'The caller is in account 111122223333, not 123456789012: its own IAM policy must also allow execute-api:Invoke.',
    );
    // A session of the role is the role.
    expect(
      evaluateAccess(p, {
        resource: call('stage', 'GET', '/pets'),
        principal: 'arn:aws:sts::111122223333:assumed-role/developer/alice',
      }).decision,
    ).toBe('allow');
    for (const request of [
      { resource: call('stage', 'GET', '/pets') },
      { resource: call('stage', 'POST', '/pets'), principal: developer },
      { resource: call('prod', 'GET', '/pets'), principal: developer },
      {
        resource: call('stage', 'GET', '/pets'),
        principal: 'arn:aws:iam::111122223333:role/ops',
      },
    ]) {
      expect(evaluateAccess(p, request)).toMatchObject({
        decision: 'implicit-deny',
        explanation: [
          'Denied: no statement allows this request (implicit deny).',
        ],
      });
    }
  });

  it('lets only principals of the organization through aws:PrincipalOrgID', () => {
    const p = policy(ORG_ONLY);
    const signed = {
      resource: GET_PETS,
      principal: 'arn:aws:iam::444455556666:role/app',
    };
    expect(
      evaluateAccess(p, { ...signed, principalOrgId: 'o-a1b2c3d4e5' }).decision,
    ).toBe('allow');
    expect(
      evaluateAccess(p, { ...signed, principalOrgId: 'o-zzzzzzzzzz' }).decision,
    ).toBe('explicit-deny');
    // Anonymous callers belong to no organization.
    expect(evaluateAccess(p, { resource: GET_PETS }).decision).toBe(
      'explicit-deny',
    );
  });

  it('evaluates the escaped text AWS returns, with its expanded execute-api:/* ARN', () => {
    const request = {
      resource: GET_PETS,
      sourceVpce: 'vpce-0f1e2d3c4b5a69788',
    };
    expect(evaluateAccess(AWS_RETURNED_POLICY, request).decision).toBe('allow');
    expect(
      evaluateAccess(AWS_RETURNED_POLICY, {
        ...request,
        sourceVpce: 'vpce-0000',
      }).decision,
    ).toBe('explicit-deny');
    // The stored ARN names one API: another API's calls match no statement.
    expect(
      evaluateAccess(AWS_RETURNED_POLICY, {
        ...request,
        resource:
          'arn:aws:execute-api:us-east-1:123456789012:other/prod/GET/pets',
      }).decision,
    ).toBe('implicit-deny');
  });
});

describe('evaluateAccess semantics', () => {
  const allowAll = {
    Effect: 'Allow',
    Principal: '*',
    Action: 'execute-api:Invoke',
    Resource: 'execute-api:/*',
  };

  it('lets an explicit Deny win over any number of Allows', () => {
    const p = policy({
      Statement: [allowAll, allowAll, { ...allowAll, Effect: 'Deny' }],
    });
    expect(evaluateAccess(p, { resource: GET_PETS })).toMatchObject({
      decision: 'explicit-deny',
      allowedBy: [0, 1],
      deniedBy: [2],
    });
  });

  it('reads condition keys case-insensitively', () => {
    const p = policy({
      Statement: [
        {
          ...allowAll,
          Condition: { StringEquals: { 'AWS:SOURCEVPCE': 'vpce-1' } },
        },
      ],
    });
    expect(
      evaluateAccess(p, { resource: GET_PETS, sourceVpce: 'vpce-1' }).decision,
    ).toBe('allow');
  });

  it('matches * and ? in actions (case-insensitively) and in resources', () => {
    const p = policy({
      Statement: [
        {
          ...allowAll,
          Action: 'EXECUTE-API:Inv?ke',
          Resource: 'arn:aws:execute-api:us-east-1:*:abc123/prod/*/pets*',
        },
      ],
    });
    expect(evaluateAccess(p, { resource: GET_PETS }).decision).toBe('allow');
    expect(
      evaluateAccess(p, { resource: call('prod', 'GET', '/pets/7') }).decision,
    ).toBe('allow');
    expect(
      evaluateAccess(p, { resource: call('test', 'GET', '/pets') }).decision,
    ).toBe('implicit-deny');
    expect(
      evaluateAccess(p, {
        resource: GET_PETS,
        action: 'execute-api:InvalidateCache',
      }).decision,
    ).toBe('implicit-deny');
  });

  it('keeps a wildcard inside its colon-separated part of the ARN', () => {
    const p = policy({
      Statement: [{ ...allowAll, Resource: 'arn:aws:execute-api:*:*:search' }],
    });
    // Matched as one string, `*:*:search` would take "us-east-1:…/pets:search".
    expect(
      evaluateAccess(p, { resource: call('prod', 'GET', '/pets:search') })
        .decision,
    ).toBe('implicit-deny');
    const perPart = policy({
      Statement: [
        { ...allowAll, Resource: 'arn:aws:execute-api:*:*:abc123/*' },
      ],
    });
    expect(
      evaluateAccess(perPart, { resource: call('prod', 'GET', '/pets:search') })
        .decision,
    ).toBe('allow');
  });

  it('expands the console shorthand against the API of the call', () => {
    const p = policy({
      Statement: [{ ...allowAll, Resource: 'execute-api:/prod/GET/pets' }],
    });
    expect(evaluateAccess(p, { resource: GET_PETS }).decision).toBe('allow');
    expect(
      evaluateAccess(p, {
        resource:
          'arn:aws:execute-api:eu-west-1:210987654321:zzz999/prod/GET/pets',
      }).decision,
    ).toBe('allow');
  });

  it('applies NotPrincipal, NotAction and NotResource as exclusions', () => {
    const p = policy({
      Statement: [
        allowAll,
        {
          Effect: 'Deny',
          NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/admin' },
          NotAction: 'execute-api:ManageConnections',
          NotResource: 'execute-api:/prod/GET/health',
        },
      ],
    });
    expect(evaluateAccess(p, { resource: GET_PETS }).decision).toBe(
      'explicit-deny',
    );
    expect(
      evaluateAccess(p, { resource: call('prod', 'GET', '/health') }).decision,
    ).toBe('allow');
    expect(
      evaluateAccess(p, {
        resource: GET_PETS,
        principal: 'arn:aws:iam::123456789012:role/admin',
      }).decision,
    ).toBe('allow');
    // The Deny leaves this action alone (and the Allow does not name it).
    expect(
      evaluateAccess(p, {
        resource: GET_PETS,
        action: 'execute-api:ManageConnections',
      }),
    ).toMatchObject({ decision: 'implicit-deny', deniedBy: [] });
  });

  it('lets an account principal stand for every signed caller of the account, never an anonymous one', () => {
    const p = policy({
      Statement: [
        {
          ...allowAll,
          Principal: {
            AWS: ['arn:aws:iam::111122223333:root', '444455556666'],
          },
        },
      ],
    });
    for (const principal of [
      'arn:aws:iam::111122223333:user/bob',
      '444455556666',
      'arn:aws:sts::444455556666:assumed-role/app/i-0abc',
    ]) {
      expect(
        evaluateAccess(p, { resource: GET_PETS, principal }).decision,
      ).toBe('allow');
    }
    expect(
      evaluateAccess(p, { resource: GET_PETS, principal: '*' }).decision,
    ).toBe('implicit-deny');
  });

  it('says that an IAM Allow is enough for a signed caller of the API’s own account', () => {
    const p = policy(DOCS_CROSS_ACCOUNT);
    expect(
      evaluateAccess(p, {
        resource: GET_PETS,
        principal: 'arn:aws:iam::123456789012:role/ops',
      }).explanation,
    ).toEqual([
      'Denied: no statement allows this request (implicit deny).',
      "The caller is in the API's own account 123456789012: an Allow in its IAM policy is enough, since no statement denies it.",
    ]);
  });

  it('derives aws:PrincipalAccount and aws:PrincipalArn from the principal', () => {
    const p = policy({
      Statement: [
        {
          ...allowAll,
          Condition: {
            StringEquals: { 'aws:PrincipalAccount': '111122223333' },
            ArnLike: {
              'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/app-*',
            },
          },
        },
      ],
    });
    expect(
      evaluateAccess(p, {
        resource: GET_PETS,
        principal: 'arn:aws:sts::111122223333:assumed-role/app-web/session',
      }).decision,
    ).toBe('allow');
    expect(
      evaluateAccess(p, {
        resource: GET_PETS,
        principal: 'arn:aws:iam::111122223333:role/batch',
      }).decision,
    ).toBe('implicit-deny');
  });

  it('reports an unknown operator and never treats it as a match', () => {
    const p = policy({
      Statement: [
        allowAll,
        {
          ...allowAll,
          Effect: 'Deny',
          Condition: { NumericGreaterThan: { 'aws:MultiFactorAuthAge': 3600 } },
        },
      ],
    });
    const decision = evaluateAccess(p, { resource: GET_PETS });
    expect(decision).toMatchObject({
      decision: 'allow',
      deniedBy: [],
      unevaluated: [1],
    });
    expect(decision.explanation).toContain(
      'Statement[1] (Deny) cannot be evaluated: NumericGreaterThan aws:MultiFactorAuthAge ["3600"]: unknown condition operator "NumericGreaterThan", cannot be evaluated; it is treated as not applying, so the real decision may differ',
    );

    const onlyUnknownAllow = policy({
      Statement: [
        {
          ...allowAll,
          Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01' } },
        },
      ],
    });
    expect(
      evaluateAccess(onlyUnknownAllow, { resource: GET_PETS }),
    ).toMatchObject({
      decision: 'implicit-deny',
      allowedBy: [],
      unevaluated: [0],
    });
  });

  it('settles a statement on a false clause even when another clause is unknown', () => {
    const p = policy({
      Statement: [
        {
          ...allowAll,
          Condition: {
            NumericLessThan: { 'aws:MultiFactorAuthAge': 10 },
            StringEquals: { 'aws:SourceVpce': 'vpce-1' },
          },
        },
      ],
    });
    expect(
      evaluateAccess(p, { resource: GET_PETS, sourceVpce: 'vpce-2' }),
    ).toMatchObject({ decision: 'implicit-deny', unevaluated: [] });
  });

  it('says when a condition key is not modelled and counts it as absent', () => {
    const p = policy({
      Statement: [
        {
          ...allowAll,
          Condition: { StringLike: { 'aws:UserAgent': 'curl*' } },
        },
      ],
    });
    expect(evaluateAccess(p, { resource: GET_PETS }).explanation[0]).toBe(
      'Statement[0] (Allow) does not apply: StringLike aws:UserAgent ["curl*"]: aws:UserAgent is not modelled here and counts as absent → false',
    );
  });

  it('rejects a request without a resource or with an invalid IP address', () => {
    const p = policy({ Statement: [allowAll] });
    expect(() => evaluateAccess(p, { resource: '' })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      evaluateAccess(p, { resource: GET_PETS, vpcSourceIp: '10.0.0.300' }),
    ).toThrow(
      'request.vpcSourceIp: expected an IPv4 or IPv6 address, got "10.0.0.300"',
    );
  });

  it('raises PolicyParseError for policy text that is not a policy', () => {
    expect(() =>
      evaluateAccess('{"Statement": 3}', { resource: GET_PETS }),
    ).toThrow(PolicyParseError);
  });

  it('names the statement by its Sid in the explanation', () => {
    const p = policy({ Statement: [{ ...allowAll, Sid: 'OpenToAll' }] });
    expect(evaluateAccess(p, { resource: GET_PETS }).explanation).toEqual([
      'Statement[0] "OpenToAll" (Allow) applies: it has no condition',
      'Allowed by Statement[0] "OpenToAll" (Allow).',
    ]);
  });
});
