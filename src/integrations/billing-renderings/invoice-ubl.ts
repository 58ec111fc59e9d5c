import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { InvoiceDocument, Party } from '../../domain/billing/invoice-document.js';
import { invoiceMonth } from '../../domain/billing/invoice-month.js';
import { UNIT_CODES } from '../../domain/billing/invoice-line.js';

const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};
export const PEPPOL_CUSTOMIZATION =
  'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
/** ISO 6523 ICD 0007: Swedish organisation number (Bolagsverket). */
const SE_ORGNR_SCHEME = '0007';

/** UBL amounts: two decimals, a point. */
export function ublAmount(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function quantity(milli: number): string {
  return String(milli / 1000);
}

function digits(orgNumber: string): string {
  return orgNumber.replace(/\D/g, '');
}

function party(parent: XMLBuilder, p: Party, extra: { fSkatt?: string; phone?: string | null }): void {
  const el = parent.ele('cac:Party');
  el.ele('cbc:EndpointID', { schemeID: SE_ORGNR_SCHEME }).txt(digits(p.orgNumber));
  el.ele('cac:PartyName').ele('cbc:Name').txt(p.name);
  const address = el.ele('cac:PostalAddress');
  if (p.street) address.ele('cbc:StreetName').txt(p.street);
  if (p.city) address.ele('cbc:CityName').txt(p.city);
  if (p.postalCode) address.ele('cbc:PostalZone').txt(p.postalCode);
  address
    .ele('cac:Country')
    .ele('cbc:IdentificationCode')
    .txt(p.country ?? 'SE');
  if (p.vatNumber) {
    const tax = el.ele('cac:PartyTaxScheme');
    tax.ele('cbc:CompanyID').txt(p.vatNumber);
    tax.ele('cac:TaxScheme').ele('cbc:ID').txt('VAT');
  }
  if (extra.fSkatt) {
    // SE-R-005: the Swedish F-skatt statement as a tax registration of scheme TAX.
    const tax = el.ele('cac:PartyTaxScheme');
    tax.ele('cbc:CompanyID').txt(extra.fSkatt);
    tax.ele('cac:TaxScheme').ele('cbc:ID').txt('TAX');
  }
  const legal = el.ele('cac:PartyLegalEntity');
  legal.ele('cbc:RegistrationName').txt(p.name);
  legal.ele('cbc:CompanyID', { schemeID: SE_ORGNR_SCHEME }).txt(digits(p.orgNumber));
  if (p.email || extra.phone) {
    const contact = el.ele('cac:Contact');
    if (extra.phone) contact.ele('cbc:Telephone').txt(extra.phone);
    if (p.email) contact.ele('cbc:ElectronicMail').txt(p.email);
  }
}

/**
 * The document as Peppol BIS Billing 3.0 UBL: an Invoice (type 380) or, for a credit note, a
 * CreditNote (type 381) whose amounts are positive and which refers to the credited invoice. Element
 * order follows the UBL 2.1 schema. VAT category S (standard rate) on every line.
 */
export function renderInvoiceUbl(doc: InvoiceDocument): string {
  const credit = doc.kind === 'credit_note';
  // A credit note is stored negative (it reverses the invoice); UBL wants positive amounts.
  const sign = credit ? -1 : 1;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(
    credit ? NS.creditNote : NS.invoice,
    credit ? 'CreditNote' : 'Invoice',
    {
      'xmlns:cac': NS.cac,
      'xmlns:cbc': NS.cbc,
    },
  );
  root.ele('cbc:CustomizationID').txt(PEPPOL_CUSTOMIZATION);
  root.ele('cbc:ProfileID').txt(PEPPOL_PROFILE);
  root.ele('cbc:ID').txt(doc.number);
  root.ele('cbc:IssueDate').txt(doc.issueDate);
  if (!credit) root.ele('cbc:DueDate').txt(doc.dueDate);
  root.ele(credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode').txt(credit ? '381' : '380');
  if (doc.reason) root.ele('cbc:Note').txt(doc.reason);
  root.ele('cbc:DocumentCurrencyCode').txt(doc.currency);
  // PEPPOL-EN16931-R003: a buyer reference or an order reference is required.
  root.ele('cbc:BuyerReference').txt(digits(doc.buyer.orgNumber));
  const period = invoiceMonth(doc.month);
  const invoicePeriod = root.ele('cac:InvoicePeriod');
  invoicePeriod.ele('cbc:StartDate').txt(period.firstDay);
  invoicePeriod.ele('cbc:EndDate').txt(period.lastDay);
  if (doc.creditsInvoice) {
    const ref = root.ele('cac:BillingReference').ele('cac:InvoiceDocumentReference');
    ref.ele('cbc:ID').txt(doc.creditsInvoice.number);
    ref.ele('cbc:IssueDate').txt(doc.creditsInvoice.issueDate);
  }
  party(root.ele('cac:AccountingSupplierParty'), doc.seller, {
    fSkatt: doc.seller.fSkatt,
    phone: doc.seller.phone,
  });
  party(root.ele('cac:AccountingCustomerParty'), doc.buyer, {});
  if (!credit) {
    const means = root.ele('cac:PaymentMeans');
    means.ele('cbc:PaymentMeansCode', { name: 'Bankgiro' }).txt('30');
    means.ele('cbc:PaymentID').txt(doc.ocr);
    const account = means.ele('cac:PayeeFinancialAccount');
    account.ele('cbc:ID').txt(doc.seller.bankgiro.replace(/\D/g, ''));
    account.ele('cac:FinancialInstitutionBranch').ele('cbc:ID').txt('SE:BANKGIRO');
    root.ele('cac:PaymentTerms').ele('cbc:Note').txt(`Betalning senast ${doc.dueDate}, OCR ${doc.ocr}`);
  }
  const taxTotal = root.ele('cac:TaxTotal');
  taxTotal.ele('cbc:TaxAmount', { currencyID: doc.currency }).txt(ublAmount(sign * doc.vatOre));
  for (const v of doc.vatBreakdown) {
    const sub = taxTotal.ele('cac:TaxSubtotal');
    sub.ele('cbc:TaxableAmount', { currencyID: doc.currency }).txt(ublAmount(sign * v.taxableOre));
    sub.ele('cbc:TaxAmount', { currencyID: doc.currency }).txt(ublAmount(sign * v.vatOre));
    const category = sub.ele('cac:TaxCategory');
    category.ele('cbc:ID').txt('S');
    category.ele('cbc:Percent').txt(String(v.percent));
    category.ele('cac:TaxScheme').ele('cbc:ID').txt('VAT');
  }
  const totals = root.ele('cac:LegalMonetaryTotal');
  const cur = { currencyID: doc.currency };
  totals.ele('cbc:LineExtensionAmount', cur).txt(ublAmount(sign * doc.netOre));
  totals.ele('cbc:TaxExclusiveAmount', cur).txt(ublAmount(sign * doc.netOre));
  totals.ele('cbc:TaxInclusiveAmount', cur).txt(ublAmount(sign * (doc.netOre + doc.vatOre)));
  if (doc.roundingOre !== 0)
    totals.ele('cbc:PayableRoundingAmount', cur).txt(ublAmount(sign * doc.roundingOre));
  totals.ele('cbc:PayableAmount', cur).txt(ublAmount(sign * doc.totalOre));

  for (const l of doc.lines) {
    const line = root.ele(credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine');
    line.ele('cbc:ID').txt(String(l.position));
    line
      .ele(credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', { unitCode: UNIT_CODES[l.unit] })
      .txt(quantity(sign * l.quantityMilli));
    line.ele('cbc:LineExtensionAmount', cur).txt(ublAmount(sign * l.amountOre));
    if (l.serviceDate) {
      const p = line.ele('cac:InvoicePeriod');
      p.ele('cbc:StartDate').txt(l.serviceDate);
    }
    const item = line.ele('cac:Item');
    item.ele('cbc:Name').txt(l.description.slice(0, 200));
    const category = item.ele('cac:ClassifiedTaxCategory');
    category.ele('cbc:ID').txt('S');
    category.ele('cbc:Percent').txt(String(l.vatPercent));
    category.ele('cac:TaxScheme').ele('cbc:ID').txt('VAT');
    const price = line.ele('cac:Price');
    price.ele('cbc:PriceAmount', cur).txt(ublAmount(l.unitPriceOre));
    if (l.baseQuantity !== 1)
      price.ele('cbc:BaseQuantity', { unitCode: UNIT_CODES[l.unit] }).txt(String(l.baseQuantity));
  }
  return root.end({ prettyPrint: true });
}
