import { ActionsService } from '@backstage/backend-plugin-api/alpha';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';

/** The private-api plugin's action this scaffolder action runs. */
export const REQUEST_VPC_ACCESS_ACTION_ID = 'private-api:request-vpc-access';

/**
 * `private-api:request-access`: asks the owners of a private API to let a VPC or VPC
 * endpoint call it, as the user who runs the template. It runs the private-api plugin's
 * `request-vpc-access` action through Backstage's actions service, so the request is
 * checked and recorded exactly as one made in the access-request form.
 */
export function createRequestAccessAction(options: {
  actions: ActionsService;
}) {
  return createTemplateAction({
    id: 'private-api:request-access',
    description:
      "Requests VPC access to a private Amazon API Gateway API, as the user running the template. The API's owners approve it in Backstage; nothing changes in AWS before that.",
    supportsDryRun: true,
    schema: {
      input: {
        api: z =>
          z
            .string()
            .min(1)
            .describe(
              'The API: catalog entity ref (api:default/payments-api-a1b2c3d4e5), entity name or API id',
            ),
        vpcId: z =>
          z.string().optional().describe('The VPC that needs access (vpc-...)'),
        vpcEndpointId: z =>
          z
            .string()
            .optional()
            .describe(
              'The execute-api VPC endpoint that needs access (vpce-...)',
            ),
        justification: z =>
          z.string().describe('Why the VPC needs the API, in a sentence'),
        stages: z =>
          z
            .array(z.string())
            .optional()
            .describe('Stages to redeploy; all by default'),
        associateEndpoint: z =>
          z
            .boolean()
            .optional()
            .describe('Also associate the endpoint for Route 53 alias names'),
      },
      output: {
        requestId: z => z.string().describe('The access request id'),
        state: z => z.string().describe('The request state (pending)'),
        owners: z => z.array(z.string()).describe('Who approves the request'),
        entityRef: z => z.string().describe("The API's catalog entity"),
      },
    },
    async handler(ctx) {
      const input: JsonObject = Object.fromEntries(
        Object.entries(ctx.input).filter(
          ([, value]) => value !== undefined && value !== '',
        ),
      ) as JsonObject;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would request access to ${ctx.input.api} for ${
            ctx.input.vpcEndpointId ?? ctx.input.vpcId
          }`,
        );
        ctx.output('requestId', 'dry-run');
        ctx.output('state', 'pending');
        ctx.output('owners', []);
        ctx.output('entityRef', ctx.input.api);
        return;
      }
      // A task resumed after a restart must not file the request twice.
      const request = await ctx.checkpoint({
        key: `private-api-request-access-${ctx.input.api}-${
          ctx.input.vpcEndpointId ?? ctx.input.vpcId
        }`,
        fn: async () => {
          const { output } = await options.actions.invoke({
            id: REQUEST_VPC_ACCESS_ACTION_ID,
            input,
            credentials: await ctx.getInitiatorCredentials(),
          });
          return output as {
            id: string;
            state: string;
            owners: string[];
            api: { entityRef: string };
          };
        },
      });
      ctx.logger.info(
        `Access request ${request.id} is ${request.state}; ${
          request.owners.join(', ') || "the API's owners"
        } approve it`,
      );
      ctx.output('requestId', request.id);
      ctx.output('state', request.state);
      ctx.output('owners', request.owners);
      ctx.output('entityRef', request.api.entityRef);
    },
  });
}
