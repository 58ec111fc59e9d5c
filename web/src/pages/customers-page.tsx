import { Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { post } from '../api/client';
import type { Customer, Page, Tier } from '../api/types';
import { ErrorAlert } from '../components/error-alert';
import { TierBadge } from '../components/incident-badges';
import { Loading } from '../components/loading';
import { toLocalDate } from '../lib/time';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';

export const TIER_OPTIONS: Tier[] = ['hog', 'incident', 'none'];

/** Customers admin: the list, a search, and a new customer. */
export default function CustomersPage() {
  const { t } = useTranslation();
  const customers = useApi<Page<Customer>>('/customers?limit=500');
  const [search, setSearch] = useState('');
  const rows = (customers.data?.items ?? []).filter((c) =>
    `${c.name} ${c.orgNumber}`.toLowerCase().includes(search.toLowerCase()),
  );
  return (
    <Stack maw={960}>
      <Title order={2}>{t('customers.title')}</Title>
      <TextInput
        label={t('customers.search')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={320}
      />
      <ErrorAlert error={customers.error} />
      {customers.loading ? (
        <Loading />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customers.name')}</Table.Th>
                <Table.Th>{t('customers.orgNumber')}</Table.Th>
                <Table.Th>{t('customers.tier')}</Table.Th>
                <Table.Th>{t('customers.agreementStart')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Link to={`/customers/${c.id}`}>{c.name}</Link>
                  </Table.Td>
                  <Table.Td>{c.orgNumber}</Table.Td>
                  <Table.Td>{c.tier ? <TierBadge tier={c.tier} /> : '–'}</Table.Td>
                  <Table.Td>{c.agreementStart}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <NewCustomerForm />
    </Stack>
  );
}

function NewCustomerForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [orgNumber, setOrgNumber] = useState('');
  const [tier, setTier] = useState<string | null>('incident');
  const [agreementStart, setAgreementStart] = useState(() => toLocalDate(Date.now()));
  const [invoiceEmail, setInvoiceEmail] = useState('');
  const step = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await step.run(() =>
      post<Customer>('/customers', {
        name,
        orgNumber,
        tier,
        agreementStart,
        invoiceEmail: invoiceEmail || null,
      }),
    );
    if (created) void navigate(`/customers/${created.id}`);
  };
  return (
    <Card withBorder padding="sm" component="form" onSubmit={submit} aria-label={t('customers.new')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('customers.new')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('customers.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={step.fieldErrors.name}
            required
          />
          <TextInput
            label={t('customers.orgNumber')}
            placeholder="556677-0011"
            value={orgNumber}
            onChange={(e) => setOrgNumber(e.currentTarget.value)}
            error={step.fieldErrors.orgNumber}
            required
          />
          <Select
            label={t('customers.tier')}
            value={tier}
            onChange={setTier}
            data={TIER_OPTIONS.map((v) => ({ value: v, label: t(`tier.${v}`) }))}
            error={step.fieldErrors.tier}
            allowDeselect={false}
          />
          <TextInput
            type="date"
            label={t('customers.agreementStart')}
            value={agreementStart}
            onChange={(e) => setAgreementStart(e.currentTarget.value)}
            error={step.fieldErrors.agreementStart}
            required
          />
          <TextInput
            type="email"
            label={t('customers.invoiceEmail')}
            value={invoiceEmail}
            onChange={(e) => setInvoiceEmail(e.currentTarget.value)}
            error={step.fieldErrors.invoiceEmail}
          />
        </SimpleGrid>
        {step.formError && (
          <Text c="red" size="sm" role="alert">
            {step.formError}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={step.busy}>
            {t('customers.create')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
