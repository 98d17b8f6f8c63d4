/** A statistics report or ledger as a model both renderers (PDF, DOCX) read. */

/** A chart drawn as SVG, with its size in pixels. */
export interface Chart {
  svg: string;
  width: number;
  height: number;
}

export interface ReportSection {
  heading: string;
  paragraphs: string[];
  table?: { columns: { title: string; share: number }[]; rows: string[][] };
  chart?: Chart;
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  sections: ReportSection[];
  landscape: boolean;
  /** Issuer and date at the end (a zero report is signed). */
  signature?: { issuer: string; date: string };
}

/** What a section ends with: the element the signature stays with when the section is the last. */
export function lastElement(s: ReportSection): 'paragraph' | 'table' | 'chart' | null {
  return s.chart ? 'chart' : s.table ? 'table' : s.paragraphs.length ? 'paragraph' : null;
}
