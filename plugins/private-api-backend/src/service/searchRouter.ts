import express from 'express';
import { z } from 'zod';
import { InventoryStore } from '../inventory/InventoryStore';
import { TransformOptions } from '../module/transformer';
import { admittedCallersAnalysis } from '../search/admittedCallers';
import { apiSearchDocument } from '../search/searchDocument';
import { inlinePolicyWork, PolicyWork } from '../policyWork/PolicyWork';
import { awsId, parseInput } from './validation';

const scopePath = z.object({
  accountId: awsId('accountId'),
  region: awsId('region'),
});

const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/**
 * The search documents of a scope's APIs, a page at a time, for the search collator
 * (`@private-api-catalog/plugin-search-backend-module-private-api`). Built here, next to the
 * inventory, so the owner follows the catalog module's tag keys and defaults.
 */
export function addSearchDocumentRoutes(
  router: express.Router,
  options: {
    store: InventoryStore;
    transform: TransformOptions;
    /** Where the policies' analyses run (the backend's worker threads); inline by default. */
    policyWork?: PolicyWork;
  },
) {
  const { store, transform } = options;
  const policyWork = options.policyWork ?? inlinePolicyWork;
  router.get(
    '/scopes/:accountId/:region/search-documents',
    async (req, res) => {
      const { accountId, region } = parseInput(
        scopePath,
        req.params,
        'scope path',
      );
      const page = parseInput(pageQuery, req.query, 'query');
      const [apis, estate] = await Promise.all([
        store.listScopeApis(accountId, region, page),
        store.getEstateContext(),
      ]);
      const items = [];
      for (const { api } of apis) {
        const indexed =
          api.apiType === 'REST' && api.endpointType === 'PRIVATE'
            ? (await store.listAdmittedCallers(accountId, region, api.apiId))
                ?.items ?? []
            : [];
        const analysis = await admittedCallersAnalysis(api, policyWork);
        items.push(
          apiSearchDocument(api, estate, transform, indexed, analysis),
        );
      }
      res.json({ items });
    },
  );
}
