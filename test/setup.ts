import { afterAll, afterEach } from 'vitest';
import { killLeftovers } from './helpers/children.js';

// A test that fails half-way must not leave a watcher or worker running: whatever it started and
// did not stop is ended here, after each test and once more when the file is done.
afterEach(() => {
  killLeftovers();
});
afterAll(() => {
  killLeftovers();
});
process.once('exit', () => killLeftovers());
