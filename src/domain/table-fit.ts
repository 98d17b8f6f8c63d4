/**
 * Column widths from a table's contents: values that must stay on one line (dates, numbers,
 * names) get a column at least as wide as the widest of them, measured with the font; the other
 * columns share what is left and never narrow below their widest unbreakable piece.
 */

export interface FitColumn {
  title: string;
  /** Every value of the column stays on one line (8-digit dates, 序号, 文号, 档号, phone and ID numbers). */
  keep?: boolean;
  /** A wrapping column keeps values of at most this many characters on one line (a 2- or 3-character name). */
  keepUpTo?: number;
  /** The column's part of the width left to the wrapping columns; the largest also takes what the others leave. */
  share?: number;
  /**
   * A kept column that, when the table cannot hold it whole with room for the title, may break
   * after this character only (档号 after its '-': Z109-XF·2026-D30- / ABC-0007), never elsewhere.
   */
  breakAfter?: string;
}

/** The width of a text set in a face at a size, in the unit of the table's width. */
export type MeasureText = (text: string, face: 'body' | 'heading', size: number) => number;

export interface FitOptions {
  width: number;
  /** The type sizes to try, largest first; the smallest is used when none fits better. */
  sizes: readonly number[];
  /** Padding inside a cell, each side. */
  pad: number;
  /** The widest-share column should show at least this many characters a line before a smaller size is tried. */
  minFillChars: number;
  /** Below this many at the smallest size, the breakAfter columns may break (minFillChars unless given). */
  breakBelowChars?: number;
}

export interface FittedTable {
  size: number;
  widths: number[];
  /** False when even the smallest size cannot give every kept value its line. */
  fits: boolean;
}

/** Rounding in the line breaker must never push a value that just fits onto a second line. */
const SLACK = 1;

/**
 * The pieces a line breaker may not split: runs of letters, digits and their punctuation (a
 * date, a phone number, 2026-11-03), each Chinese character on its own with the punctuation that
 * may not begin or end a line attached.
 */
export function unbreakablePieces(text: string): string[] {
  return text.match(/[〔（《“‘]*(?:[\p{Script=Han}〇]|[^\s\p{Script=Han}〇〔〕（）《》“”‘’，。；：、！？]+)[〕）》”’，。；：、！？]*/gu) ?? [];
}

/** What a column's values need, in ems of the body face (widths scale with the type size). */
export interface ColumnNeeds {
  /** The widest value on one line (for a wrapping column, the sum of its pieces: what it could use). */
  whole: number;
  /** The widest value kept whole: every value of a kept column, the short ones of a keepUpTo column. */
  kept: number;
  /** The widest piece no line break may split. */
  piece: number;
}

/**
 * Gathers what each column's values need, a row at a time, so a book of ten thousand rows is
 * measured as it streams past and never held whole.
 */
export function columnNeeds(columns: readonly FitColumn[], measure: MeasureText, options: { byShape?: boolean } = {}): { add(cells: readonly string[]): void; needs: ColumnNeeds[] } {
  const needs = columns.map(() => ({ whole: 0, kept: 0, piece: 0 }));
  const em = (t: string) => measure(t, 'body', 1);
  // byShape: measured with every figure as the widest one, a value stands for all of its shape
  // (every phone number, every date), so ten thousand rows need a few hundred measurements, and
  // the width found is never less than the value's own (a little more in a face with
  // proportional figures). Otherwise each value is measured as it is.
  const widestDigit = [...'0123456789'].reduce((a, d) => (em(d) > em(a) ? d : a), '0');
  const widths = new Map<string, number>();
  const width = (t: string) => {
    const shape = options.byShape ? t.replace(/[0-9]/g, widestDigit) : t;
    return widths.get(shape) ?? widths.set(shape, em(shape)).get(shape)!;
  };
  const space = em(' ');
  return {
    needs,
    add(cells) {
      columns.forEach((c, i) => {
        const text = cells[i] ?? '';
        if (!text) return;
        const n = needs[i]!;
        if (c.keep || (c.keepUpTo !== undefined && [...text].length <= c.keepUpTo)) {
          const whole = width(text);
          n.kept = Math.max(n.kept, whole);
          n.whole = Math.max(n.whole, whole);
          if (c.breakAfter) for (const part of splitAfter(text, c.breakAfter)) n.piece = Math.max(n.piece, width(part));
          if (c.keep) return;
        }
        // A long text is never measured whole: its pieces (mostly single characters) are, once each.
        let sum = (text.match(/\s/g)?.length ?? 0) * space;
        for (const piece of unbreakablePieces(text)) {
          const w = width(piece);
          n.piece = Math.max(n.piece, w);
          sum += w;
        }
        n.whole = Math.max(n.whole, sum);
      });
    },
  };
}

/** Column widths and type size for a table whose rows are all at hand. */
export function fitTable(columns: readonly FitColumn[], rows: readonly (readonly string[])[], measure: MeasureText, options: FitOptions): FittedTable {
  const gathered = columnNeeds(columns, measure);
  for (const row of rows) gathered.add(row);
  return fitColumns(columns, gathered.needs, measure, options);
}

export function fitColumns(columns: readonly FitColumn[], needs: readonly ColumnNeeds[], measure: MeasureText, options: FitOptions): FittedTable {
  let last: (FittedTable & { fillChars: number }) | undefined;
  for (const size of options.sizes) {
    last = fitAt(columns, needs, measure, options, size);
    if (last.fits && last.fillChars >= options.minFillChars) return { size, widths: last.widths, fits: true };
  }
  // Still too narrow a title: the columns that may break at their separators share the width too.
  const enough = last!.fits && last!.fillChars >= (options.breakBelowChars ?? options.minFillChars);
  if (enough || !columns.some((c) => c.breakAfter)) return { size: last!.size, widths: last!.widths, fits: last!.fits };
  const relaxed = columns.map((c) => (c.breakAfter ? { ...c, keep: false, share: c.share ?? 1 } : c));
  let best = last!;
  for (const size of options.sizes) {
    const tried = fitAt(relaxed, needs, measure, options, size);
    if (tried.fits && tried.fillChars >= options.minFillChars) return { size, widths: tried.widths, fits: true };
    if (tried.fits) best = tried;
  }
  return { size: best.size, widths: best.widths, fits: best.fits };
}

/** Z109-XF·2026-D30-0007 → Z109-, XF·2026-, D30-, 0007: where a reference may be broken. */
export function splitAfter(text: string, mark: string): string[] {
  return text.split(mark).map((part, i, all) => (i < all.length - 1 ? part + mark : part)).filter(Boolean);
}

/** A value that may break only after its separators, set as lines that fit the room, each as full as it can be. */
export function linesAfter(text: string, mark: string, room: number, width: (text: string) => number): string[] {
  if (width(text) <= room) return [text];
  const lines: string[] = [];
  for (const part of splitAfter(text, mark)) {
    const last = lines.at(-1);
    if (last !== undefined && width(last + part) <= room) lines[lines.length - 1] = last + part;
    else lines.push(part);
  }
  return lines;
}

function fitAt(columns: readonly FitColumn[], needs: readonly ColumnNeeds[], measure: MeasureText, o: FitOptions, size: number): FittedTable & { fillChars: number } {
  const cell = (w: number) => w + 2 * o.pad + SLACK;
  // A header of four characters or more of a wrapping column may take two lines (see headerLines); others stay whole.
  const headerMin = (c: FitColumn) => {
    const chars = [...c.title];
    return c.keep || chars.length < 4 ? measure(c.title, 'heading', size) : measure(chars.slice(0, Math.ceil(chars.length / 2)).join(''), 'heading', size);
  };
  // A relaxed breakAfter column (no longer kept, no keepUpTo) needs only its widest separated part.
  const kept = (c: FitColumn, n: ColumnNeeds) => (c.keep || c.keepUpTo !== undefined ? n.kept : 0);
  const min = columns.map((c, i) => cell(Math.max(headerMin(c), kept(c, needs[i]!) * size, needs[i]!.piece * size)));
  // A wrapping column needs no more than its widest value on one line (and its header).
  const max = columns.map((c, i) => (c.keep ? min[i]! : Math.max(min[i]!, cell(Math.max(measure(c.title, 'heading', size), needs[i]!.whole * size)))));
  const widths = columns.map((c, i) => (c.keep ? min[i]! : 0));
  const flexible = columns.map((c, i) => (c.keep ? -1 : i)).filter((i) => i >= 0);
  const fill = flexible.reduce((a, i) => ((columns[i]!.share ?? 1) > (columns[a]!.share ?? 1) ? i : a), flexible[0] ?? -1);
  let left = o.width - widths.reduce((a, w) => a + w, 0);
  // Shares of what is left, each column held between its minimum and what it can use.
  let open = [...flexible];
  for (let changed = true; changed && open.length; ) {
    changed = false;
    const shares = open.reduce((a, i) => a + (columns[i]!.share ?? 1), 0);
    for (const i of open) {
      const part = (left * (columns[i]!.share ?? 1)) / shares;
      const bound = part < min[i]! ? min[i]! : part > max[i]! && i !== fill ? max[i]! : null;
      if (bound === null) continue;
      widths[i] = bound;
      left -= bound;
      open = open.filter((j) => j !== i);
      changed = true;
      break;
    }
  }
  const shares = open.reduce((a, i) => a + (columns[i]!.share ?? 1), 0);
  for (const i of open) widths[i] = (left * (columns[i]!.share ?? 1)) / shares;
  if (!open.includes(fill) && fill >= 0) widths[fill]! += Math.max(0, left - open.reduce((a, i) => a + widths[i]!, 0));
  const total = widths.reduce((a, w) => a + w, 0);
  const fits = total <= o.width + 0.01 && widths.every((w, i) => w + 0.01 >= min[i]!);
  // Too wide even at the minimum: scaled to the page, and the caller told it does not fit.
  const scaled = total > o.width ? widths.map((w) => (w * o.width) / total) : widths;
  const fillChars = fill >= 0 ? (scaled[fill]! - 2 * o.pad) / size : Infinity;
  return { size, widths: scaled, fits, fillChars };
}

/**
 * A column's header as its lines: whole when it fits, else split in two even halves (领导 / 批示),
 * never at whatever character the line breaker reaches first (领导批 / 示).
 */
export function headerLines(title: string, room: number, width: (text: string) => number): string[] {
  if (width(title) <= room) return [title];
  const chars = [...title];
  const half = Math.ceil(chars.length / 2);
  return [chars.slice(0, half).join(''), chars.slice(half).join('')];
}
