import { renderPdfPages } from '../../adapters/pdfjs/render-pages.js';
import type { FontFaces } from '../../adapters/fonts/font-files.js';
import { fontFace } from '../../adapters/pdfkit/fonts.js';
import { A4, MM } from '../../domain/page.js';
import { pdfaDocument } from '../../adapters/pdfkit/pdf-document.js';
import { degradeLikeScan } from '../../adapters/sharp/image.js';

/** A resident's letter for the demo: who, where, what, and how the scan should look. */
export interface DemoLetter {
  name: string;
  phone: string;
  address: string;
  body: string[];
  date: string;
  /** Joint letters list their signatories. */
  cosigners?: string[];
}

const PEOPLE = [
  ['王秀兰', '13900001001', '八宝小区3号楼2单元501室'],
  ['李建国', '13900001002', '东风里小区7号楼101室'],
  ['张桂芳', '13900001003', '光明新村5号楼2单元302室'],
  ['刘志强', '13900001004', '南湖小区4号楼1单元602室'],
  ['陈美华', '13900001005', '朝阳花园6号楼3单元201室'],
  ['杨立新', '13900001006', '西坝河小区南侧平房12号'],
  ['赵春燕', '13900001007', '八宝小区9号楼1单元103室'],
  ['黄振国', '13900001008', '东风里小区2号楼405室'],
] as const;

const MATTERS = [
  ['楼下新开的烧烤店每天营业到凌晨，油烟和噪音很大，老人孩子晚上无法休息。', '请社区协调有关部门督促烧烤店安装油烟净化设施，晚上十点后停止营业。'],
  ['小区电梯已经坏了一个多月，物业公司一直说在等配件，住在高层的老人下不了楼。', '请社区督促物业公司尽快修好电梯，并公开维修进度。'],
  ['小区东门外的人行道被临时工棚占用了近半年，居民只能走机动车道，非常危险。', '请社区协调有关部门尽快拆除工棚，恢复人行道通行。'],
  ['楼上住户家中水管漏水，我家卫生间天花板多处发霉，多次协商没有结果。', '请社区出面调解，督促楼上住户维修水管并赔偿损失。'],
  ['我在小区物业公司做保洁，已经三个月没有发工资，也没有给我缴纳社会保险。', '请社区帮助我向单位反映，依法支付拖欠的工资并补缴社保。'],
  ['我母亲今年八十二岁，独自居住，符合高龄津贴条件，但申请了半年还没有批下来。', '请社区帮助核实情况，尽快发放高龄津贴。'],
  ['小区北侧的汽修店露天喷漆，气味刺鼻，附近居民头晕恶心。', '我们请求社区联系生态环境部门检查处理，责令其停止露天喷漆。'],
  ['小区路灯坏了很多盏，晚上出行很不安全，上个月已经有老人摔倒。', '请社区尽快安排维修路灯。'],
] as const;

/** A few dozen letters of the kinds an office receives, one repeat writer and one joint letter among them. */
export function demoLetters(count: number, today: Date): DemoLetter[] {
  const letters: DemoLetter[] = [];
  for (let i = 0; i < count; i++) {
    const [name, phone, address] = PEOPLE[i % PEOPLE.length]!;
    const [situation, request] = MATTERS[(i * 3) % MATTERS.length]!;
    const day = new Date(today.getTime() - (count - i) * 86_400_000);
    const urgent = i === 5 ? '如果再不解决，我们就到区政府门口静坐。' : '';
    letters.push({
      name,
      phone,
      address,
      body: [`我是${address}的住户${name}。${situation}${urgent}`, request],
      date: `${day.getFullYear()}年${day.getMonth() + 1}月${day.getDate()}日`,
      cosigners: i === 3 ? ['周立平', '吴小红', '郑国强', '孙丽', '马建军'] : undefined,
    });
  }
  return letters;
}

/**
 * The letter typeset with the npm fonts, rendered to an image and spoilt as a scan is: a little
 * turned, grey paper, noise, slight blur, JPEG. Bytes of a JPEG a scanner might have written.
 */
export async function letterScan(letter: DemoLetter, faces: FontFaces, seed: number): Promise<Buffer> {
  const { doc, bytes } = pdfaDocument({ size: [A4.width, A4.height], margins: { top: 30 * MM, left: 25 * MM, right: 25 * MM, bottom: 25 * MM } }, { Title: 'letter', CreationDate: new Date(0) });
  doc.registerFont('body', fontFace(faces.body));
  const width = A4.width - 50 * MM;
  doc.font('body').fontSize(15);
  doc.text('尊敬的社区领导：', { width, lineGap: 8 });
  for (const p of letter.body) doc.text(p, { width, indent: 30, lineGap: 8 });
  doc.text('此致', { width, indent: 30, lineGap: 8 });
  doc.text('敬礼！', { width, lineGap: 8 });
  doc.moveDown(1);
  const signature = [`来信人：${letter.name}`, ...(letter.cosigners ? [`联名：${letter.cosigners.join('、')}`] : []), `住址：${letter.address}`, `联系电话：${letter.phone}`, letter.date];
  for (const line of signature) doc.text(line, 25 * MM + width / 2, doc.y, { width: width / 2, lineGap: 6 });
  doc.end();
  const [page] = await renderPdfPages(await bytes, { maxPages: 1, longSide: 2339 });
  return degradeLikeScan(page!, seed);
}
