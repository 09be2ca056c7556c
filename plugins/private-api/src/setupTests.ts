import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Cards load lazily and material-table renders slowly in jsdom; on a busy CI machine the
// default one second of waiting for them is not enough.
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(20_000);
