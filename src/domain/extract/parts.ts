/**
 * A letter's text in its parts: salutation, body, and the closing block (此致/敬礼, signature,
 * contact lines, date). Fields are looked for where a clerk would look for them.
 */
export interface LetterParts {
  lines: string[];
  body: string;
  closing: string[];
}

const SALUTATION = /^(尊敬的|敬爱的|亲爱的)?.{0,16}(领导|同志|居委会|社区|办事处|政府|书记|主任|信访办)[^，。]{0,6}[：:]$/;
const CLOSING_START = /^(此致|敬礼|来信人|联系人|联名人|签名|落款|署名|住址|地址|联系电话|电话|手机|身份证)/;
const SIGNATURE_LINE = /^(\p{Script=Han}{2,4}|.{0,4}\d{4}\s*年.{1,3}月.{1,3}[日号]|[〇零○一二三四五六七八九]{4}年.{1,3}月.{1,4}[日号])$/u;
const TITLE = /^(联名信|来信|信访信|举报信|投诉信|反映信|情况反映|申诉书|求助信)$/;

export function splitLetter(text: string): LetterParts {
  const lines = text.split(/\n+/).map((l) => l.trim()).filter(Boolean);
  let start = 0;
  while (start < lines.length && start < 3 && (TITLE.test(lines[start]!) || SALUTATION.test(lines[start]!))) start++;
  let end = lines.length;
  for (let i = start; i < lines.length; i++) {
    if (CLOSING_START.test(lines[i]!)) {
      end = i;
      break;
    }
  }
  // A signature without labels: a lone name and a date closing the letter.
  while (end > start + 1 && SIGNATURE_LINE.test(lines[end - 1]!)) end--;
  return { lines, body: lines.slice(start, end).join(''), closing: lines.slice(end) };
}
