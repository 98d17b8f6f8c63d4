/**
 * The time as the program sees it. XINFANG_NOW (an ISO time) fixes it, so tests and training
 * runs can walk cases through weeks of deadlines; unset, it is the real time.
 */
export function systemClock(): Date {
  const fixed = process.env.XINFANG_NOW;
  if (!fixed) return new Date();
  const at = new Date(fixed);
  if (Number.isNaN(at.getTime())) throw new Error(`XINFANG_NOW is not a time: ${fixed}`);
  return at;
}
