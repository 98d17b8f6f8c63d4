/** Petitions made up for the benchmarks: names, places and matters combined, each letter different. */
export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
export const GIVEN = '秀兰丽华振国春燕永强淑芬文斌小梅建军彭丽明亮志刚桂英海燕玉兰德才红梅国庆秋菊晓东金花';
export const PLACES = ['南湖小区', '东风里小区', '西坝河小区', '幸福家园', '和平里', '光明新村', '朝阳花园', '胜利大院', '团结湖', '望京西园', '北苑家园', '育新花园'];
export const MATTERS = [
  '小区东门外的人行道被临时工棚占用，居民出行只能走机动车道，请社区协调尽快拆除。',
  '物业公司不再清运垃圾，楼道里堆满杂物，请社区督促物业履行合同。',
  '单位一直没有给我缴纳社会保险，请社区帮助我向单位反映，依法补缴。',
  '南侧汽修店长期露天喷漆，刺鼻气味飘进居民家中，请联系生态环境部门检查处理。',
  '楼下烧烤店每天晚上油烟噪音扰民，老人孩子无法休息，请社区尽快处理。',
  '家中老人生活困难，申请低保一直没有结果，请社区帮助了解办理进度。',
  '楼上住户装修漏水，多次协商没有结果，请社区出面调解邻里纠纷。',
  '孩子入学遇到困难，户籍所在学校不接收，请社区协调教育部门。',
  '小区电梯经常停运，物业维修不及时，请社区督促维修。',
  '有人在小区内私搭乱建，占用公共绿地，请社区依法处理违章建筑。',
];

export function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

export function person(i: number): { name: string; phone: string } {
  const name = pick([...SURNAMES], i * 7) + pick([...GIVEN], i * 13) + (i % 3 === 0 ? pick([...GIVEN], i * 5) : '');
  return { name, phone: `13${String(100_000_000 + ((i * 7_919) % 900_000_000)).padStart(9, '0')}` };
}

export function letterText(i: number): string {
  const p = person(i);
  const place = pick(PLACES, i * 3);
  return `尊敬的社区领导：\n我是${place}${(i % 20) + 1}号楼的居民。${pick(MATTERS, i * 11)}\n此致\n敬礼！\n来信人：${p.name}\n联系电话：${p.phone}\n2026年${(i % 12) + 1}月${(i % 28) + 1}日`;
}
