/** Words of asking; 请 inside 申请/邀请 is not a request to the office. */
const REQUEST = /(?<![申邀提])请|要求|希望|恳请|盼望|呼吁|督促|尽快/;
export const SUMMARY_MAX = 60;

/** One line saying what the letter asks for: its first sentence of request, at most 60 characters. */
export function summarize(body: string): string | undefined {
  const sentences = body.split(/(?<=[。！？!?；;])/).map((s) => s.trim()).filter((s) => s.length >= 4);
  const chosen = sentences.find((s) => REQUEST.test(s)) ?? sentences[0];
  if (!chosen) return undefined;
  const clean = chosen.replace(/[。！？!?；;]+$/, '');
  return [...clean].length <= SUMMARY_MAX ? clean : `${[...clean].slice(0, SUMMARY_MAX - 1).join('')}…`;
}
