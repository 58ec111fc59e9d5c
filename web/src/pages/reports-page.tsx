import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import {
  Button,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tier } from '../api/types';
import { ErrorAlert } from '../components/error-alert';
import { Loading } from '../components/loading';
import { stockholmParts } from '../lib/time';
import { useApi } from '../lib/use-api';

interface ClockStats {
  decided: number;
  met: number;
  breaches: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  targetSeconds: number | null;
}

interface SlaReport {
  months: Array<{ month: string; callouts: Record<Tier, number>; incidents: number }>;
  response: ClockStats;
  action: ClockStats;
  byTier: Array<{ tier: Tier; response: ClockStats; action: ClockStats }>;
  customers: Array<{
    customerId: string | null;
    customerName: string | null;
    incidents: number;
    responseBreaches: number;
    actionBreaches: number;
    compliance: number | null;
  }>;
}

const monthText = (ms: number, back: number) => {
  const p = stockholmParts(ms);
  const total = p.year * 12 + (p.month - 1) - back;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
};
const minutes = (s: number | null) => (s === null ? null : Math.round((s / 60) * 10) / 10);

/** Reports: callouts per month and tier, response and action times against targets, SLA per customer. */
export default function ReportsPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => monthText(Date.now(), 5));
  const [to, setTo] = useState(() => monthText(Date.now(), 0));
  const report = useApi<SlaReport>(
    `/reports/sla?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
  );
  const data = report.data;
  const tierSeries = [
    { name: 'hog', label: t('tier.hog'), color: 'violet.6' },
    { name: 'incident', label: t('tier.incident'), color: 'blue.6' },
    { name: 'none', label: t('tier.none'), color: 'gray.6' },
  ];

  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <Title order={2}>{t('reports.title')}</Title>
        <Button variant="default" onClick={() => window.print()} className="no-print">
          {t('reports.print')}
        </Button>
      </Group>
      <Group>
        <TextInput
          type="month"
          label={t('reports.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          error={report.error?.fieldErrors.from}
        />
        <TextInput
          type="month"
          label={t('reports.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          error={report.error?.fieldErrors.to}
        />
      </Group>
      {report.error && Object.keys(report.error.fieldErrors).length === 0 && (
        <ErrorAlert error={report.error} />
      )}
      {report.loading && <Loading />}
      {data && (
        <>
          <Card withBorder padding="sm">
            <Title order={3} size="h5" mb="sm">
              {t('reports.callouts')}
            </Title>
            <BarChart
              h={260}
              data={data.months.map((m) => ({ month: m.month, ...m.callouts }))}
              dataKey="month"
              type="stacked"
              series={tierSeries}
              withLegend
              yAxisProps={{ allowDecimals: false }}
              aria-label={t('reports.callouts')}
            />
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {(['response', 'action'] as const).map((clock) => (
              <Card withBorder padding="sm" key={clock} data-testid={`report-${clock}`}>
                <Title order={3} size="h5">
                  {t(`reports.${clock}`)}
                </Title>
                <Text size="sm" c="dimmed" mb="xs">
                  {t('reports.summary', {
                    median: minutes(data[clock].medianSeconds) ?? '–',
                    p90: minutes(data[clock].p90Seconds) ?? '–',
                    target: minutes(data[clock].targetSeconds) ?? '–',
                    breaches: data[clock].breaches,
                    decided: data[clock].decided,
                  })}
                </Text>
                <BarChart
                  h={200}
                  data={data.byTier.map((row) => ({
                    tier: t(`tier.${row.tier}`),
                    median: minutes(row[clock].medianSeconds) ?? 0,
                    p90: minutes(row[clock].p90Seconds) ?? 0,
                  }))}
                  dataKey="tier"
                  series={[
                    { name: 'median', label: t('reports.median'), color: 'teal.6' },
                    { name: 'p90', label: t('reports.p90'), color: 'orange.6' },
                  ]}
                  referenceLines={
                    data[clock].targetSeconds
                      ? [
                          {
                            y: minutes(data[clock].targetSeconds) ?? 0,
                            label: t('reports.target'),
                            color: 'red.6',
                          },
                        ]
                      : []
                  }
                  unit=" min"
                  withLegend
                />
                <Table mt="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('customers.tier')}</Table.Th>
                      <Table.Th>{t('reports.median')}</Table.Th>
                      <Table.Th>{t('reports.p90')}</Table.Th>
                      <Table.Th>{t('reports.breaches')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.byTier.map((row) => (
                      <Table.Tr key={row.tier}>
                        <Table.Td>{t(`tier.${row.tier}`)}</Table.Td>
                        <Table.Td>{minutes(row[clock].medianSeconds) ?? '–'}</Table.Td>
                        <Table.Td>{minutes(row[clock].p90Seconds) ?? '–'}</Table.Td>
                        <Table.Td c={row[clock].breaches ? 'red' : undefined}>
                          {row[clock].breaches} / {row[clock].decided}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
            ))}
          </SimpleGrid>
          <Card withBorder padding="sm">
            <Title order={3} size="h5">
              {t('reports.compliance')}
            </Title>
            {data.customers.length === 0 ? (
              <Text c="dimmed">{t('reports.noIncidents')}</Text>
            ) : (
              <Table data-testid="report-customers">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('incident.customer')}</Table.Th>
                    <Table.Th>{t('reports.incidents')}</Table.Th>
                    <Table.Th>{t('reports.responseBreaches')}</Table.Th>
                    <Table.Th>{t('reports.actionBreaches')}</Table.Th>
                    <Table.Th>{t('reports.met')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.customers.map((c) => (
                    <Table.Tr key={c.customerId ?? 'none'}>
                      <Table.Td>{c.customerName ?? t('incident.unknownCustomer')}</Table.Td>
                      <Table.Td>{c.incidents}</Table.Td>
                      <Table.Td>{c.responseBreaches}</Table.Td>
                      <Table.Td>{c.actionBreaches}</Table.Td>
                      <Table.Td miw={160}>
                        {c.compliance === null ? (
                          '–'
                        ) : (
                          <Group gap="xs" wrap="nowrap">
                            <Progress
                              value={c.compliance * 100}
                              color={c.compliance >= 0.95 ? 'green' : c.compliance >= 0.8 ? 'orange' : 'red'}
                              w={80}
                              aria-label={t('reports.met')}
                            />
                            <Text size="sm">{Math.round(c.compliance * 100)} %</Text>
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </>
      )}
    </Stack>
  );
}
