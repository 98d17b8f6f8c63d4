import type { Settings } from '../settings.js';

export type Retention = 'Y' | 'D30' | 'D10';
export const RETENTION_LABEL: Record<string, string> = { Y: '永久', D30: '30年', D10: '10年' };

/** The retention period of a case: its category's if the settings name one, else the default. */
export function retentionFor(category: string | null, settings: Settings): Retention {
  return (category ? settings.archive.retentionByCategory[category] : undefined) ?? settings.archive.retention;
}

/** 全宗号-门类代码·年度-保管期限-机构或问题代码-件号 (DA/T 22-2015), e.g. Z109-XF·2026-D30-0007. */
export function archiveRef(settings: Settings, year: number, retention: string, item: number): string {
  const { fondsCode, classCode, unitCode } = settings.archive;
  return `${fondsCode}-${classCode}·${year}-${retention}${unitCode ? `-${unitCode}` : ''}-${String(item).padStart(4, '0')}`;
}

/** 20261103: contents lists write dates as eight digits. */
export function eightDigitDate(isoDate: string): string {
  return isoDate.slice(0, 10).replace(/-/g, '');
}
