#!/usr/bin/env node
/**
 * The intake's background worker: makes the blank instruction sheets of new cases when the
 * parent says a case is in, and a last round when it says the batch is over. It never outlives the
 * parent: when the channel to it closes (the parent stopped, however), the worker stops at once;
 * a sheet it was writing is finished or undone by the next start (the file journal).
 */
import type { WorkerReport, WorkerRequest } from '../../adapters/jobs/child-process-work.js';

// Before anything else is loaded: a parent gone while the program's modules load is seen too.
process.on('disconnect', () => process.exit(0));
if (!process.connected) process.exit(0);

const at = process.argv.indexOf('--root');
const root = at >= 0 ? process.argv[at + 1] : undefined;
if (!root) {
  process.stderr.write('xinfang worker: started without a workspace\n');
  process.exit(2);
}

const [{ openOffice }, { repeatOnRequest }, { describeError }] = await Promise.all([
  import('../../app.js'),
  import('../../adapters/jobs/repeat-on-request.js'),
  import('../../domain/problems.js'),
]);
try {
  const office = await openOffice({ root, background: 'none' });
  const rounds = repeatOnRequest(async () => {
    if (!process.connected) process.exit(0);
    const result = await office.documents.makeMissingSheets();
    process.send?.({ kind: 'made', made: result.made, failed: result.failed } satisfies WorkerReport);
  });
  process.on('message', (request: WorkerRequest) => (request.kind === 'end' ? rounds.end() : rounds.request()));
  await rounds.finished;
  await office.close();
  process.disconnect();
} catch (e) {
  process.stderr.write(`${describeError(e)}\n`);
  process.exitCode = 1;
  if (process.connected) process.disconnect();
}
