import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Cards load lazily and material-table renders slowly in jsdom; on a busy CI machine the
// default one second of waiting for them is not enough (5 s failed a lazy page at a load
// average of 17 on 2 cores). These bound a stuck test; a passing one does not wait them out.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
