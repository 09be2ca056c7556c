// Most tests here create a PostgreSQL database and run the plugin's migrations first, which
// takes seconds on a loaded machine: jest's default 5 s failed storedAnswers.test.ts on
// PostgreSQL during a full run at a load average of 15 on 2 cores. A bound for a stuck test;
// files that need more set their own.
jest.setTimeout(60_000);
