import { create } from 'xmlbuilder2';

/**
 * A test-support validator of Peppol BIS Billing 3.0 documents: a subset of the EN 16931 business
 * rules (BR-*), calculation rules (BR-CO-*), standard-rated VAT rules (BR-S-*), decimals (BR-DEC-*),
 * Peppol rules and the Swedish national rules (SE-R-*), applied to the parsed XML. It is not the
 * official Schematron; it checks the rules our documents can break. Returns the broken rules.
 */
interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

function toNode(dom: {
  localName?: string;
  attributes?: ArrayLike<{ localName: string; value: string }>;
  childNodes: ArrayLike<unknown>;
  textContent: string | null;
}): Node {
  const children: Node[] = [];
  for (let i = 0; i < dom.childNodes.length; i++) {
    const c = dom.childNodes[i] as { nodeType: number };
    if (c.nodeType === 1) children.push(toNode(c as never));
  }
  const attrs: Record<string, string> = {};
  for (let i = 0; i < (dom.attributes?.length ?? 0); i++) {
    const a = dom.attributes?.[i];
    if (a) attrs[a.localName] = a.value;
  }
  return { name: dom.localName ?? '', attrs, children, text: (dom.textContent ?? '').trim() };
}

const kids = (n: Node | undefined, name: string) => n?.children.filter((c) => c.name === name) ?? [];
const kid = (n: Node | undefined, ...path: string[]): Node | undefined => {
  let cur = n;
  for (const p of path) cur = kids(cur, p)[0];
  return cur;
};
const text = (n: Node | undefined, ...path: string[]) => kid(n, ...path)?.text ?? '';
const cents = (s: string) => Math.round(Number(s) * 100);

export const CHECKED_RULES = [
  'BR-01',
  'BR-02',
  'BR-03',
  'BR-04',
  'BR-05',
  'BR-06',
  'BR-07',
  'BR-08',
  'BR-09',
  'BR-10',
  'BR-11',
  'BR-12',
  'BR-13',
  'BR-14',
  'BR-15',
  'BR-16',
  'BR-21',
  'BR-22',
  'BR-23',
  'BR-24',
  'BR-25',
  'BR-26',
  'BR-27',
  'BR-55',
  'BR-CO-09',
  'BR-CO-10',
  'BR-CO-13',
  'BR-CO-14',
  'BR-CO-15',
  'BR-CO-16',
  'BR-CO-25',
  'BR-S-01',
  'BR-S-02',
  'BR-S-05',
  'BR-S-08',
  'BR-S-09',
  'BR-DEC-01..23',
  'PEPPOL-EN16931-R001',
  'PEPPOL-EN16931-R003',
  'PEPPOL-EN16931-R007',
  'PEPPOL-EN16931-R120',
  'SE-R-001',
  'SE-R-003',
  'SE-R-005',
  'SE-R-010',
] as const;

export function checkPeppolBis3(xml: string): string[] {
  const doc = create(xml);
  const root = toNode(doc.root().node as never);
  const credit = root.name === 'CreditNote';
  const broken: string[] = [];
  const rule = (id: string, ok: boolean, what: string) => {
    if (!ok) broken.push(`${id}: ${what}`);
  };
  rule('ROOT', root.name === 'Invoice' || root.name === 'CreditNote', `root is ${root.name}`);
  rule('BR-01', text(root, 'CustomizationID') !== '', 'specification identifier');
  rule(
    'PEPPOL-EN16931-R001',
    text(root, 'ProfileID') === 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0',
    'business process (ProfileID)',
  );
  rule(
    'PEPPOL-EN16931-R007',
    text(root, 'CustomizationID') ===
      'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
    'customization id of BIS 3.0',
  );
  rule('BR-02', text(root, 'ID') !== '', 'invoice number');
  rule('BR-03', /^\d{4}-\d{2}-\d{2}$/.test(text(root, 'IssueDate')), 'issue date');
  const typeCode = text(root, credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode');
  rule('BR-04', credit ? typeCode === '381' : typeCode === '380', `type code ${typeCode}`);
  rule('BR-05', text(root, 'DocumentCurrencyCode') === 'SEK', 'currency');
  rule(
    'PEPPOL-EN16931-R003',
    text(root, 'BuyerReference') !== '' || kid(root, 'OrderReference') !== undefined,
    'buyer reference',
  );
  if (credit)
    rule(
      'BR-55',
      text(root, 'BillingReference', 'InvoiceDocumentReference', 'ID') !== '',
      'preceding invoice reference',
    );
  const seller = kid(root, 'AccountingSupplierParty', 'Party');
  const buyer = kid(root, 'AccountingCustomerParty', 'Party');
  rule('BR-06', text(seller, 'PartyLegalEntity', 'RegistrationName') !== '', 'seller name');
  rule('BR-07', text(buyer, 'PartyLegalEntity', 'RegistrationName') !== '', 'buyer name');
  rule('BR-08', kid(seller, 'PostalAddress') !== undefined, 'seller postal address');
  rule(
    'BR-09',
    /^[A-Z]{2}$/.test(text(seller, 'PostalAddress', 'Country', 'IdentificationCode')),
    'seller country',
  );
  rule('BR-10', kid(buyer, 'PostalAddress') !== undefined, 'buyer postal address');
  rule(
    'BR-11',
    /^[A-Z]{2}$/.test(text(buyer, 'PostalAddress', 'Country', 'IdentificationCode')),
    'buyer country',
  );
  const vatIds = kids(seller, 'PartyTaxScheme').filter((p) => text(p, 'TaxScheme', 'ID') === 'VAT');
  for (const v of vatIds)
    rule('BR-CO-09', /^[A-Z]{2}/.test(text(v, 'CompanyID')), 'VAT id starts with a country code');
  const sellerVat = text(vatIds[0], 'CompanyID');
  const country = text(seller, 'PostalAddress', 'Country', 'IdentificationCode');
  if (country === 'SE') {
    rule('SE-R-001', sellerVat === '' || /^SE\d{12}$/.test(sellerVat), `Swedish VAT number ${sellerVat}`);
    rule(
      'SE-R-003',
      /^\d{10}$/.test(text(seller, 'PartyLegalEntity', 'CompanyID')),
      'Swedish organisation number',
    );
    const tax = kids(seller, 'PartyTaxScheme').filter((p) => text(p, 'TaxScheme', 'ID') === 'TAX');
    rule(
      'SE-R-005',
      tax.length === 1 && text(tax[0], 'CompanyID') === 'Godkänd för F-skatt',
      'F-skatt statement',
    );
  }
  const means = kids(root, 'PaymentMeans');
  for (const m of means) {
    if (
      text(m, 'PaymentMeansCode') === '30' &&
      text(m, 'PayeeFinancialAccount', 'FinancialInstitutionBranch', 'ID') === 'SE:BANKGIRO'
    ) {
      rule(
        'SE-R-010',
        /^\d{7,8}$/.test(text(m, 'PayeeFinancialAccount', 'ID')),
        'bankgiro number of 7–8 digits',
      );
    }
  }
  if (!credit)
    rule('BR-CO-25', means.length > 0 || text(root, 'DueDate') !== '', 'payment due date or terms');

  const amounts: Node[] = [];
  const walk = (n: Node) => {
    if (n.attrs.currencyID !== undefined) amounts.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  for (const a of amounts) {
    rule('BR-DEC', /^-?\d+(\.\d{1,2})?$/.test(a.text), `${a.name} has at most two decimals: ${a.text}`);
  }

  const lines = kids(root, credit ? 'CreditNoteLine' : 'InvoiceLine');
  rule('BR-16', lines.length > 0, 'at least one line');
  let lineSum = 0;
  const taxableByRate = new Map<string, number>();
  for (const l of lines) {
    const id = text(l, 'ID');
    rule('BR-21', id !== '', 'line id');
    const qty = kid(l, credit ? 'CreditedQuantity' : 'InvoicedQuantity');
    rule('BR-22', qty !== undefined && qty.text !== '', `line ${id} quantity`);
    rule('BR-23', (qty?.attrs.unitCode ?? '') !== '', `line ${id} unit code`);
    const net = text(l, 'LineExtensionAmount');
    rule('BR-24', net !== '', `line ${id} net amount`);
    rule('BR-25', text(l, 'Item', 'Name') !== '', `line ${id} item name`);
    const price = text(l, 'Price', 'PriceAmount');
    rule('BR-26', price !== '', `line ${id} price`);
    rule('BR-27', Number(price) >= 0, `line ${id} price not negative`);
    const base = Number(text(l, 'Price', 'BaseQuantity') || '1');
    const expected = Math.round((Number(qty?.text ?? 0) * cents(price)) / base);
    rule(
      'PEPPOL-EN16931-R120',
      Math.abs(expected - cents(net)) <= 1,
      `line ${id}: ${qty?.text} × ${price} / ${base} ≠ ${net}`,
    );
    const category = kid(l, 'Item', 'ClassifiedTaxCategory');
    rule(
      'BR-S-05',
      text(category, 'ID') !== 'S' || Number(text(category, 'Percent')) > 0,
      `line ${id} VAT rate`,
    );
    lineSum += cents(net);
    const key = `${text(category, 'ID')}/${Number(text(category, 'Percent'))}`;
    taxableByRate.set(key, (taxableByRate.get(key) ?? 0) + cents(net));
  }
  const totals = kid(root, 'LegalMonetaryTotal');
  const lineExt = cents(text(totals, 'LineExtensionAmount'));
  const taxExcl = cents(text(totals, 'TaxExclusiveAmount'));
  const taxIncl = cents(text(totals, 'TaxInclusiveAmount'));
  const payable = cents(text(totals, 'PayableAmount'));
  const rounding = cents(text(totals, 'PayableRoundingAmount') || '0');
  const prepaid = cents(text(totals, 'PrepaidAmount') || '0');
  rule('BR-12', text(totals, 'LineExtensionAmount') !== '', 'sum of line net amounts');
  rule('BR-13', text(totals, 'TaxExclusiveAmount') !== '', 'total without VAT');
  rule('BR-14', text(totals, 'TaxInclusiveAmount') !== '', 'total with VAT');
  rule('BR-15', text(totals, 'PayableAmount') !== '', 'amount due');
  rule('BR-CO-10', lineExt === lineSum, `line sum ${lineSum} ≠ ${lineExt}`);
  rule('BR-CO-13', taxExcl === lineExt, 'tax exclusive = line sum (no allowances or charges)');
  const taxTotal = kids(root, 'TaxTotal').find((tt) => kids(tt, 'TaxSubtotal').length > 0);
  const vat = cents(text(taxTotal, 'TaxAmount'));
  const subtotals = kids(taxTotal, 'TaxSubtotal');
  rule(
    'BR-CO-14',
    vat === subtotals.reduce((s, st) => s + cents(text(st, 'TaxAmount')), 0),
    'VAT = sum of subtotals',
  );
  rule('BR-CO-15', taxIncl === taxExcl + vat, `tax inclusive ${taxIncl} ≠ ${taxExcl} + ${vat}`);
  rule('BR-CO-16', payable === taxIncl - prepaid + rounding, `payable ${payable} ≠ ${taxIncl} + ${rounding}`);
  for (const st of subtotals) {
    const category = kid(st, 'TaxCategory');
    const percent = Number(text(category, 'Percent'));
    const key = `${text(category, 'ID')}/${percent}`;
    if (text(category, 'ID') === 'S') {
      rule('BR-S-01', true, '');
      rule('BR-S-02', sellerVat !== '', 'seller VAT id with standard-rated VAT');
      rule(
        'BR-S-08',
        cents(text(st, 'TaxableAmount')) === (taxableByRate.get(key) ?? 0),
        `taxable amount at ${percent} %`,
      );
      const expectedVat = Math.round((cents(text(st, 'TaxableAmount')) * percent) / 100);
      rule('BR-S-09', Math.abs(expectedVat - cents(text(st, 'TaxAmount'))) <= 1, `VAT at ${percent} %`);
    }
  }
  return broken;
}
