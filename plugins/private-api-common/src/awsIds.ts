/**
 * The shapes of the AWS identifiers users type or paste, in one place: the backend
 * validates requests and config with them, the frontend validates forms.
 */
export const AWS_ID_PATTERNS = {
  /** 12 digits. */
  accountId: /^\d{12}$/,
  /** us-east-1, eu-west-1, us-gov-west-1, ap-southeast-2 ... */
  region: /^[a-z]{2}(-[a-z]+)+-\d$/,
  /** API Gateway API ids: 10 lowercase letters or digits. */
  apiId: /^[a-z0-9]{10}$/,
  /** vpc- followed by 8 (older) or 17 hexadecimal digits. */
  vpcId: /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/,
  /** vpce- followed by 8 (older) or 17 hexadecimal digits. */
  vpcEndpointId: /^vpce-[0-9a-f]{8}([0-9a-f]{9})?$/,
} as const;

/** What each pattern means, for error messages. */
export const AWS_ID_DESCRIPTIONS: Record<keyof typeof AWS_ID_PATTERNS, string> =
  {
    accountId: 'a 12-digit AWS account id',
    region: 'an AWS Region code such as us-east-1',
    apiId: 'a 10-character API Gateway API id',
    vpcId:
      'vpc- followed by 8 or 17 hexadecimal digits, e.g. vpc-0a1b2c3d4e5f60718',
    vpcEndpointId:
      'vpce- followed by 8 or 17 hexadecimal digits, e.g. vpce-0a1b2c3d4e5f60718',
  };
