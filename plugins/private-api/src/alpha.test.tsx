import { screen } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import plugin from './alpha';
import { privateApiApiRef } from './api';
import { entityOf, fakeClient } from './__testUtils__/fakes';
import { paymentsApi } from './__testUtils__/demoData';

const discovered = entityOf(paymentsApi);
const handMade = { ...discovered, metadata: { name: 'hand-made' } };

describe('the new frontend system plugin', () => {
  it('puts the Private APIs page at /private-apis, with the title and icon the sidebar lists', async () => {
    const tester = createExtensionTester(
      plugin.getExtension('page:private-api'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/private-apis');
    expect(tester.get(coreExtensionData.title)).toBe('Private APIs');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();

    await renderInTestApp(tester.reactElement(), {
      apis: [
        [privateApiApiRef, fakeClient()],
        [catalogApiRef, catalogApiMock()],
      ],
    });
    expect(
      await screen.findByRole('heading', { name: 'Crawl status' }),
    ).toBeInTheDocument();
  });

  it('adds the Private API tab to discovered API entities only', async () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:private-api'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/private-api');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Private API',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(discovered)).toBe(true);
    expect(filter(handMade)).toBe(false);

    await renderInTestApp(
      <EntityProvider entity={discovered}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[privateApiApiRef, fakeClient()]] },
    );
    expect(await screen.findByText('About $41.69 a month')).toBeInTheDocument();
  });

  it.each([
    ['overview', 'API Gateway overview'],
    ['invoke', 'How to invoke'],
    ['allowed-callers', 'Allowed callers'],
    ['integration', 'Integrations'],
    ['authorizers', 'Authorizers'],
    ['cost', 'Cost'],
    ['diagnostics', 'Diagnostics'],
  ] as const)(
    'offers the %s card as an entity card of its own',
    async (name, title) => {
      const tester = createExtensionTester(
        plugin.getExtension(`entity-card:private-api/${name}`),
      );
      const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
      expect(filter(discovered)).toBe(true);
      expect(filter(handMade)).toBe(false);
      await renderInTestApp(
        <EntityProvider entity={discovered}>
          {tester.reactElement()}
        </EntityProvider>,
        { apis: [[privateApiApiRef, fakeClient()]] },
      );
      expect(
        await screen.findByRole('heading', { name: title }),
      ).toBeInTheDocument();
    },
  );
});
