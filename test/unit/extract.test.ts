import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/adapters/settings/settings-file.js';
import { extractRules } from '../../src/domain/settings.js';
import { findDates } from '../../src/domain/extract/dates.js';
import { isValidIdNumber, maskIdNumber, maskPhone } from '../../src/domain/extract/id-number.js';
import { extractFields } from '../../src/domain/extract/letter-fields.js';
import { similarity } from '../../src/domain/extract/text.js';
import { repoRoot, truth } from '../helpers/workspace.js';

const rules = extractRules(loadSettings(path.join(repoRoot, 'pipeline', 'settings.yaml')));

describe('reading the sample letters like a clerk (from their true text)', () => {
  it.each(['S01', 'S02', 'S03', 'S04'])('%s: every field in truth/', (id) => {
    const t = truth(id);
    const { fields } = extractFields(t.pages.join('\n'), rules);
    expect(fields.name).toBe(t.fields.name);
    expect(fields.phone).toBe(t.fields.phone);
    expect(fields.idNumber).toBe(t.fields.idNumber ?? null);
    expect(fields.address).toBe(t.fields.address ?? null);
    expect(fields.letterDate).toBe(t.fields.date);
    expect(fields.category).toBe(t.category);
    expect(fields.signatories).toBe(t.signatories);
    expect([...(fields.summary ?? '')].length).toBeLessThanOrEqual(60);
    expect(fields.summary).toMatch(/请/);
  });
});

describe('fields', () => {
  const letter = (closing: string, body = '我家楼上漏水，请社区帮忙协调解决。') => extractFields(`社区居委会：\n${body}\n此致\n敬礼！\n${closing}`, rules);

  it('reads dates in Arabic and Chinese numerals', () => {
    expect(findDates('二〇二六年十一月三日').map((d) => d.date)).toEqual(['2026-11-03']);
    expect(findDates('2026年11月3日').map((d) => d.date)).toEqual(['2026-11-03']);
    expect(findDates('二〇二五年十二月三十一日；2026年2月30日').map((d) => d.date)).toEqual(['2025-12-31']);
    expect(letter('来信人：王秀兰\n二〇二六年十一月三日').fields.letterDate).toBe('2026-11-03');
  });

  it('reads landlines with their area code and full-width digits', () => {
    expect(letter('来信人：王秀兰\n电话：010-62345678').fields.phone).toBe('010-62345678');
    expect(letter('来信人：王秀兰\n联系电话：０１０６２３４５６７８').fields.phone).toBe('010-62345678');
    expect(letter('来信人：王秀兰\n手机：139 1234 5678').fields.phone).toBe('13912345678');
  });

  it('checks ID numbers and keeps a wrong one as written, flagged', () => {
    expect(isValidIdNumber('110108198801011235')).toBe(true);
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    const wrong = letter('来信人：王秀兰\n身份证号：110108198801011236');
    expect(wrong.fields.idNumber).toBe('110108198801011236');
    expect(wrong.flags).toContain('id-checksum');
    expect(maskIdNumber('110108198801011235')).toBe('110108********1235');
    expect(maskPhone('13661234567')).toBe('136****4567');
  });

  it('marks what it inferred as inferred, never as read from a label', () => {
    const r = extractFields('尊敬的社区领导：\n我是幸福家园3号楼的居民，楼下烧烤店油烟很大，请尽快处理。\n王秀兰\n2026年11月3日', rules);
    expect(r.fields.name).toBe('王秀兰');
    expect(r.sources.name).toBe('inferred');
    expect(r.fields.address).toBe('幸福家园3号楼');
    expect(r.sources.address).toBe('inferred');
    expect(r.fields.category).toBe('环境保护');
  });

  it('leaves missing fields empty rather than guessing', () => {
    const r = extractFields('请社区管一管。', rules);
    expect(r.fields).toMatchObject({ name: null, phone: null, idNumber: null, address: null, letterDate: null });
    expect(r.fields.category).toBe('其他');
  });

  it('flags group petitions and words of danger', () => {
    const names = '林永强、高淑芬、谢文斌、罗小梅、曹建军';
    const r = letter(`联名人：${names}\n联系人：林永强`, '物业再不解决，我们就集体上访，去北京。');
    expect(r.fields.signatories).toBe(5);
    expect(r.flags).toEqual(expect.arrayContaining(['group', 'urgent']));
    expect(r.urgentWords).toEqual(expect.arrayContaining(['集体上访', '去北京']));
  });

  it('tells the handling type from the wording', () => {
    expect(letter('来信人：王秀兰', '我要举报社区工作人员吃拿卡要。').fields.handlingType).toBe('检举控告类');
    expect(letter('来信人：王秀兰', '建议在小区门口增设公交站。').fields.handlingType).toBe('建议意见类');
    expect(letter('来信人：王秀兰').fields.handlingType).toBe('申诉求决类');
  });

  it('measures how nearly two letters say the same', () => {
    expect(similarity('楼下烧烤店油烟噪音扰民，请社区处理', '楼下烧烤店的油烟和噪音扰民，请社区尽快处理')).toBeGreaterThan(0.5);
    expect(similarity('楼下烧烤店油烟噪音扰民', '单位没有缴纳社会保险')).toBeLessThan(0.1);
  });
});

describe('letters in other hands than the samples', () => {
  it('a joint letter signed on one line, with the contact and phone together', () => {
    const r = extractFields(
      '联名信\n社区领导：\n我们是朝阳花园6号楼的业主，小区电梯经常停运，物业维修不及时。\n请社区督促物业公司尽快维修电梯。\n签名：赵立新 钱红梅 孙志刚 李秀英 周建华 吴晓东 郑国庆\n联系人：赵立新 13700001111\n2026年10月28日',
      rules,
    );
    expect(r.fields).toMatchObject({ name: '赵立新', phone: '13700001111', address: '朝阳花园6号楼', signatories: 7, category: '物业管理', letterDate: '2026-10-28' });
    expect(r.flags).toContain('group');
  });

  it('a letter asking for help with an application, signed with a bare name', () => {
    const r = extractFields('尊敬的街道领导：\n本人李桂英，今年七十二岁，申请低保已经半年没有消息。恳请社区帮助了解办理进度。\n李桂英\n手机：15811112222\n2026年11月1日', rules);
    expect(r.fields).toMatchObject({ name: '李桂英', phone: '15811112222', category: '民政救助', summary: '恳请社区帮助了解办理进度' });
  });

  it('a report against an official, with a landline and an ID number ending in X', () => {
    const r = extractFields('社区纪委：\n我要举报网格员在发放补贴时吃拿卡要。请组织调查处理。\n反映人：陈志强  电话：010-84561234  身份证号：11010519491231002X\n2026年9月30日', rules);
    expect(r.fields).toMatchObject({ name: '陈志强', phone: '010-84561234', idNumber: '11010519491231002X', handlingType: '检举控告类' });
    expect(r.flags).not.toContain('id-checksum');
  });
});

describe('fields a line end broke', () => {
  const read = (text: string) => extractFields(text, rules);
  const letter = (closing: string) => `尊敬的社区领导：\n小区东门外的人行道被临时工棚占用了近半年，请协调拆除。\n此致\n敬礼！\n${closing}`;

  it('counts every name of a joint letter whose list wraps, a name cut in two included', () => {
    const twelve = '联名人：王秀兰、李建国、张桂英、刘德明、陈淑珍、杨志强、黄\n丽华、赵国庆、周玉梅、吴建华、孙丽娟、马德胜\n住址：南湖小区4号楼';
    expect(read(letter(twelve)).fields.signatories).toBe(12);
    const byLine = '联名人：王秀兰、李建国\n张桂英、刘德明\n陈淑珍\n2026年11月3日';
    expect(read(letter(byLine)).fields.signatories).toBe(5);
    // The letter's own signature after the list is not a signer of it twice, and a closing is no name.
    expect(read(`尊敬的社区领导：\n请修路灯。\n联名人：王秀兰、李建国\n此致\n敬礼`).fields.signatories).toBe(2);
  });

  it('reads a phone number and an address the line end broke, whole', () => {
    const r = read(letter('来信人：郑丽华\n联系电话：1366123\n4567\n住址：南湖小区4号楼\n1单元302室\n2026年9月14日'));
    expect(r.fields.phone).toBe('13661234567');
    expect(r.fields.address).toBe('南湖小区4号楼1单元302室');
    // A whole number followed by a date on the next line is not run together with it.
    expect(read(letter('来信人：郑丽华\n联系电话：13661234567\n2026年9月14日')).fields.phone).toBe('13661234567');
    expect(read(letter('住址：南湖小区4号楼1单元302室\n2026年9月14日')).fields.address).toBe('南湖小区4号楼1单元302室');
  });
});
