import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceAt } from '../../src/adapters/files/workspace.js';
import type { Case, CaseDetail } from '../../src/domain/case.js';
import { signedScan } from '../helpers/signed-sheet.js';
import { ingestInbox, makeWorkspace, officeAt, scan, type IngestedWorkspace } from '../helpers/workspace.js';

/** A case's printed instruction sheet, signed and scanned. */
async function signedScanOf(root: string, c: Case, turnDegrees = 1.2): Promise<Buffer> {
  return signedScan(readFileSync(workspaceAt(root).absolute(`${c.folder}/批办单.pdf`)), turnDegrees);
}

let root: string;
let inbox: string;
let first: CaseDetail;
let second: CaseDetail;
let foreignSheet: Buffer;
let signed: Buffer;
let run: IngestedWorkspace;

beforeAll(async () => {
  root = await makeWorkspace();
  const ws = workspaceAt(root);
  inbox = ws.inbox;
  // Registered by hand, each with its blank instruction sheet made at once.
  const office = await officeAt(root, { clock: () => new Date('2026-11-03T02:00:00Z'), background: 'none' });
  const register = (matter: string, name: string) => office.cases.register({ name: '系统' }, { channel: '来访', matter, fields: { name }, receivedAt: new Date('2026-11-03T01:00:00Z') });
  first = await register('楼下烧烤店油烟噪音扰民，请求责令整改。', '王秀兰');
  second = await register('小区电梯长期故障，请求督促物业维修。', '李建国');
  for (const c of [first, second]) expect(c.documents.filter((d) => d.kind === '批办单')).toHaveLength(2);
  await office.close();

  // A sheet from another office's registry names a case this one does not have.
  const other = await makeWorkspace();
  const otherOffice = await officeAt(other, { background: 'none' });
  let foreign: Case | undefined;
  for (let i = 0; i < 5; i++) foreign = await otherOffice.cases.register({ name: '系统' }, { channel: '来访', matter: '路灯不亮。', fields: {}, receivedAt: new Date('2026-11-03T01:00:00Z') });
  await otherOffice.close();
  foreignSheet = await signedScanOf(other, foreign!);

  signed = await signedScanOf(root, first);
  writeFileSync(path.join(inbox, '签批件.jpg'), signed);
  // A multi-page scan whose first page carries the code: the sheet, then an attachment.
  mkdirSync(path.join(inbox, '李建国批办单'));
  writeFileSync(path.join(inbox, '李建国批办单', '01.jpg'), await signedScanOf(root, second, -0.8));
  copyFileSync(scan('S02.jpg'), path.join(inbox, '李建国批办单', '02.jpg'));
  writeFileSync(path.join(inbox, '外单位批办单.jpg'), foreignSheet);
  // An ordinary letter in the same batch is still a new case.
  copyFileSync(scan('S01.jpg'), path.join(inbox, 'S01.jpg'));
  run = await ingestInbox(root);
}, 600_000);

afterAll(() => run?.close());

describe('the paper loop: our documents come back through the inbox', () => {
  it('files a signed instruction sheet to its case, not as a new letter, with its own OCR text', async () => {
    const result = run.results.find((r) => r.item === '签批件.jpg');
    expect(result).toMatchObject({ kind: 'filed', paperKind: '批办单', pages: 1 });
    const c = (await run.registry.findCase(first.number))!;
    const returned = c.documents.filter((d) => d.role === 'returned');
    expect(returned.map((d) => path.basename(d.path))).toEqual([expect.stringMatching(/^收回_批办单_[0-9a-f]{8}_签批件\.jpg$/), expect.stringMatching(/_可检索\.pdf$/)]);
    expect(returned[0]!.kind).toBe('批办单');
    const text = (returned[0]!.text ?? '').replace(/\s+/g, '');
    expect(text).toContain('信访事项批办单');
    expect(text).toContain(first.number);
    expect(text).toContain('王秀兰');
    expect(c.history[c.history.length - 1]).toMatchObject({ action: 'paper-filed', detail: expect.stringContaining('收回领导签批的批办单，扫描件“签批件.jpg”共 1 页') });
    // The bytes are kept exactly as scanned.
    expect(readFileSync(workspaceAt(root).absolute(returned[0]!.path)).equals(signed)).toBe(true);
  });

  it('files a multi-page scan whole when its first page carries the code', async () => {
    expect(run.results.find((r) => r.item === '李建国批办单')).toMatchObject({ kind: 'filed', paperKind: '批办单', pages: 2 });
    const c = (await run.registry.findCase(second.number))!;
    const originals = c.documents.filter((d) => d.role === 'returned' && !d.path.endsWith('.pdf'));
    expect(originals).toHaveLength(2);
    expect(c.documents.find((d) => d.role === 'returned' && d.path.endsWith('_可检索.pdf'))!.pages).toBe(2);
  });

  it('sets aside a scan whose code names no case of this registry, with the reason beside it', async () => {
    const result = run.results.find((r) => r.item === '外单位批办单.jpg');
    expect(result).toMatchObject({ kind: 'set-aside', problem: { code: 'unknown-paper-case' } });
    const setAside = path.join(inbox, '未能登记');
    expect(readdirSync(setAside)).toContain('外单位批办单.jpg');
    expect(readFileSync(path.join(setAside, '外单位批办单.jpg')).equals(foreignSheet)).toBe(true);
    expect(readFileSync(path.join(setAside, '外单位批办单.jpg.原因.txt'), 'utf8')).toContain('二维码指向案件“八宝信〔2026〕5号”');
  });

  it('still registers an ordinary letter, numbered after the typed cases, and clears the inbox of what it took', async () => {
    const letter = run.results.find((r) => r.item === 'S01.jpg');
    expect(letter).toMatchObject({ kind: 'registered' });
    expect((await run.registry.listCases()).map((c) => c.number)).toEqual(['八宝信〔2026〕1号', '八宝信〔2026〕2号', '八宝信〔2026〕3号']);
    expect(readdirSync(inbox).sort()).toEqual(['未能登记']);
    // Every registered letter gets its blank instruction sheet, ready to print for the leader.
    const sheets = (await run.registry.findCase('八宝信〔2026〕3号'))!.documents.filter((d) => d.role === 'issued' && d.kind === '批办单');
    expect(sheets.map((d) => path.basename(d.path)).sort()).toEqual(['批办单.docx', '批办单.pdf']);
  });

  it('sets the same signed sheet dropped again aside as a duplicate naming the case', async () => {
    const c = (await run.registry.findCase(first.number))!;
    const kept = c.documents.find((d) => d.role === 'returned' && d.path.endsWith('.jpg'))!;
    copyFileSync(workspaceAt(root).absolute(kept.path), path.join(inbox, '再次扫描.jpg'));
    await run.close();
    run = await ingestInbox(root);
    expect(run.results).toMatchObject([{ kind: 'duplicate', item: '再次扫描.jpg' }]);
    expect(readFileSync(path.join(inbox, '未能登记', '再次扫描.jpg.原因.txt'), 'utf8')).toContain(`与已归入 ${first.number} 的收回文书完全相同`);
    expect((await run.registry.findCase(first.number))!.history.filter((h) => h.action === 'paper-filed')).toHaveLength(1);
  }, 120_000);

  it('clears from the inbox a paper filed just before a stop, without filing it twice', async () => {
    // The state a kill leaves between the commit and the inbox clean-up: filed, and still in the inbox.
    const c = (await run.registry.findCase(first.number))!;
    const kept = c.documents.find((d) => d.role === 'returned' && d.path.endsWith('.jpg'))!;
    copyFileSync(workspaceAt(root).absolute(kept.path), path.join(inbox, '签批件.jpg'));
    await run.close();
    run = await ingestInbox(root);
    expect(run.results).toMatchObject([{ kind: 'taken-elsewhere', item: '签批件.jpg' }]);
    expect(readdirSync(inbox)).not.toContain('签批件.jpg');
    expect((await run.registry.findCase(first.number))!.history.filter((h) => h.action === 'paper-filed')).toHaveLength(1);
  }, 120_000);
});
