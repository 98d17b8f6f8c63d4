import { createHash } from 'node:crypto';
import { statusAfterAction, type HistoryAction } from './workflow.js';

export type { HistoryAction } from './workflow.js';

/** One line of a case's history: who did what, when. */
export interface HistoryEntry {
  at: string;
  actor: string;
  action: HistoryAction;
  detail: string;
}

/** A history entry as stored: its place in the case's chain and the hashes that tie it there. */
export interface ChainedEntry extends HistoryEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The hash before a case's first entry. */
export const GENESIS = '0'.repeat(64);

/**
 * Each entry's hash covers the case, its place in the chain, its content and the hash of the
 * entry before it: changing or removing any entry breaks every hash after it.
 */
export function entryHash(caseNumber: string, seq: number, prevHash: string, entry: HistoryEntry): string {
  return createHash('sha256').update(JSON.stringify([caseNumber, seq, prevHash, entry.at, entry.actor, entry.action, entry.detail])).digest('hex');
}

export function chain(caseNumber: string, previous: { seq: number; hash: string } | null, entry: HistoryEntry): ChainedEntry {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? GENESIS;
  return { ...entry, seq, prevHash, hash: entryHash(caseNumber, seq, prevHash, entry) };
}

/** What verification found wrong with a file the registry knows, or one it does not. */
export interface FileProblem {
  kind: 'changed' | 'missing' | 'unknown';
  /** Relative to the workspace root. */
  path: string;
  caseNumber: string | null;
}

export interface ChainProblem {
  seq: number;
  kind: 'changed' | 'removed' | 'head' | 'status';
}

/** The status a case's history leads to, to compare with the status the registry shows. */
function statusFromHistory(entries: HistoryEntry[]): string | null {
  let status: string | null = null;
  for (const e of entries) status = statusAfterAction(e.action) ?? status;
  return status;
}

/**
 * Checks a case's stored chain against its head (the last hash and the count kept on the case).
 * A changed entry no longer matches its own hash; a removed one leaves a gap in the numbers or a
 * link that points at nothing; a removed last entry leaves the head pointing past the chain.
 */
export function checkChain(caseNumber: string, entries: ChainedEntry[], head: { hash: string | null; count: number }): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev: { seq: number; hash: string } | null = null;
  for (const e of entries) {
    const expectedSeq: number = (prev?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq || e.prevHash !== (prev?.hash ?? GENESIS)) {
      problems.push({ seq: expectedSeq, kind: 'removed' });
    }
    if (entryHash(caseNumber, e.seq, e.prevHash, e) !== e.hash) problems.push({ seq: e.seq, kind: 'changed' });
    prev = { seq: e.seq, hash: e.hash };
  }
  const lastSeq = prev?.seq ?? 0;
  if (head.count > lastSeq) problems.push({ seq: lastSeq + 1, kind: 'removed' });
  else if (head.count !== lastSeq || (head.hash ?? null) !== (prev?.hash ?? null)) problems.push({ seq: lastSeq, kind: 'head' });
  return problems;
}

/**
 * Everything wrong with a case's record: its chain as checkChain sees it, and, when the chain is
 * whole, a status set in the database behind the history's back (shown closed, no closing recorded).
 */
export function checkCaseHistory(caseNumber: string, entries: ChainedEntry[], head: { hash: string | null; count: number }, status: string): ChainProblem[] {
  const problems = checkChain(caseNumber, entries, head);
  if (problems.length === 0 && statusFromHistory(entries) !== status) problems.push({ seq: entries.length, kind: 'status' });
  return problems;
}

/** An archive checked: every history chain and every file (services/records.ts verify). */
export interface Verification {
  ok: boolean;
  cases: number;
  files: number;
  bytes: number;
  problems: (ChainProblem & { number: string })[];
  fileProblems: FileProblem[];
}
