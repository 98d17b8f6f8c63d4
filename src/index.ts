/** xinfang as a library: open a workspace and use its services, as the CLI and the background worker do. */
export { openOffice, type Office, type OfficeOptions } from './app.js';
export type { Actor, Case, CaseDetail, Channel, DocumentRecord } from './domain/case.js';
export { CHANNELS } from './domain/case.js';
export type { Problem, ProblemCode } from './domain/problems.js';
export { XinfangError, isXinfangError } from './domain/problems.js';
export { problemText } from './domain/words.js';
export type { CaseStatus, Step } from './domain/workflow.js';
export type { IntakeResult } from './services/intake/ingest.js';
export type { IntakeReporter } from './services/intake/reporter.js';
export type { Alert, AlertKind, Recipient } from './domain/alerts.js';
