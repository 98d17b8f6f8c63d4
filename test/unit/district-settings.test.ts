/**
 * A district's settings (issue 18): the district section checked and worded in Chinese, and a
 * community's file laid over the district's key by key (sections merge, lists and values replace),
 * with the sections only a district may hold refused.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseCommunitySettings, parseSettings } from '../../src/domain/settings.js';
import { XinfangError } from '../../src/domain/problems.js';
import { problemText } from '../../src/domain/words.js';
import { repoRoot } from '../helpers/workspace.js';

const shipped = path.join(repoRoot, 'pipeline', 'settings.yaml');
const PG = 'postgresql:///xinfang?host=/var/run/postgresql';
const districtRaw = () => ({
  ...(YAML.parse(readFileSync(shipped, 'utf8')) as Record<string, unknown>),
  store: { postgres: PG },
  district: { communities: [{ code: 'babao', name: '八宝社区' }, { code: 'xinhua', name: '新华社区' }] },
});

function message(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(XinfangError);
    return problemText((e as XinfangError).problem);
  }
  throw new Error('settings were accepted');
}

describe("a district's settings", () => {
  it('lists its communities, and words a wrong code, a code twice and a district without a database in Chinese', () => {
    expect(parseSettings(districtRaw()).district?.communities.map((c) => c.code)).toEqual(['babao', 'xinhua']);
    expect(message(() => parseSettings({ ...districtRaw(), district: { communities: [{ code: 'Ba Bao', name: '八宝社区' }] } }))).toContain(
      'district.communities.0.code：社区代码只能用小写英文字母和数字',
    );
    expect(message(() => parseSettings({ ...districtRaw(), district: { communities: [{ code: 'babao', name: '八宝社区' }, { code: 'babao', name: '八宝二社区' }] } }))).toContain(
      '社区代码“babao”出现了两次',
    );
    expect(message(() => parseSettings({ ...districtRaw(), store: {} }))).toContain('设置了 district（多个社区）时，必须在 store.postgres 写明');
  });

  it("lays a community's settings over the district's: sections merge, lists and values replace", () => {
    const s = parseCommunitySettings(
      districtRaw(),
      { office: { name: '八宝社区居民委员会', shortName: '八宝' }, archive: { fondsCode: 'Z109' }, categories: [{ name: '物业管理', keywords: ['物业'] }, { name: '其他', keywords: [] }] },
      'communities/babao/pipeline/settings.yaml',
    );
    expect(s.office.name).toBe('八宝社区居民委员会');
    // The district's value where the community wrote none in the same section.
    expect(s.office.timezone).toBe(parseSettings(districtRaw()).office.timezone);
    expect(s.archive.fondsCode).toBe('Z109');
    expect(s.archive.classCode).toBe(parseSettings(districtRaw()).archive.classCode);
    expect(s.categories.map((c) => c.name)).toEqual(['物业管理', '其他']);
    expect(s.store.postgres).toBe(PG);
    // The list of communities is the district's, not the community's.
    expect(s.district).toBeUndefined();
    // An empty file: the district's settings as they are.
    expect(parseCommunitySettings(districtRaw(), null, 'f').numbering.format).toBe(parseSettings(districtRaw()).numbering.format);
  });

  it("refuses a database or a list of communities in a community's own file, and names the community's file", () => {
    const text = message(() => parseCommunitySettings(districtRaw(), { store: { postgres: PG }, district: { communities: [] } }, 'communities/babao/pipeline/settings.yaml'));
    expect(text).toContain('设置文件 communities/babao/pipeline/settings.yaml 有 2 处填写有误');
    expect(text).toContain('store：这一项只能写在街道（区）的设置文件里');
    expect(text).toContain('district：这一项只能写在街道（区）的设置文件里');
    // A mistake in a merged value is checked as in any office.
    expect(message(() => parseCommunitySettings(districtRaw(), { archive: { fondsCode: 'Z-1' } }, 'c.yaml'))).toContain('archive.fondsCode：只能用英文字母和数字');
  });
});
