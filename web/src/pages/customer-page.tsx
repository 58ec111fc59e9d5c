import {
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { patch, post } from '../api/client';
import type { Customer, Server } from '../api/types';
import { AuthorizationsEditor } from '../components/authorizations-editor';
import { ErrorAlert } from '../components/error-alert';
import { TierBadge } from '../components/incident-badges';
import { Loading } from '../components/loading';
import { toLocalDate } from '../lib/time';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';
import { TIER_OPTIONS } from './customers-page';
import { ContactsEditor } from './portal-contacts-page';

/** One customer: agreement and tier history, servers, contacts and application-level on-call. */
export default function CustomerPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const customer = useApi<Customer>(`/customers/${encodeURIComponent(id)}`);
  const servers = useApi<Server[]>(`/customers/${encodeURIComponent(id)}/servers`);
  if (customer.loading) return <Loading />;
  if (!customer.data) return <ErrorAlert error={customer.error} />;
  const c = customer.data;
  return (
    <Stack maw={960}>
      <Group>
        <Title order={2}>{c.name}</Title>
        {c.tier && <TierBadge tier={c.tier} />}
      </Group>
      <DetailsForm customer={c} onSaved={customer.reload} />
      <Card withBorder padding="sm">
        <Title order={3} size="h5">
          {t('customers.tierHistory')}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('customers.tier')}</Table.Th>
              <Table.Th>{t('customers.validFrom')}</Table.Th>
              <Table.Th>{t('customers.validTo')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.tiers.map((h) => (
              <Table.Tr key={h.validFrom}>
                <Table.Td>
                  <TierBadge tier={h.tier} />
                </Table.Td>
                <Table.Td>{h.validFrom}</Table.Td>
                <Table.Td>{h.validTo ?? '–'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <TierForm customerId={c.id} onSaved={customer.reload} />
      </Card>
      <Card withBorder padding="sm">
        <Title order={3} size="h5">
          {t('customers.servers')}
        </Title>
        <Table>
          <Table.Tbody>
            {(servers.data ?? []).map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{s.hostname}</Table.Td>
                <Table.Td>{s.criticalData ? t('customers.criticalData') : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <ServerForm customerId={c.id} onSaved={servers.reload} />
      </Card>
      <ContactsEditor customerId={c.id} embedded />
      <AuthorizationsEditor servers={servers.data ?? []} tier={c.tier} />
    </Stack>
  );
}

function TierForm({ customerId, onSaved }: { customerId: string; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const [tier, setTier] = useState<string | null>('hog');
  const [validFrom, setValidFrom] = useState(() => toLocalDate(Date.now()));
  const step = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void step.run(async () => {
      await post(`/customers/${customerId}/tiers`, { tier, validFrom });
      await onSaved();
    });
  };
  return (
    <form onSubmit={submit} aria-label={t('customers.changeTier')}>
      <Group align="flex-end" mt="sm">
        <Select
          label={t('customers.newTier')}
          value={tier}
          onChange={setTier}
          data={TIER_OPTIONS.map((v) => ({ value: v, label: t(`tier.${v}`) }))}
          allowDeselect={false}
          error={step.fieldErrors.tier}
        />
        <TextInput
          type="date"
          label={t('customers.validFrom')}
          value={validFrom}
          onChange={(e) => setValidFrom(e.currentTarget.value)}
          error={step.fieldErrors.validFrom}
        />
        <Button type="submit" variant="default" loading={step.busy}>
          {t('customers.changeTier')}
        </Button>
      </Group>
      {step.formError && (
        <Text c="red" size="sm" role="alert">
          {step.formError}
        </Text>
      )}
    </form>
  );
}

function ServerForm({ customerId, onSaved }: { customerId: string; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const [hostname, setHostname] = useState('');
  const [criticalData, setCriticalData] = useState(false);
  const step = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await step.run(async () => {
      await post(`/customers/${customerId}/servers`, { hostname, criticalData });
      await onSaved();
      return true;
    });
    if (ok) setHostname('');
  };
  return (
    <form onSubmit={submit} aria-label={t('customers.addServer')}>
      <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm" style={{ alignItems: 'end' }}>
        <TextInput
          label={t('customers.hostname')}
          value={hostname}
          onChange={(e) => setHostname(e.currentTarget.value)}
          error={step.fieldErrors.hostname}
          required
        />
        <Checkbox
          label={t('customers.criticalData')}
          checked={criticalData}
          onChange={(e) => setCriticalData(e.currentTarget.checked)}
        />
        <Button type="submit" variant="default" loading={step.busy}>
          {t('customers.addServer')}
        </Button>
      </SimpleGrid>
      {step.formError && (
        <Text c="red" size="sm" role="alert">
          {step.formError}
        </Text>
      )}
    </form>
  );
}

/** The customer's details as invoiced; the agreement tier changes through the history above instead. */
function DetailsForm({ customer, onSaved }: { customer: Customer; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const [name, setName] = useState(customer.name);
  const [orgNumber, setOrgNumber] = useState(customer.orgNumber);
  const [vatNumber, setVatNumber] = useState(customer.vatNumber ?? '');
  const [invoiceEmail, setInvoiceEmail] = useState(customer.invoiceEmail ?? '');
  const [agreementEnd, setAgreementEnd] = useState(customer.agreementEnd ?? '');
  const [saved, setSaved] = useState(false);
  const step = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const ok = await step.run(async () => {
      await patch(`/customers/${customer.id}`, {
        name,
        orgNumber,
        vatNumber: vatNumber || null,
        invoiceEmail: invoiceEmail || null,
        agreementEnd: agreementEnd || null,
      });
      await onSaved();
      return true;
    });
    if (ok) setSaved(true);
  };
  return (
    <Card withBorder padding="sm" component="form" onSubmit={submit} aria-label={t('customers.details')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('customers.details')}
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
            value={orgNumber}
            onChange={(e) => setOrgNumber(e.currentTarget.value)}
            error={step.fieldErrors.orgNumber}
            required
          />
          <TextInput
            label={t('customers.vatNumber')}
            value={vatNumber}
            onChange={(e) => setVatNumber(e.currentTarget.value)}
            error={step.fieldErrors.vatNumber}
          />
          <TextInput
            type="email"
            label={t('customers.invoiceEmail')}
            value={invoiceEmail}
            onChange={(e) => setInvoiceEmail(e.currentTarget.value)}
            error={step.fieldErrors.invoiceEmail}
          />
          <TextInput label={t('customers.agreementStart')} value={customer.agreementStart} readOnly />
          <TextInput
            type="date"
            label={t('customers.agreementEnd')}
            value={agreementEnd}
            onChange={(e) => setAgreementEnd(e.currentTarget.value)}
            error={step.fieldErrors.agreementEnd}
          />
        </SimpleGrid>
        {step.formError && (
          <Text c="red" size="sm" role="alert">
            {step.formError}
          </Text>
        )}
        {saved && (
          <Text c="green" size="sm" role="status">
            {t('customers.saved')}
          </Text>
        )}
        <Button type="submit" variant="default" w="fit-content" loading={step.busy}>
          {t('customers.save')}
        </Button>
      </Stack>
    </Card>
  );
}
