import { extractRules, type Settings } from '../../domain/settings.js';
import { extractFields, flagsAfterChange, type LetterFields, type Provenance } from '../../domain/extract/letter-fields.js';
import { localDate } from '../../domain/calendar.js';
import { XinfangError } from '../../domain/problems.js';
import type { Workspace } from '../../adapters/files/workspace.js';
import { yearInZone } from '../../domain/case-number.js';
import type { CaseRow, Channel, Registry } from '../../adapters/sqlite/registry.js';

export interface TypedPetition {
  channel: Channel;
  matter: string;
  fields: Partial<LetterFields>;
  receivedAt: Date;
  transfer?: { office: string; number: string };
  /** The clerk who wrote it down, for the history. */
  by?: string;
}

/**
 * A visit, call, online message or transferred case written down by a clerk: numbered in the same
 * sequence as letters. What the clerk gave is the clerk's; the rest is read from the matter.
 */
export function registerTyped(registry: Registry, ws: Workspace, settings: Settings, input: TypedPetition): CaseRow {
  if (input.matter.trim() === '') throw new XinfangError('no-matter', '请用 --matter 写明反映的问题。', 2);
  if (input.channel === '转办' && (!input.transfer?.office || !input.transfer.number)) {
    throw new XinfangError('no-transfer', '转办件须写明来自哪个单位（--from-office）和该单位的编号（--from-number）。', 2);
  }
  const extraction = extractFields(input.matter, extractRules(settings));
  const fields = { ...extraction.fields };
  const sources: Provenance = { ...extraction.sources };
  for (const [key, value] of Object.entries(input.fields)) {
    (fields as Record<string, unknown>)[key] = value;
    (sources as Record<string, string>)[key] = 'clerk';
  }
  if (!input.fields.letterDate) {
    // A visit or call is dated the day it came in.
    fields.letterDate = localDate(input.receivedAt, settings.office.timezone);
    sources.letterDate = 'clerk';
  }
  if (!input.fields.summary && [...input.matter].length <= 60) {
    fields.summary = input.matter.trim();
    sources.summary = 'clerk';
  }
  const flags = flagsAfterChange(fields, extraction.flags, settings.extract.groupThreshold, extraction.flags.includes('urgent'));
  return registry.registerPetition(
    {
      channel: input.channel,
      receivedAt: input.receivedAt,
      year: yearInZone(input.receivedAt, settings.office.timezone),
      text: input.matter,
      extraction: { ...extraction, fields, sources },
      flags,
      pages: [],
      ocrEngine: null,
      transfer: input.transfer,
      registeredBy: input.by,
      documents: [],
    },
    (year, number) => ws.caseFolder(year, number),
  );
}
