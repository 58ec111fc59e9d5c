import { Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, post } from '../api/client';
import type { Contact, Customer, Server } from '../api/types';
import { useMe } from '../auth/session';
import { AuthorizationsEditor } from '../components/authorizations-editor';
import { ErrorAlert } from '../components/error-alert';
import { Loading } from '../components/loading';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';

/** The customer keeps its contacts (whose phones identify callers) and application-level on-call. */
export default function PortalContactsPage() {
  const me = useMe();
  return <ContactsEditor customerId={me.customerId ?? ''} />;
}

export function ContactsEditor({ customerId, embedded = false }: { customerId: string; embedded?: boolean }) {
  const { t } = useTranslation();
  const customer = useApi<Customer>(`/customers/${customerId}`);
  const contacts = useApi<Contact[]>(`/customers/${customerId}/contacts`);
  const servers = useApi<Server[]>(`/customers/${customerId}/servers`);
  const remove = useSubmit();
  if (customer.loading || contacts.loading) return <Loading />;
  if (!customer.data) return <ErrorAlert error={customer.error} />;
  const hostname = (id: string | null) =>
    servers.data?.find((s) => s.id === id)?.hostname ?? t('contacts.allServers');
  return (
    <Stack maw={embedded ? undefined : 820}>
      {!embedded && <Title order={2}>{t('contacts.title', { name: customer.data.name })}</Title>}
      {remove.formError && (
        <Text c="red" role="alert">
          {remove.formError}
        </Text>
      )}
      <Card withBorder padding="sm">
        <Title order={3} size="h5">
          {t('contacts.contacts')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('contacts.contactsHelp')}
        </Text>
        <Table>
          <Table.Tbody>
            {(contacts.data ?? []).map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>{c.phone}</Table.Td>
                <Table.Td>{c.email}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={t('contacts.removeNamed', { name: c.name })}
                    onClick={() =>
                      void remove.run(async () => {
                        await del(`/customers/${customerId}/contacts/${c.id}`);
                        await contacts.reload();
                      })
                    }
                  >
                    {t('contacts.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <PersonForm
          label={t('contacts.addContact')}
          phoneRequired
          onSubmit={async (body) => {
            await post(`/customers/${customerId}/contacts`, body);
            await contacts.reload();
          }}
        />
      </Card>
      <Card withBorder padding="sm">
        <Title order={3} size="h5">
          {t('contacts.appOnCall')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('contacts.appOnCallHelp')}
        </Text>
        <Table>
          <Table.Tbody>
            {customer.data.appOnCall.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.name}</Table.Td>
                <Table.Td>{a.phone}</Table.Td>
                <Table.Td>{a.email}</Table.Td>
                <Table.Td>{hostname(a.serverId)}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={t('contacts.removeNamed', { name: a.name })}
                    onClick={() =>
                      void remove.run(async () => {
                        await del(`/customers/${customerId}/app-oncall/${a.id}`);
                        await customer.reload();
                      })
                    }
                  >
                    {t('contacts.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <PersonForm
          label={t('contacts.addAppOnCall')}
          servers={servers.data ?? []}
          onSubmit={async (body) => {
            await post(`/customers/${customerId}/app-oncall`, body);
            await customer.reload();
          }}
        />
      </Card>
      {!embedded && <AuthorizationsEditor servers={servers.data ?? []} tier={customer.data.tier} />}
    </Stack>
  );
}

function PersonForm({
  label,
  phoneRequired = false,
  servers,
  onSubmit,
}: {
  label: string;
  phoneRequired?: boolean;
  servers?: Server[];
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [serverId, setServerId] = useState<string | null>(null);
  const step = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = {
      name,
      phone: phone || (phoneRequired ? '' : null),
      email: email || null,
    };
    if (servers) body.serverId = serverId;
    const ok = await step.run(async () => {
      await onSubmit(body);
      return true;
    });
    if (ok) {
      setName('');
      setPhone('');
      setEmail('');
    }
  };
  return (
    <form onSubmit={submit} aria-label={label}>
      <Stack gap="xs" mt="sm">
        <Text fw={600} size="sm">
          {label}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: servers ? 4 : 3 }}>
          <TextInput
            label={t('contacts.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={step.fieldErrors.name}
            required
          />
          <TextInput
            label={t('contacts.phone')}
            placeholder="+46701234567"
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            error={step.fieldErrors.phone}
            required={phoneRequired}
          />
          <TextInput
            label={t('contacts.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={step.fieldErrors.email}
          />
          {servers && (
            <Select
              label={t('contacts.server')}
              placeholder={t('contacts.allServers')}
              value={serverId}
              onChange={setServerId}
              data={servers.map((s) => ({ value: s.id, label: s.hostname }))}
              clearable
              error={step.fieldErrors.serverId}
            />
          )}
        </SimpleGrid>
        {step.formError && (
          <Text c="red" size="sm" role="alert">
            {step.formError}
          </Text>
        )}
        <Group>
          <Button type="submit" size="xs" loading={step.busy}>
            {t('contacts.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
