/** The AWS page that says a private API is called through an endpoint of its own Region. */
export const PRIVATE_API_DOCS_URL =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html';

/**
 * What to tell a requester whose VPC is in another Region than the API: no endpoint in that
 * VPC can call it (an execute-api endpoint calls private APIs of its own Region only), so
 * creating one there would not help; the call has to come from a VPC in the API's Region.
 */
export function wrongRegionGuidance(
  vpc: { vpcId: string; region: string },
  api: { name: string; region: string },
): string {
  return (
    `${vpc.vpcId} is in ${vpc.region}, and ${api.name} is a private API in ${api.region}. ` +
    `A private API is called only through an execute-api VPC endpoint in its own Region, ` +
    `so no endpoint in ${vpc.vpcId} can reach it. Call it from a VPC in ${api.region} ` +
    `(for example one that ${vpc.vpcId} reaches through inter-Region VPC peering or a ` +
    `transit gateway) and request access for that VPC.`
  );
}
