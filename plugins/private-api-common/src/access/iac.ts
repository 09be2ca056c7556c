/**
 * Ready-to-paste IaC for a resource policy change, for API owners who manage their APIs
 * with Terraform or CloudFormation (hand-off mode). Both must be followed by a deployment
 * of every stage: a policy change takes effect only then (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html).
 */

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map(line => (line ? pad + line : line))
    .join('\n');
}

/** Terraform (AWS provider): the policy as `aws_api_gateway_rest_api_policy`. */
export function terraformPolicySnippet(
  apiId: string,
  policyJson: string,
): string {
  const pretty = JSON.stringify(JSON.parse(policyJson), null, 2);
  return [
    `# The resource policy of REST API ${apiId}. If the policy is set on aws_api_gateway_rest_api`,
    '# itself, replace its `policy` argument instead. Then redeploy every stage (for example by',
    "# adding this resource's policy to your aws_api_gateway_deployment's `triggers`).",
    `resource "aws_api_gateway_rest_api_policy" "api_${apiId}" {`,
    `  rest_api_id = "${apiId}"`,
    '  policy      = <<-POLICY',
    indent(pretty, 4),
    '  POLICY',
    '}',
  ].join('\n');
}

/** CloudFormation (YAML): the `Policy` property of the `AWS::ApiGateway::RestApi`. */
export function cloudFormationPolicySnippet(
  apiId: string,
  policyJson: string,
): string {
  const pretty = JSON.stringify(JSON.parse(policyJson), null, 2);
  return [
    `# The Policy property of the AWS::ApiGateway::RestApi resource of API ${apiId}.`,
    '# Redeploy every stage afterwards (a new AWS::ApiGateway::Deployment, e.g. with a changed',
    '# logical id or description).',
    'Properties:',
    '  Policy:',
    indent(pretty, 4),
  ].join('\n');
}
