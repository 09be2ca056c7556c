import { stringify } from 'yaml';
import { EstateValidationError } from './estate/buildContext';
import { generateEstate, parseGenerateSpec } from './estate/generate';
import { DEMO_ESTATE_FILE, start, StartOptions } from './index';

const USAGE = `Usage: aws-simulator [options]

  --port N           port to listen on (default 4566; 0 picks a free one)
  --estate FILE      estate YAML file (default: estates/demo.yaml)
  --generate SPEC    serve a generated scale estate instead, e.g.
                     accounts=10,rest=200,http=50,regions=1,seed=1
  --dump             print the (generated) estate as YAML and exit
  --no-quotas        do not throttle
  --latency MS       add MS milliseconds to every answer
  --help             show this text

Point AWS SDK clients at http://127.0.0.1:PORT with any static credentials.`;

interface CliOptions {
  port: number;
  estateFile?: string;
  generate?: string;
  dump: boolean;
  quotas: boolean;
  latencyMs?: number;
}

export function parseArgs(args: string[]): CliOptions | 'help' {
  const options: CliOptions = { port: 4566, dump: false, quotas: true };
  const value = (i: number, flag: string) => {
    const next = args[i + 1];
    if (next === undefined || next.startsWith('--'))
      throw new Error(`${flag} needs a value`);
    return next;
  };
  const integer = (text: string, flag: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${flag} needs a non-negative integer, got '${text}'`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    const take = () => inline ?? value(i++, flag);
    switch (flag) {
      case '--port':
        options.port = integer(take(), flag);
        break;
      case '--estate':
        options.estateFile = take();
        break;
      case '--generate':
        // The spec itself contains '=': take everything after the first one.
        options.generate =
          inline !== undefined
            ? args[i].slice('--generate='.length)
            : value(i++, flag);
        break;
      case '--dump':
        options.dump = true;
        break;
      case '--no-quotas':
        options.quotas = false;
        break;
      case '--latency':
        options.latencyMs = integer(take(), flag);
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`Unknown option '${args[i]}'`);
    }
  }
  if (options.generate && options.estateFile)
    throw new Error('Use either --estate or --generate, not both');
  return options;
}

export async function main(args: string[]): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    process.stderr.write(
      `aws-simulator: ${(error as Error).message}\n\n${USAGE}\n`,
    );
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    const generated = options.generate
      ? generateEstate(parseGenerateSpec(options.generate))
      : undefined;
    if (options.dump) {
      if (!generated) throw new Error('--dump needs --generate');
      process.stdout.write(stringify(generated));
      return;
    }
    const startOptions: StartOptions = {
      port: options.port,
      estate: generated,
      estateFile: generated
        ? undefined
        : options.estateFile ?? DEMO_ESTATE_FILE,
      quotas: options.quotas ? undefined : false,
      latencyMs: options.latencyMs,
    };
    const loadStarted = performance.now();
    const simulator = await start(startOptions);
    const { accounts } = simulator.estate;
    const regions = accounts.flatMap(a => [...a.regions.values()]);
    const rest = regions.reduce((n, r) => n + r.restApis.length, 0);
    const v2 = regions.reduce((n, r) => n + r.v2Apis.length, 0);
    process.stdout.write(
      `AWS simulator listening on ${simulator.url}\n` +
        `  estate: ${
          options.generate
            ? `generated (${options.generate})`
            : startOptions.estateFile
        }\n` +
        `  ${
          accounts.length
        } accounts, ${rest} REST + ${v2} HTTP/WebSocket APIs, loaded in ${Math.round(
          performance.now() - loadStarted,
        )} ms\n` +
        `  quotas ${options.quotas ? 'on' : 'off'}${
          options.latencyMs ? `, latency ${options.latencyMs} ms` : ''
        }; stats at ${simulator.url}/_simulator/stats\n`,
    );
    const shutdown = (signal: string) => {
      process.stdout.write(`aws-simulator: ${signal}, stopping\n`);
      simulator.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  } catch (error) {
    const message =
      error instanceof EstateValidationError
        ? error.message
        : `aws-simulator: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
