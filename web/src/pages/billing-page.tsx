import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Fragment, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import { useMe } from '../auth/session';
import { ErrorAlert } from '../components/error-alert';
import { Loading } from '../components/loading';
import { formatMoney, stockholmParts } from '../lib/time';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';

interface InvoiceLine {
  id: string;
  position: number;
  description: string;
  incidentRef: string | null;
  quantity: number;
  unit: string;
  amountOre: number;
}

interface Invoice {
  id: string;
  number: string;
  kind: 'invoice' | 'credit_note';
  customerId: string;
  month: string;
  issueDate: string;
  dueDate: string;
  netOre: number;
  vatOre: number;
  totalOre: number;
  buyer: { name: string };
  lines: InvoiceLine[];
  creditsInvoiceNumber: string | null;
  reason: string | null;
}

/** A would-be invoice (POST /invoice-runs/preview): no id or number until the run issues it. */
interface PreviewInvoice {
  customerId: string;
  netOre: number;
  vatOre: number;
  totalOre: number;
  buyer: { name: string };
  lines: (Omit<InvoiceLine, 'id'> & { id: null })[];
}

function previousMonth(): string {
  const p = stockholmParts(Date.now());
  const total = p.year * 12 + (p.month - 1) - 1;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Month-end billing: run a month, look through its invoices, PDFs and e-invoices, credit notes, exports. */
export default function BillingPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const billing = me.role === 'billing' || me.role === 'admin';
  const [month, setMonth] = useState(previousMonth);
  const invoices = useApi<{ items: Invoice[] }>(`/invoices?month=${encodeURIComponent(month)}&limit=500`);
  const run = useSubmit();
  const [runResult, setRunResult] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const previewStep = useSubmit();
  const [preview, setPreview] = useState<{ month: string; invoices: PreviewInvoice[] } | null>(null);
  const money = (ore: number) => formatMoney(ore, i18n.language);

  const runMonth = async (event: FormEvent) => {
    event.preventDefault();
    setRunResult(null);
    setPreview(null);
    const result = await run.run(() =>
      post<{ created: number; invoices: Invoice[] }>('/invoice-runs', { month }),
    );
    if (result) {
      setRunResult(
        result.created > 0
          ? t('billing.created', { count: result.created })
          : t('billing.alreadyRun', { count: result.invoices.length }),
      );
      await invoices.reload();
    }
  };
  const previewMonth = async () => {
    setRunResult(null);
    const result = await previewStep.run(() =>
      post<{ month: string; invoices: PreviewInvoice[] }>('/invoice-runs/preview', { month }),
    );
    setPreview(result ?? null);
  };
  const items = invoices.data?.items ?? [];
  const total = items.reduce((sum, i) => sum + i.totalOre, 0);

  return (
    <Stack maw={1100}>
      <Title order={2}>{billing ? t('billing.title') : t('billing.customerTitle')}</Title>
      <Card
        withBorder
        padding="sm"
        component="form"
        onSubmit={runMonth}
        aria-label={billing ? t('billing.runTitle') : t('billing.month')}
      >
        <Group align="flex-end">
          <TextInput
            type="month"
            label={t('billing.month')}
            value={month}
            onChange={(e) => setMonth(e.currentTarget.value)}
            error={
              run.fieldErrors.month ?? previewStep.fieldErrors.month ?? invoices.error?.fieldErrors.month
            }
          />
          {billing && (
            <Button type="button" variant="light" loading={previewStep.busy} onClick={previewMonth}>
              {t('billing.preview')}
            </Button>
          )}
          {billing && (
            <Button type="submit" loading={run.busy}>
              {t('billing.run')}
            </Button>
          )}
          {billing && (
            <>
              <Anchor href={`/api/v1/exports/sie?month=${month}`} download>
                {t('billing.sie')}
              </Anchor>
              <Anchor href={`/api/v1/invoices.csv?month=${month}`} download>
                {t('billing.csv')}
              </Anchor>
            </>
          )}
        </Group>
        {billing && (
          <Text size="xs" c="dimmed" mt="xs">
            {t('billing.runHelp')}
          </Text>
        )}
        {run.formError && !run.fieldErrors.month && (
          <Text c="red" size="sm" role="alert">
            {run.formError}
          </Text>
        )}
        {previewStep.formError && !previewStep.fieldErrors.month && (
          <Text c="red" size="sm" role="alert">
            {previewStep.formError}
          </Text>
        )}
        {runResult && (
          <Alert color="green" mt="xs" role="status">
            {runResult}
          </Alert>
        )}
      </Card>
      {preview && preview.month === month && <RunPreview preview={preview} />}
      {invoices.error && Object.keys(invoices.error.fieldErrors).length === 0 && (
        <ErrorAlert error={invoices.error} />
      )}
      {invoices.loading ? (
        <Loading />
      ) : items.length === 0 ? (
        <Text c="dimmed">{t('billing.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table data-testid="invoices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('billing.number')}</Table.Th>
                <Table.Th>{t('incident.customer')}</Table.Th>
                <Table.Th>{t('billing.net')}</Table.Th>
                <Table.Th>{t('billing.vat')}</Table.Th>
                <Table.Th>{t('billing.total')}</Table.Th>
                <Table.Th>{t('billing.files')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((inv) => (
                <Fragment key={inv.id}>
                  <Table.Tr>
                    <Table.Td>
                      {inv.number}{' '}
                      {inv.kind === 'credit_note' && (
                        <Badge color="orange" variant="light" style={{ textTransform: 'none' }}>
                          {t('billing.creditNoteFor', { number: inv.creditsInvoiceNumber })}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{inv.buyer.name}</Table.Td>
                    <Table.Td>{money(inv.netOre)}</Table.Td>
                    <Table.Td>{money(inv.vatOre)}</Table.Td>
                    <Table.Td fw={600}>{money(inv.totalOre)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Anchor href={`/api/v1/invoices/${inv.id}.pdf`} target="_blank" rel="noopener">
                          PDF
                        </Anchor>
                        <Anchor href={`/api/v1/invoices/${inv.id}.xml`} target="_blank" rel="noopener">
                          {t('billing.peppol')}
                        </Anchor>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="subtle"
                        aria-expanded={open === inv.id}
                        onClick={() => setOpen(open === inv.id ? null : inv.id)}
                      >
                        {open === inv.id ? t('billing.hideLines') : t('billing.showLines')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                  {open === inv.id && (
                    <Table.Tr>
                      <Table.Td colSpan={7}>
                        <InvoiceDetail
                          invoice={inv}
                          canCredit={billing && inv.kind === 'invoice'}
                          onCredited={invoices.reload}
                        />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th colSpan={4}>{t('billing.sum')}</Table.Th>
                <Table.Th>{money(total)}</Table.Th>
                <Table.Th colSpan={2} />
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function InvoiceDetail({
  invoice,
  canCredit,
  onCredited,
}: {
  invoice: Invoice;
  canCredit: boolean;
  onCredited: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [reason, setReason] = useState('');
  const [credited, setCredited] = useState<string | null>(null);
  const step = useSubmit();
  const credit = async (event: FormEvent) => {
    event.preventDefault();
    const note = await step.run(async () => {
      const created = await post<Invoice>(`/invoices/${invoice.id}/credit-notes`, { reason });
      await onCredited();
      return created;
    });
    // The credit note is dated today, so it may belong to another month than the list shows.
    if (note) setCredited(t('billing.credited', { number: note.number, month: note.month }));
  };
  return (
    <Stack gap="xs">
      <Text size="sm">
        {t('billing.dates', { issued: invoice.issueDate, due: invoice.dueDate })}
        {invoice.reason ? ` · ${invoice.reason}` : ''}
      </Text>
      <Table>
        <Table.Tbody>
          {invoice.lines.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>{l.description}</Table.Td>
              <Table.Td>{l.incidentRef}</Table.Td>
              <Table.Td>
                {l.quantity} {l.unit}
              </Table.Td>
              <Table.Td ta="right">{formatMoney(l.amountOre, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canCredit && (
        <form onSubmit={credit} aria-label={t('billing.creditTitle', { number: invoice.number })}>
          <Group align="flex-end">
            <TextInput
              label={t('billing.creditReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={step.fieldErrors.reason}
              required
              style={{ flex: 1 }}
            />
            <Button type="submit" color="orange" variant="light" loading={step.busy}>
              {t('billing.credit')}
            </Button>
          </Group>
          {credited && (
            <Text c="green" size="sm" role="status">
              {credited}
            </Text>
          )}
          {step.formError && !step.fieldErrors.reason && (
            <Text c="red" size="sm" role="alert">
              {step.formError}
            </Text>
          )}
        </form>
      )}
    </Stack>
  );
}

/** The invoices the run would issue now, with their lines and a PDF preview each; nothing is issued. */
function RunPreview({ preview }: { preview: { month: string; invoices: PreviewInvoice[] } }) {
  const { t, i18n } = useTranslation();
  const money = (ore: number) => formatMoney(ore, i18n.language);
  return (
    <Card withBorder padding="sm" data-testid="invoice-preview">
      <Title order={3} size="h4">
        {t('billing.previewTitle')}
      </Title>
      {preview.invoices.length === 0 ? (
        <Text c="dimmed">{t('billing.previewNone')}</Text>
      ) : (
        <Stack gap="md" mt="xs">
          {preview.invoices.map((inv) => (
            <Stack key={inv.customerId} gap={4} data-testid="preview-invoice">
              <Group justify="space-between">
                <Text fw={600}>{inv.buyer.name}</Text>
                <Anchor
                  href={`/api/v1/invoice-runs/preview.pdf?month=${encodeURIComponent(preview.month)}&customerId=${encodeURIComponent(inv.customerId)}`}
                  target="_blank"
                  rel="noopener"
                >
                  {t('billing.previewPdf')}
                </Anchor>
              </Group>
              <Table>
                <Table.Tbody>
                  {inv.lines.map((l) => (
                    <Table.Tr key={l.position}>
                      <Table.Td>{l.description}</Table.Td>
                      <Table.Td>{l.incidentRef}</Table.Td>
                      <Table.Td>
                        {l.quantity} {l.unit}
                      </Table.Td>
                      <Table.Td ta="right">{money(l.amountOre)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr>
                    <Table.Th colSpan={3}>
                      {t('billing.net')} {money(inv.netOre)} · {t('billing.vat')} {money(inv.vatOre)} ·{' '}
                      {t('billing.total')}
                    </Table.Th>
                    <Table.Th ta="right" data-testid="preview-total">
                      {money(inv.totalOre)}
                    </Table.Th>
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
            </Stack>
          ))}
        </Stack>
      )}
    </Card>
  );
}
