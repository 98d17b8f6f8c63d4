import { afterAll } from 'vitest';
import { closeAllBrowsers } from './helpers/browser.js';
import { killLeftovers } from './helpers/children.js';

// A test that fails half-way must not leave a watcher, a server or a browser running: whatever a
// test file started and did not stop is ended when the file is done, and when the run exits.
afterAll(async () => {
  killLeftovers();
  await closeAllBrowsers();
});
process.once('exit', () => killLeftovers());
