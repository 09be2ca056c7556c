export interface Config {
  /** Configuration of the private API catalogue (`@private-api-catalog/plugin-private-api-backend`). */
  privateApi?: {};
}
