export interface Config {
  /** The local AWS simulator this demo backend can start (see packages/aws-simulator). */
  awsSimulator?: {
    /** Start it with the backend. Default false. */
    enabled?: boolean;
    /** Loopback port. Default 4566. */
    port?: number;
    /** Estate YAML file, relative to the repository root. Default: the demo estate. */
    estate?: string;
    /** false turns API Gateway's quotas off in the simulator. */
    quotas?: boolean;
  };
}
