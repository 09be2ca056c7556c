import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import {
  apiDocsConfigRef,
  defaultDefinitionWidgets,
  OpenApiDefinitionWidget,
} from '@backstage/plugin-api-docs';
import {
  isPrivateApiAvailable,
  PrivateApiDefinitionNotice,
} from '@private-api-catalog/plugin-private-api';

/**
 * The Definition tab of discovered APIs without Swagger's "Try it out": from the reader's
 * browser it fails (CORS, no route to a private API, no signature) and its curl is unsigned
 * against the default host. The notice says so and points to the Private API tab's commands.
 * Other APIs keep the default widgets.
 */
const apiDocsConfig = ApiBlueprint.make({
  name: 'config',
  params: defineParams =>
    defineParams({
      api: apiDocsConfigRef,
      deps: {},
      factory: () => {
        const widgets = defaultDefinitionWidgets();
        return {
          getApiDefinitionWidget: entity => {
            const widget = widgets.find(w => w.type === entity.spec.type);
            if (widget?.type !== 'openapi' || !isPrivateApiAvailable(entity)) {
              return widget;
            }
            return {
              ...widget,
              component: (definition: string) => (
                <>
                  <PrivateApiDefinitionNotice />
                  <OpenApiDefinitionWidget
                    definition={definition}
                    supportedSubmitMethods={[]}
                  />
                </>
              ),
            };
          },
        };
      },
    }),
});

export const apiDocsModule = createFrontendModule({
  pluginId: 'api-docs',
  extensions: [apiDocsConfig],
});
