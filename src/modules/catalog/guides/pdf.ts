// The printable guide: an A4 PDF laid out from the same Guide object as the page and the
// API, in Noto Sans SC (subset-embedded by pdfkit so any reader shows the Chinese text),
// with the QR code of the mobile page on the first page.
import PDFDocument from 'pdfkit';
import { cjkFont, pdfBytes } from '../../../platform/pdf/cjk.ts';
import type { Guide } from './guide.ts';

const INK = '#1b1f24';
const MUTED = '#4b5563';
const BRAND = '#0b4f9c';

export async function renderGuidePdf(guide: Guide, qrPng: Buffer): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    info: { Title: `${guide.name} 办事指南`, Subject: guide.implementationCode, Author: guide.organisation.name, Creator: '一网通办' },
    lang: 'zh-CN',
    displayTitle: true,
  });
  const done = pdfBytes(doc);
  doc.registerFont('regular', cjkFont('regular'));
  doc.registerFont('bold', cjkFont('bold'));

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const qrSize = 96;
  const textWidth = width - qrSize - 16;

  // First page head: title and codes beside the QR code.
  const top = doc.y;
  doc.image(qrPng, left + width - qrSize, top, { width: qrSize, height: qrSize });
  doc.font('regular').fontSize(8).fillColor(MUTED).text('手机扫码查看', left + width - qrSize, top + qrSize + 2, { width: qrSize, align: 'center' });
  doc.font('bold').fontSize(20).fillColor(INK).text(guide.name, left, top, { width: textWidth });
  doc.font('regular').fontSize(12).fillColor(BRAND).text('办事指南', { width: textWidth });
  doc.moveDown(0.4).fontSize(9).fillColor(MUTED).text(`实施编码：${guide.implementationCode}`, { width: textWidth });
  doc.text(`${guide.region.fullName} · ${guide.organisation.name} · 第 ${guide.version} 版`, { width: textWidth });
  doc.y = Math.max(doc.y, top + qrSize + 16);
  doc.x = left;

  const heading = (text: string) => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 60) doc.addPage();
    doc.moveDown(0.8).font('bold').fontSize(13).fillColor(BRAND).text(text, left, doc.y, { width });
    doc.moveDown(0.2).font('regular').fontSize(10.5).fillColor(INK);
  };
  const para = (text: string, options: { muted?: boolean; indent?: number } = {}) => {
    doc.font('regular').fontSize(10.5).fillColor(options.muted ? MUTED : INK).text(text, left + (options.indent ?? 0), doc.y, { width: width - (options.indent ?? 0), lineGap: 2 });
  };
  const pair = (label: string, value: string) => {
    doc.font('bold').fontSize(10.5).fillColor(INK).text(`${label}：`, left, doc.y, { continued: true, lineGap: 2, width });
    doc.font('regular').text(value);
  };

  if (guide.reviewNotice) {
    doc.moveDown(0.5);
    para(`提示：${guide.reviewNotice}`);
  }
  if (guide.personalisation.personalised) {
    doc.moveDown(0.5);
    para(`本指南按您的情形生成：${guide.personalisation.answered.map((a) => `${a.question}${a.label}`).join('；')}`);
    if (guide.personalisation.note) para(guide.personalisation.note, { muted: true });
  }

  heading('基本信息');
  pair('事项类型', guide.itemType.name);
  pair('基本编码', guide.basicCode);
  pair('实施机构', guide.organisation.name);
  pair('办理渠道', guide.channels.map((c) => c.name).join('、'));
  pair('到现场次数', guide.visits.text);
  pair('网上办理深度', guide.onlineDepth.text);
  pair('网上申请实名等级', guide.minRealNameLevel.text);
  if (guide.subItems.length) pair('业务办理项', guide.subItems.map((s) => `${s.code} ${s.name}`).join('；'));

  heading('设定依据');
  for (const b of guide.legalBasis) para(`${b.title}（${b.kindText}）${b.article}`);

  heading('受理条件');
  if (!guide.acceptanceConditions.length) para('无特别条件。');
  guide.acceptanceConditions.forEach((c, i) => para(`${i + 1}. ${c.text}${c.conditional ? '（视情形）' : ''}`));

  heading('申请材料');
  if (!guide.materials.length) para('无需提交材料。');
  guide.materials.forEach((m, i) => {
    doc.font('bold').fontSize(10.5).fillColor(INK).text(`${i + 1}. ${m.name}${m.conditional ? '（视情形）' : ''}`, left, doc.y, { width, lineGap: 2 });
    para(`${m.formText} ${m.count} 份 · ${m.requiredText} · ${m.sourceText}${m.note ? ` · ${m.note}` : ''}`, { indent: 14, muted: true });
  });

  heading('办理流程');
  for (const s of guide.processSteps) para(`${s.order}. ${s.name}${s.description ? `：${s.description}` : ''}`);

  heading('办理时限');
  pair('法定办结时限', guide.timeLimits.legalText);
  pair('承诺办结时限', guide.timeLimits.promisedText);

  heading('收费');
  if (!guide.fees.items.length) para('不收费');
  for (const f of guide.fees.items) para(`${f.name}：${f.amountText}${f.basis ? `（依据：${f.basis}）` : ''}`);

  heading('中介服务');
  if (!guide.intermediaryServices.length) para('无');
  for (const s of guide.intermediaryServices) para(`${s.name}${s.basis ? `（依据：${s.basis}）` : ''}`);

  heading('办理地点和时间');
  pair('地点', guide.place.address);
  pair('时间', guide.place.hours);

  heading('咨询和投诉');
  pair('咨询电话', guide.phones.consult);
  pair('投诉电话', guide.phones.complaint);

  doc.moveDown(1.2);
  para(`在线查看：${guide.links.mobile}`, { muted: true });
  doc.end();
  return done;
}
