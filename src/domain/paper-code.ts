import { DOCUMENT_TYPES, type DocumentType } from './document-types.js';

/**
 * What the QR code on every generated page says: that it is ours, which case, which kind of
 * document. Plain text, so any phone's scanner shows a person what the paper is.
 */
export interface PaperCode {
  caseNumber: string;
  kind: DocumentType;
}

const PREFIX = 'xinfang:1|';

export function encodePaperCode(code: PaperCode): string {
  return `${PREFIX}${code.caseNumber}|${code.kind}`;
}

/** Our code, parsed; null for any other QR code (a resident's letter may carry a shop's code). */
export function parsePaperCode(text: string): PaperCode | null {
  if (!text.startsWith(PREFIX)) return null;
  const rest = text.slice(PREFIX.length);
  const at = rest.lastIndexOf('|');
  if (at <= 0) return null;
  const kind = rest.slice(at + 1) as DocumentType;
  if (!DOCUMENT_TYPES.includes(kind)) return null;
  return { caseNumber: rest.slice(0, at), kind };
}
