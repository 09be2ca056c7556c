import { parseArgs } from './cli';

describe('parseArgs', () => {
  it('defaults to port 4566 with quotas on', () => {
    expect(parseArgs([])).toEqual({ port: 4566, dump: false, quotas: true });
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    expect(
      parseArgs([
        '--port',
        '0',
        '--estate=estates/x.yaml',
        '--no-quotas',
        '--latency',
        '25',
      ]),
    ).toEqual({
      port: 0,
      estateFile: 'estates/x.yaml',
      dump: false,
      quotas: false,
      latencyMs: 25,
    });
    expect(
      parseArgs([
        '--generate',
        'accounts=10,rest=200,http=50,regions=1,seed=1',
        '--dump',
      ]),
    ).toMatchObject({
      generate: 'accounts=10,rest=200,http=50,regions=1,seed=1',
      dump: true,
    });
    expect(parseArgs(['--generate=accounts=2,rest=3'])).toMatchObject({
      generate: 'accounts=2,rest=3',
    });
    expect(parseArgs(['--help'])).toBe('help');
  });

  it('rejects unknown options, missing values and conflicting sources', () => {
    expect(() => parseArgs(['--prot', '1'])).toThrow("Unknown option '--prot'");
    expect(() => parseArgs(['--port'])).toThrow('--port needs a value');
    expect(() => parseArgs(['--latency', '-5'])).toThrow(
      "--latency needs a non-negative integer, got '-5'",
    );
    expect(() => parseArgs(['--port', 'abc'])).toThrow('non-negative integer');
    expect(() =>
      parseArgs(['--estate', 'a.yaml', '--generate', 'accounts=1']),
    ).toThrow('either --estate or --generate');
  });
});
