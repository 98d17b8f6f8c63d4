/** The classifiers learned from confirmed letters, and the choice between them and the keyword lists. */
import { describe, expect, it } from 'vitest';
import { keywordClassifier, MIN_HANDLING_EXAMPLES, officeClassifiers, trainClassifier } from '../../src/domain/extract/learned.js';

const classes = [
  { name: '环境保护', keywords: ['噪音', '油烟'] },
  { name: '劳动社保', keywords: ['工资', '社保'] },
];

describe('trainClassifier', () => {
  it('with no confirmed letters, follows the keyword lists', () => {
    const m = trainClassifier(classes, '其他', []);
    expect(m.examples).toBe(0);
    expect(m.classify('楼下饭馆的油烟太大了，窗户都不敢开。').name).toBe('环境保护');
    expect(m.classify('老板拖欠工资三个月了。').name).toBe('劳动社保');
  });

  it('learns words the lists lack from the confirmed letters, and is sure in proportion', () => {
    const letter = '老板跑了，我们一个班组的钱都没结。';
    const before = trainClassifier(classes, '其他', []).classify(letter);
    const confirmed = [
      { text: '干了半年活，老板一分钱也没给我们结。', label: '劳动社保' },
      { text: '年底结账的时候老板不见了，钱找谁要？', label: '劳动社保' },
      { text: '隔壁工地晚上打桩，吵得睡不着。', label: '环境保护' },
      { text: '烧烤摊的烟熏得人直咳嗽。', label: '环境保护' },
    ];
    const after = trainClassifier(classes, '其他', confirmed).classify(letter);
    expect(before).toEqual({ name: '其他', confidence: 1 / 3 });
    expect(after.name).toBe('劳动社保');
    expect(after.confidence).toBeGreaterThan(0.5);
    expect(after.confidence).toBeLessThanOrEqual(1);
  });

  it('gives the fallback, unsure, for a letter with nothing any class knows', () => {
    const j = trainClassifier(classes, '其他', [{ text: '噪音', label: '环境保护' }]).classify('12345');
    expect(j).toEqual({ name: '其他', confidence: 1 / 3 });
  });
});

describe('officeClassifiers', () => {
  const settings = {
    categories: [...classes, { name: '其他', keywords: [] }],
    handlingTypes: [
      { name: '检举控告类', keywords: ['举报'] },
      { name: '建议意见类', keywords: ['建议'] },
      { name: '申诉求决类', keywords: ['请求'] },
    ],
    defaultHandlingType: '申诉求决类',
  };
  const letter = (i: number, handlingType: string) => ({ text: `第${i}封：楼下油烟大，拖欠工资`, category: i % 2 ? '环境保护' : '劳动社保', handlingType });

  it('keeps the keyword lists until the office has confirmed a few letters per category', () => {
    expect(officeClassifiers(settings, []).category.examples).toBe(0);
    expect(officeClassifiers(settings, [letter(1, '申诉求决类'), letter(2, '申诉求决类')]).category.examples).toBe(0);
    const many = Array.from({ length: 9 }, (_, i) => letter(i, '申诉求决类'));
    expect(officeClassifiers(settings, many).category.examples).toBe(9);
  });

  it('lets handling types learn only once every type has many confirmed letters', () => {
    const lopsided = Array.from({ length: 100 }, (_, i) => letter(i, i < 2 ? '检举控告类' : '申诉求决类'));
    const lists = keywordClassifier(settings.handlingTypes, settings.defaultHandlingType);
    const judged = officeClassifiers(settings, lopsided).handlingType;
    expect(judged.examples).toBe(0);
    expect(judged.classify('我要举报').name).toBe(lists.classify('我要举报').name);
    const even = settings.handlingTypes.flatMap((t) => Array.from({ length: MIN_HANDLING_EXAMPLES }, (_, i) => letter(i, t.name)));
    expect(officeClassifiers(settings, even).handlingType.examples).toBe(even.length);
  });
});
