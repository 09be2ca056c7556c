/**
 * Annotation keys on the catalog entities this product writes. The `amazonaws.com/` prefix
 * follows Backstage's own AWS catalog module, so other AWS plugins read the same keys.
 */

/** The AWS account id that owns the API. */
export const ANNOTATION_AWS_ACCOUNT_ID = 'amazonaws.com/account-id';
/** The API's ARN (arn:aws:apigateway:{region}::/restapis/{id} or /apis/{id}). */
export const ANNOTATION_AWS_ARN = 'amazonaws.com/arn';
/** The API's Region. */
export const ANNOTATION_AWS_REGION = 'amazonaws.com/region';
/** The API Gateway API id; its presence marks an entity as discovered by this product. */
export const ANNOTATION_API_GATEWAY_API_ID = 'amazonaws.com/api-gateway-api-id';
/** REST, HTTP or WEBSOCKET. */
export const ANNOTATION_API_GATEWAY_API_TYPE =
  'amazonaws.com/api-gateway-api-type';
/** PRIVATE, REGIONAL or EDGE. */
export const ANNOTATION_API_GATEWAY_ENDPOINT_TYPE =
  'amazonaws.com/api-gateway-endpoint-type';
/** On Resource entities: the execute-api VPC endpoint id. */
export const ANNOTATION_VPC_ENDPOINT_ID = 'amazonaws.com/vpc-endpoint-id';
/** On Resource entities: the VPC id. */
export const ANNOTATION_VPC_ID = 'amazonaws.com/vpc-id';

/** The id this plugin registers under, on both sides. */
export const PRIVATE_API_PLUGIN_ID = 'private-api';
