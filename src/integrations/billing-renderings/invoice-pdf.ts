import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from '../../domain/billing/invoice-document.js';
import { formatQuantity, type Unit } from '../../domain/billing/invoice-line.js';
import { formatSek } from '../../domain/shared/money.js';

const UNIT_SV: Record<Unit, string> = { month: 'mån', day: 'dagar', h: 'tim', st: 'st' };
const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;
const GREY = '#555555';
/** Printed on a would-be invoice (POST /invoice-runs/preview): it has no number and is not an invoice. */
export const PREVIEW_MARK = 'FÖRHANDSGRANSKNING – EJ FAKTURA';

/** "1 750,00" (no currency: the table says SEK); standard PDF fonts know the no-break space. */
function sek(ore: number): string {
  return formatSek(ore).replace(/\u00a0kr$/, '');
}

function address(p: { street: string | null; postalCode: string | null; city: string | null }): string[] {
  return [p.street ?? '', [p.postalCode, p.city].filter(Boolean).join(' ')].filter((s) => s !== '');
}

/**
 * Renders an issued invoice or credit note as an A4 PDF (pdfkit, the standard Helvetica fonts, which
 * print åäö): space for the logo, seller and buyer with their numbers, the lines table, totals with
 * VAT and öresavrundning, and the payment details (bankgiro, OCR, due date). Swedish text.
 */
export async function renderInvoicePdf(
  doc: InvoiceDocument,
  options: { preview?: boolean } = {},
): Promise<Buffer> {
  const preview = options.preview === true;
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: preview
        ? `${PREVIEW_MARK} ${doc.month}`
        : `${doc.kind === 'invoice' ? 'Faktura' : 'Kreditfaktura'} ${doc.number}`,
      Author: doc.seller.name,
      Subject: `${doc.buyer.name} ${doc.month}`,
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const credit = doc.kind === 'credit_note';
  // The logo's place: a framed area with the seller's name until a logo file is configured.
  pdf.rect(MARGIN, MARGIN, 190, 60).lineWidth(0.5).strokeColor('#bbbbbb').stroke();
  pdf
    .fillColor('#000000')
    .font('Helvetica-Bold')
    .fontSize(14)
    .text(doc.seller.name, MARGIN + 10, MARGIN + 22, {
      width: 170,
    });

  pdf
    .font('Helvetica-Bold')
    .fontSize(20)
    .text(preview ? 'UTKAST' : credit ? 'KREDITFAKTURA' : 'FAKTURA', 320, MARGIN, {
      width: 225,
      align: 'right',
    });
  // A draft shown before the run: marked at the top and across the payment box, never payable.
  if (preview) {
    pdf
      .font('Helvetica-Bold')
      .fontSize(11)
      .fillColor('#b00000')
      .text(PREVIEW_MARK, MARGIN, MARGIN - 30, { width: WIDTH, align: 'center' })
      .fillColor('#000000');
  }
  const facts: [string, string][] = [
    [credit ? 'Kreditfakturanummer' : 'Fakturanummer', doc.number],
    ['Fakturadatum', doc.issueDate],
    ['Förfallodatum', doc.dueDate],
    ['Period', doc.month],
    ['OCR-nummer', doc.ocr],
  ];
  if (doc.creditsInvoice)
    facts.push(['Krediterar faktura', `${doc.creditsInvoice.number} (${doc.creditsInvoice.issueDate})`]);
  let y = MARGIN + 30;
  for (const [label, value] of facts) {
    pdf.font('Helvetica').fontSize(9).fillColor(GREY).text(label, 320, y, { width: 110 });
    pdf.font('Helvetica-Bold').fillColor('#000000').text(value, 430, y, { width: 115, align: 'right' });
    y += 13;
  }

  // Buyer where a window envelope shows it; seller to the left.
  y = Math.max(y, MARGIN + 110) + 10;
  const party = (title: string, x: number, lines: string[]) => {
    pdf.font('Helvetica').fontSize(8).fillColor(GREY).text(title, x, y);
    pdf.font('Helvetica').fontSize(10).fillColor('#000000');
    let py = y + 12;
    for (const l of lines) {
      pdf.text(l, x, py, { width: 225 });
      py += 13;
    }
    return py;
  };
  const sellerEnd = party('Säljare', MARGIN, [
    doc.seller.name,
    ...address(doc.seller),
    `Org.nr ${doc.seller.orgNumber}`,
    ...(doc.seller.vatNumber ? [`Momsreg.nr ${doc.seller.vatNumber}`] : []),
  ]);
  const buyerEnd = party('Köpare', 320, [
    doc.buyer.name,
    ...address(doc.buyer),
    `Org.nr ${doc.buyer.orgNumber}`,
    ...(doc.buyer.vatNumber ? [`Momsreg.nr ${doc.buyer.vatNumber}`] : []),
  ]);
  y = Math.max(sellerEnd, buyerEnd) + 15;
  if (doc.reason) {
    pdf.font('Helvetica-Oblique').fontSize(9).text(`Orsak: ${doc.reason}`, MARGIN, y, { width: WIDTH });
    y = pdf.y + 8;
  }

  // Lines table.
  const cols = { description: MARGIN, quantity: 330, unit: 380, price: 415, amount: 475 };
  const header = () => {
    pdf
      .rect(MARGIN, y - 3, WIDTH, 16)
      .fillColor('#eeeeee')
      .fill();
    pdf.fillColor('#000000').font('Helvetica-Bold').fontSize(9);
    pdf.text('Beskrivning', cols.description + 3, y, { width: 270 });
    pdf.text('Antal', cols.quantity, y, { width: 45, align: 'right' });
    pdf.text('Enhet', cols.unit + 5, y, { width: 35 });
    pdf.text('À-pris', cols.price, y, { width: 55, align: 'right' });
    pdf.text('Belopp', cols.amount, y, { width: WIDTH + MARGIN - cols.amount - 3, align: 'right' });
    y += 18;
  };
  header();
  pdf.font('Helvetica').fontSize(9);
  for (const l of doc.lines) {
    const height = pdf.heightOfString(l.description, { width: 270 });
    if (y + height > 842 - MARGIN - 250) {
      pdf.addPage();
      y = MARGIN;
      header();
      pdf.font('Helvetica').fontSize(9);
    }
    const unitPrice = l.baseQuantity === 1 ? sek(l.unitPriceOre) : `${sek(l.unitPriceOre)}/${l.baseQuantity}`;
    pdf.text(l.description, cols.description + 3, y, { width: 270 });
    pdf.text(formatQuantity(l.quantityMilli), cols.quantity, y, { width: 45, align: 'right' });
    pdf.text(UNIT_SV[l.unit], cols.unit + 5, y, { width: 35 });
    pdf.text(unitPrice, cols.price, y, { width: 55, align: 'right' });
    pdf.text(sek(l.amountOre), cols.amount, y, { width: WIDTH + MARGIN - cols.amount - 3, align: 'right' });
    y += height + 5;
    pdf
      .moveTo(MARGIN, y - 2)
      .lineTo(MARGIN + WIDTH, y - 2)
      .lineWidth(0.3)
      .strokeColor('#dddddd')
      .stroke();
  }

  // Totals.
  y += 8;
  const total = (label: string, value: string, bold = false) => {
    pdf
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(bold ? 11 : 9)
      .fillColor('#000000');
    pdf.text(label, 320, y, { width: 140 });
    pdf.text(value, 460, y, { width: MARGIN + WIDTH - 460 - 3, align: 'right' });
    y += bold ? 16 : 13;
  };
  total('Summa exkl. moms', `${sek(doc.netOre)} kr`);
  for (const v of doc.vatBreakdown)
    total(`Moms ${v.percent} % på ${sek(v.taxableOre)}`, `${sek(v.vatOre)} kr`);
  total('Öresavrundning', `${sek(doc.roundingOre)} kr`);
  total(credit ? 'Att återbetala (SEK)' : 'Att betala (SEK)', `${sek(doc.totalOre)} kr`, true);

  // Payment details, then the seller's legal details (mervärdesskattelagen 17 kap.) in the footer.
  const payY = 842 - MARGIN - 120;
  pdf.rect(MARGIN, payY, WIDTH, 56).lineWidth(0.8).strokeColor('#000000').stroke();
  const pay: [string, string][] = preview
    ? []
    : credit
      ? [
          ['Kreditbelopp', `${sek(doc.totalOre)} kr`],
          ['Avser faktura', doc.creditsInvoice?.number ?? ''],
          ['Datum', doc.issueDate],
          ['', ''],
        ]
      : [
          ['Bankgiro', doc.seller.bankgiro],
          ['OCR-nummer', doc.ocr],
          ['Att betala', `${sek(doc.totalOre)} kr`],
          ['Förfallodatum', doc.dueDate],
        ];
  pay.forEach(([label, value], i) => {
    const x = MARGIN + 10 + i * (WIDTH / 4);
    pdf
      .font('Helvetica')
      .fontSize(8)
      .fillColor(GREY)
      .text(label, x, payY + 10, { width: WIDTH / 4 - 15 });
    pdf
      .font('Helvetica-Bold')
      .fontSize(11)
      .fillColor('#000000')
      .text(value, x, payY + 24, { width: WIDTH / 4 - 15 });
  });
  if (preview) {
    pdf
      .font('Helvetica-Bold')
      .fontSize(13)
      .fillColor('#b00000')
      .text(PREVIEW_MARK, MARGIN, payY + 21, { width: WIDTH, align: 'center' });
  }
  const footer = [
    [doc.seller.name, ...address(doc.seller)].join(', '),
    [
      `Org.nr ${doc.seller.orgNumber}`,
      doc.seller.vatNumber ? `Momsreg.nr ${doc.seller.vatNumber}` : '',
      doc.seller.fSkatt,
    ]
      .filter(Boolean)
      .join(' · '),
    [doc.seller.email, doc.seller.phone, `Bankgiro ${doc.seller.bankgiro}`].filter(Boolean).join(' · '),
  ];
  pdf.font('Helvetica').fontSize(8).fillColor(GREY);
  footer.forEach((text, i) =>
    pdf.text(text, MARGIN, 842 - MARGIN - 50 + i * 11, { width: WIDTH, align: 'center' }),
  );

  pdf.end();
  return done;
}
