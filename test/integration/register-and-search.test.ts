import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

const json = (root: string, ...args: string[]) => JSON.parse(runCli(['--root', root, '--json', ...args]).stdout);

describe('petitions without a scan, corrections, review and search', () => {
  it('registers visits, calls and transfers in the letters\' sequence, with the transfer recorded', async () => {
    const root = await makeWorkspace();
    const visit = runCli(['--root', root, 'register', '--channel', '来访', '--name', '王秀兰', '--phone', '13900000001', '--matter', '楼下烧烤店油烟噪音扰民，老人无法休息。']);
    expect(visit.status, visit.stderr).toBe(0);
    expect(visit.stdout).toContain('已登记 八宝信〔2026〕1号（来访）');
    const transfer = json(root, 'register', '--channel', '转办', '--matter', '反映物业不清运垃圾', '--from-office', '区信访办', '--from-number', '区信转〔2026〕15号', '--received', '2026-11-03 09:30');
    expect(transfer).toMatchObject({ number: '八宝信〔2026〕2号', channel: '转办', transfer: { office: '区信访办', number: '区信转〔2026〕15号' }, category: '物业管理', letterDate: '2026-11-03' });
    const call = json(root, 'register', '--channel', '电话', '--name', '王秀兰', '--phone', '13900000001', '--matter', '烧烤店还在营业，再不管我就去北京上访');
    expect(call.repeatOf).toBe('八宝信〔2026〕1号');
    expect(call.personLetters).toBe(2);
    expect(call.flags.slice(0, 2)).toEqual(['urgent', 'repeat']);
    expect(call.urgentWords).toContain('去北京');
    expect(runCli(['--root', root, 'cases']).stdout.split('\n')[1]).toMatch(/^【紧急】【重信重访】八宝信〔2026〕3号/);
  });

  it('refuses bad registrations with a Chinese message and exit code 2, recording nothing', async () => {
    const root = await makeWorkspace();
    const noOffice = runCli(['--root', root, 'register', '--channel', '转办', '--matter', '反映问题']);
    expect(noOffice.status).toBe(2);
    expect(noOffice.stderr).toContain('--from-office');
    const badChannel = runCli(['--root', root, 'register', '--channel', '微信', '--matter', '反映问题']);
    expect(badChannel.status).toBe(2);
    expect(badChannel.stderr).toContain('来访');
    const badPhone = runCli(['--root', root, 'register', '--channel', '来访', '--matter', '反映问题', '--phone', '12345']);
    expect(badPhone.status).toBe(2);
    expect(badPhone.stderr).toContain('联系电话');
    expect(json(root, 'cases')).toEqual([]);
  });

  it('records corrections with who and when, and keeps them through a new automatic pass', async () => {
    const root = await makeWorkspace();
    runCli(['--root', root, 'register', '--channel', '来访', '--matter', '我是幸福家园3号楼的居民，楼上漏水，请社区协调。']);
    const edited = runCli(['--root', root, 'edit', '1', '--name', '王秀兰', '--category', '城乡建设', '--id-number', '110108198801011236', '--by', '李文']);
    expect(edited.status, edited.stderr).toBe(0);
    const badCategory = runCli(['--root', root, 'edit', '1', '--category', '天气']);
    expect(badCategory.status).toBe(2);
    expect(badCategory.stderr).toContain('城乡建设');
    expect(runCli(['--root', root, 'extract', '1']).status).toBe(0);
    const shown = json(root, 'show', '1');
    expect(shown.petitioner.name).toBe('王秀兰');
    expect(shown.petitioner.address).toBe('幸福家园3号楼');
    expect(shown.category).toBe('城乡建设');
    expect(shown.fieldSources).toMatchObject({ name: 'clerk', category: 'clerk', address: 'inferred' });
    expect(shown.flags).toContain('id-checksum');
    expect(shown.edits.map((e: { field: string; by: string }) => [e.field, e.by])).toEqual([
      ['name', '李文'],
      ['idNumber', '李文'],
      ['category', '李文'],
    ]);
    const text = runCli(['--root', root, 'show', '1']).stdout;
    expect(text).toContain('信访人：王秀兰（已人工核对）');
    expect(text).toContain('住址：幸福家园3号楼（推测，请核对）');
    expect(text).toMatch(/人工更正：.* 李文 将信访人由“空”改为“王秀兰”/);
    expect(json(root, 'review').map((r: { number: string; reasons: string[] }) => [r.number, r.reasons])).toEqual([['八宝信〔2026〕1号', ['id-checksum']]]);
  });

  it('keeps one line per case in the list, says a walk-in left no name, and dates a petition as its text does', async () => {
    const root = await makeWorkspace();
    const r = runCli(['--root', root, 'register', '--channel', '来访', '--matter', '楼上漏水，请社区协调。', '--summary', '楼上漏水\n天花板渗水', '--received', '2026-11-05 09:30']);
    expect(r.status, r.stderr).toBe(0);
    const list = runCli(['--root', root, 'cases']).stdout.trim().split('\n');
    expect(list).toHaveLength(2);
    expect(list[1]).toContain('（未留姓名）');
    expect(list[1]).toContain('楼上漏水 天花板渗水');
    // No date in the matter: the day it came in, marked as such, not as the clerk's.
    const visit = json(root, 'show', '1');
    expect(visit.letterDate).toBe('2026-11-05');
    expect(visit.fieldSources.letterDate).toBe('dated');
    expect(runCli(['--root', root, 'show', '1']).stdout).toContain('2026年11月5日（按登记当天）');
    // A date the matter gives is the letter's date, as read.
    runCli(['--root', root, 'register', '--channel', '转办', '--from-office', '区信访局', '--from-number', '区信转〔2026〕12号', '--matter', '反映小区电梯故障问题。\n来信人：李建国\n2026年10月28日', '--received', '2026-11-05 10:00']);
    const transferred = json(root, 'show', '2');
    expect(transferred.letterDate).toBe('2026-10-28');
    expect(transferred.fieldSources.letterDate).not.toBe('clerk');
  });

  it('lets the clerk finish a review: --checked, or filling every missing field, empties the queue', async () => {
    const root = await makeWorkspace();
    runCli(['--root', root, 'register', '--channel', '来访', '--matter', '楼上漏水，请社区协调。']);
    runCli(['--root', root, 'register', '--channel', '电话', '--matter', '小区路灯不亮。']);
    expect(json(root, 'review').map((r: { number: string }) => r.number).sort()).toEqual(['八宝信〔2026〕1号', '八宝信〔2026〕2号']);
    // Every missing key field filled: the case has been looked at.
    const filled = runCli(['--root', root, 'edit', '1', '--name', '王秀兰', '--phone', '13900000001', '--letter-date', '2026-11-03', '--summary', '楼上漏水']);
    expect(filled.status, filled.stderr).toBe(0);
    // A walk-in who gave no phone: the clerk says it has been checked as it is.
    const checked = runCli(['--root', root, 'edit', '2', '--checked']);
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('已核对');
    expect(json(root, 'review')).toEqual([]);
    expect(json(root, 'history', '2').at(-1)).toMatchObject({ action: 'corrected', detail: '核对无误，取消“需人工核对”' });
    expect(runCli(['--root', root, 'edit', '2']).status).toBe(2);
  });

  it('links a case to an earlier one of the same person once a correction says who it is', async () => {
    const root = await makeWorkspace();
    runCli(['--root', root, 'register', '--channel', '来访', '--name', '王秀兰', '--phone', '13900000001', '--matter', '楼上漏水，请社区协调。']);
    runCli(['--root', root, 'register', '--channel', '电话', '--matter', '又漏水了，还没人来修。']);
    expect(json(root, 'show', '2').repeatOf).toBeNull();
    const r = runCli(['--root', root, 'edit', '2', '--name', '王秀兰', '--phone', '13900000001']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('与 八宝信〔2026〕1号 是同一信访人');
    const shown = json(root, 'show', '2');
    expect(shown.repeatOf).toBe('八宝信〔2026〕1号');
    expect(shown.flags).toContain('repeat');
    // The earlier case does not become a repeat of the later one.
    expect(json(root, 'show', '1').repeatOf).toBeNull();
  });

  it('finds cases by two Chinese characters or more, by name and by phone', async () => {
    const root = await makeWorkspace();
    runCli(['--root', root, 'register', '--channel', '来访', '--name', '郑丽华', '--phone', '13661234567', '--matter', '小区东门外的人行道被临时工棚占用了近半年']);
    runCli(['--root', root, 'register', '--channel', '电话', '--name', '黄振国', '--matter', '物业公司不再清运垃圾，楼道里堆满了杂物']);
    expect(json(root, 'search', '工棚').map((h: { number: string }) => h.number)).toEqual(['八宝信〔2026〕1号']);
    expect(json(root, 'search', '黄振国')[0].number).toBe('八宝信〔2026〕2号');
    expect(json(root, 'search', '13661234567')[0].number).toBe('八宝信〔2026〕1号');
    expect(runCli(['--root', root, 'search', '人行道']).stdout).toContain('【人行道】');
    const short = runCli(['--root', root, 'search', '道']);
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('至少输入两个字');
    expect(runCli(['--root', root, 'search', '天气']).stdout).toContain('没有找到');
  });
});
