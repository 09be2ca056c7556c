/*
 * The demo's search engine: Lunr in memory, as the search backend uses by default, except
 * that every word of a query must match. Lunr's default matches any word, so
 * `vpce-0a1b2c3d4e5f67890` (two words, `vpce` and `0a1b2c3d4e5f67890`) would list every
 * document that mentions any VPC endpoint. PostgreSQL and Elasticsearch engines already
 * require every word.
 */
import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConcreteLunrQuery,
  LunrSearchEngine,
} from '@backstage/plugin-search-backend-node';
import { searchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import lunr from 'lunr';

/** Lunr with every query word required, each as a prefix of an indexed word. */
export class AllWordsLunrSearchEngine extends LunrSearchEngine {
  constructor(options: { logger: LoggerService }) {
    super(options);
    const anyWord = this.translator;
    this.setTranslator(query => {
      const base = anyWord(query) as ConcreteLunrQuery;
      const words = lunr
        .tokenizer(query.term)
        .filter(token => lunr.stopWordFilter(token))
        // Indexed words are stemmed; the stemmed query word is their prefix.
        .map(token => lunr.stemmer(token).toString());
      return {
        ...base,
        lunrQueryBuilder(q) {
          // Lunr's own clauses rank the results; the required ones select them.
          base.lunrQueryBuilder.call(q, q);
          for (const word of words) {
            q.term(word, {
              presence: lunr.Query.presence.REQUIRED,
              wildcard: lunr.Query.wildcard.TRAILING,
              usePipeline: false,
            });
          }
        },
      };
    });
  }
}

export default createBackendModule({
  pluginId: 'search',
  moduleId: 'all-words-lunr-engine',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        searchEngineRegistry: searchEngineRegistryExtensionPoint,
      },
      async init({ logger, searchEngineRegistry }) {
        searchEngineRegistry.setSearchEngine(
          new AllWordsLunrSearchEngine({ logger }),
        );
      },
    });
  },
});
