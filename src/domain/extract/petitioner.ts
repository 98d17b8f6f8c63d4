import { isValidIdNumber } from './id-number.js';
import type { LetterParts } from './parts.js';

import type { FieldSource } from '../fields.js';

export interface Found<T> {
  value: T;
  source: FieldSource;
}

const NAME_LABELS = ['联系人', '来信人', '信访人', '反映人', '写信人', '具名人', '署名', '落款', '姓名'];
const HAN_NAME = '[\\p{Script=Han}·]{2,4}';

/** The petitioner's name: after a signature label (a joint letter's 联系人 first), else from the wording. */
export function findName(parts: LetterParts): Found<string> | undefined {
  const text = parts.lines.join('\n');
  for (const label of NAME_LABELS) {
    const m = new RegExp(`${label}[：:\\s]*(${HAN_NAME})(?=$|[\\s，,。（(、]|\\n)`, 'mu').exec(text);
    if (m) return { value: m[1]!, source: 'labelled' };
  }
  const said = /(?:我(?:是|叫)|本人)(?:[^，。]{0,20}?(?:住户|居民|村民|业主|职工|退休职工))?(\p{Script=Han}{2,3})[，。,]/u.exec(parts.body);
  if (said && isLikelyName(said[1]!)) return { value: said[1]!, source: 'inferred' };
  const signature = parts.closing.find((line) => /^\p{Script=Han}{2,3}$/u.test(line) && isLikelyName(line));
  if (signature) return { value: signature, source: 'inferred' };
  return undefined;
}

/** Mobile numbers (11 digits from 13–19) and landlines with their area code, as written. */
export function findPhone(parts: LetterParts): Found<string> | undefined {
  const text = parts.lines.join('\n');
  const label = /(?:联系电话|电话号码|联系方式|手机号码|手机|电话)[：: \t]*(?=[0-9０-９])/u.exec(text);
  if (label) {
    const after = text.slice(label.index + label[0].length);
    const [first = '', second = ''] = after.split('\n');
    const digits = (line: string) => /^[0-9０-９][0-9０-９\-－— \t]*/u.exec(line)?.[0] ?? '';
    // The number as written on its line; if that is not a whole number, the line end broke it: read on.
    const phone = normalisePhone(digits(first)) ?? (digits(first).length < 11 ? normalisePhone(digits(first) + digits(second)) : undefined);
    if (phone) return { value: phone, source: 'labelled' };
  }
  const mobile = /(?<!\d)1[3-9]\d{9}(?!\d)/.exec(text);
  if (mobile) return { value: mobile[0], source: 'inferred' };
  const landline = /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/.exec(text);
  if (landline) return { value: landline[0], source: 'inferred' };
  return undefined;
}

/** A phone number as the register keeps it: 13912345678 or 010-62345678; undefined if it is neither. */
export function normalisePhone(raw: string): string | undefined {
  const ascii = raw.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[－—]/g, '-').replace(/\s/g, '');
  if (/^1[3-9]\d{9}$/.test(ascii)) return ascii;
  const landline = /^(0\d{2,3})-(\d{7,8})$/.exec(ascii);
  if (landline) return `${landline[1]}-${landline[2]}`;
  // Written without a dash: area codes of 01x and 02x have three digits, all others four.
  const joined = /^(0[12]\d|0[3-9]\d{2})(\d{7,8})$/.exec(ascii);
  if (joined) return `${joined[1]}-${joined[2]}`;
  return undefined;
}

export interface FoundId extends Found<string> {
  valid: boolean;
}

/** An 18-character ID number; one with a wrong check digit is kept as written and marked. */
export function findIdNumber(parts: LetterParts): FoundId | undefined {
  const text = parts.lines.join('\n').replace(/x/g, 'X');
  const labelled = /身份证(?:号码|号)?[：:\s]*(\d{17}[\dX])(?![\dX])/.exec(text);
  const bare = /(?<![\dX])\d{17}[\dX](?![\dX])/.exec(text);
  const value = labelled?.[1] ?? bare?.[0];
  if (!value) return undefined;
  return { value, source: labelled ? 'labelled' : 'inferred', valid: isValidIdNumber(value) };
}

const LEADING_WORDS = /^(?:反映|关于|投诉|举报|我是|我住在|我家住在|住在|家住|居住在|位于|我们|我|是|的)+/u;
const PLACE = '(?:小区|花园|家园|新村|公寓|大院|宿舍|苑|村|胡同|里(?=\\d))';

/** The address after its label; else the first residential place the letter names (a guess). */
export function findAddress(parts: LetterParts): Found<string> | undefined {
  const text = parts.lines.join('\n');
  const labelled = /(?:家庭住址|现住址|居住地址|住址|地址)[：:\s]*([^\n]{2,60})(?:\n([^\n]{1,20}))?/.exec(text);
  if (labelled) {
    let value = labelled[1]!.trim();
    // An address the line end broke: the next line carries on with the building, unit or room, and no label.
    const next = labelled[2]?.trim();
    if (next && !/[：:]/.test(next) && ADDRESS_TAIL.test(next) && !/[室号]$/.test(value)) value += next;
    return { value: value.replace(/[。，,]$/, ''), source: 'labelled' };
  }
  const mention = new RegExp(`(?:^|[，。；、：\\s]|我是|我住在|住在|家住|居住在|位于|我们)(\\p{Script=Han}{2,6}?${PLACE}(?:\\d+号楼)?(?:\\d+单元)?(?:\\d+号)?(?:\\d+室)?)`, 'u').exec(parts.body);
  if (mention) return { value: mention[1]!.replace(LEADING_WORDS, ''), source: 'inferred' };
  return undefined;
}

/** The rest of an address on the next line: numbers of a building, unit, floor or room. */
const ADDRESS_TAIL = /^(?:[0-9０-９一二三四五六七八九十]+(?:号楼|号院|号|单元|室|楼|层|栋|幢|门)|单元|室|号楼|号)[0-9０-９号楼单元室层栋幢门-]*$/u;

/** How many signed: the names listed after 联名人/签名 in a joint letter, read on over line ends, else one. */
export function countSignatories(parts: LetterParts): Found<number> {
  const at = parts.lines.findIndex((l) => /(?:联名人|签名人|联名|签名)[：:]/.test(l));
  if (at >= 0) {
    let list = parts.lines[at]!.replace(/^.*?(?:联名人|签名人|联名|签名)[：:]\s*/, '');
    for (const line of parts.lines.slice(at + 1)) {
      // Only lines of names carry the list on; a label (住址：, 电话：) or a date ends it.
      if (/[：:]/.test(line) || /\d/.test(line) || /^(?:此致|敬礼|特此|落款)/.test(line) || !/^[\p{Script=Han}·、，,；;\s]+$/u.test(line)) break;
      const tokens = line.split(/[、，,；;\s]+/).filter(Boolean);
      // Past the first (which may end a name begun above), every word must be a name.
      if (!tokens.slice(1).every((t) => isLikelyName(t) || t.length < 2)) break;
      const lastToken = list.split(/[、，,；;\s]+/).at(-1) ?? '';
      const firstToken = tokens[0] ?? '';
      // A name the line end cut in two is joined; two whole names meet with a separator.
      const whole = /[、，,；;\s]$/.test(list) || /^[、，,；;\s]/.test(line) || (isLikelyName(lastToken) && isLikelyName(firstToken)) || lastToken.length + firstToken.length > 4;
      list += (whole ? '、' : '') + line;
    }
    const names = list.split(/[、，,；;\s]+/).filter((n) => /^[\p{Script=Han}·]{2,4}$/u.test(n));
    if (names.length > 0) return { value: names.length, source: 'labelled' };
  }
  return { value: 1, source: 'inferred' };
}

/** Common surnames, so that an inferred "name" is a name and not two stray words. */
const SURNAMES = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'.split(''),
);

export function isLikelyName(text: string): boolean {
  return /^\p{Script=Han}{2,4}$/u.test(text) && SURNAMES.has(text[0]!);
}
