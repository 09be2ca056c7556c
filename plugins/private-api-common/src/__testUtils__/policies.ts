/**
 * Resource policies for the tests: the AWS documentation's own examples (API Gateway
 * developer guide, "API Gateway resource policy examples", and IAM's "Denies access based on
 * the source IP"), with their placeholders filled in, and the escaped form AWS returns.
 */

/** The API the examples belong to. */
export const API_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123';

/** `{API_ARN}/{stage}/{METHOD}/{path}`. */
export function call(stage: string, method: string, path: string): string {
  return `${API_ARN}/${stage}/${method}/${path.replace(/^\//, '')}`;
}

/** "Example: Allow private API traffic based on source VPC or VPC endpoint" (aws:SourceVpc form). */
export const DOCS_ALLOW_ONLY_VPC = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/*'],
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/*'],
      Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1a2b3c4d' } },
    },
  ],
};

/** The same example in its aws:SourceVpce form. */
export const DOCS_ALLOW_ONLY_VPCE = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/*'],
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/*'],
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
    },
  ],
};

/** "Example: Deny API traffic based on source IP address or range when using a private API". */
export const DOCS_DENY_VPC_SOURCE_IP = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/*'],
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/*'],
      Condition: {
        IpAddress: { 'aws:VpcSourceIp': ['192.0.2.0/24', '198.51.100.0/24'] },
      },
    },
  ],
};

/** "Example: Deny API traffic based on source IP address or range" (public APIs). */
export const DOCS_DENY_SOURCE_IP = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/*'],
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/*'],
      Condition: {
        IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '198.51.100.0/24'] },
      },
    },
  ],
};

/** IAM's "deny unless from these ranges" (NotIpAddress aws:SourceIp) behind an Allow for everyone. */
export const DOCS_ALLOW_ONLY_SOURCE_IP = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: {
        NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] },
      },
    },
  ],
};

/** "Example: Allow roles in another AWS account to use an API". */
export const DOCS_CROSS_ACCOUNT = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: {
        AWS: [
          'arn:aws:iam::111122223333:role/developer',
          'arn:aws:iam::111122223333:role/Admin',
        ],
      },
      Action: 'execute-api:Invoke',
      Resource: ['execute-api:/stage/GET/pets'],
    },
  ],
};

/** Only principals of one organization (aws:PrincipalOrgID), in the Deny + StringNotEquals pattern. */
export const ORG_ONLY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
      Condition: {
        StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
      },
    },
  ],
};

/**
 * The policy as GetRestApis returns it: the console's `execute-api:/*` stored expanded, and
 * the text escaped once more (`\"` and `\/`).
 */
export const AWS_RETURNED_POLICY = String.raw`{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:123456789012:abc123\/*\"},{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:123456789012:abc123\/*\",\"Condition\":{\"StringNotEquals\":{\"aws:SourceVpce\":[\"vpce-0a1b2c3d4e5f60718\",\"vpce-0f1e2d3c4b5a69788\"]}}}]}`;
