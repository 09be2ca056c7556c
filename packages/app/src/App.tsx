import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { apiDocsModule } from './modules/apiDocs';
import { navModule } from './modules/nav';

// Other plugins (API docs, catalog graph, org, notifications, user settings and the private
// API catalogue) are discovered from this package's dependencies (`app.packages: all`).
export default createApp({
  features: [catalogPlugin, navModule, apiDocsModule],
});
