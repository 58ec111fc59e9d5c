import { Badge, Button, Card, Checkbox, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, post } from '../api/client';
import type { Server, Tier } from '../api/types';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';

/** Badges show their whole text, also in a narrow table on a phone. */
const FULL = { textTransform: 'none', maxWidth: 'none', height: 'auto' } as const;

interface CatalogueAction {
  key: string;
  titleSv: string;
  titleEn: string;
  command: string;
}

interface Authorization {
  id: string;
  action: string;
  manual: boolean;
  automatic: boolean;
  withinResponsibility: boolean;
  notifyCustomer: boolean;
  revokedAt: string | null;
}

/**
 * The customer's standing instructions per server: which catalogue actions Ballou may run on it, by an
 * engineer's tap and (tier hog only) on a matching alert by itself.
 */
export function AuthorizationsEditor({ servers, tier }: { servers: Server[]; tier: Tier | null }) {
  const { t } = useTranslation();
  const catalogue = useApi<CatalogueAction[]>('/actions');
  return (
    <Card withBorder padding="sm">
      <Title order={3} size="h5">
        {t('authorizations.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('authorizations.help')}
      </Text>
      {servers.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('authorizations.noServers')}
        </Text>
      )}
      <Stack>
        {servers.map((s) => (
          <ServerAuthorizations key={s.id} server={s} catalogue={catalogue.data ?? []} tier={tier} />
        ))}
      </Stack>
    </Card>
  );
}

function ServerAuthorizations({
  server,
  catalogue,
  tier,
}: {
  server: Server;
  catalogue: CatalogueAction[];
  tier: Tier | null;
}) {
  const { t, i18n } = useTranslation();
  const list = useApi<Authorization[]>(`/servers/${server.id}/authorizations`);
  const [action, setAction] = useState<string | null>(null);
  const [automatic, setAutomatic] = useState(false);
  const [within, setWithin] = useState(true);
  const step = useSubmit();
  const title = (key: string) => {
    const a = catalogue.find((c) => c.key === key);
    return a ? (i18n.language === 'en' ? a.titleEn : a.titleSv) : key;
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await step.run(async () => {
      await post(`/servers/${server.id}/authorizations`, {
        action: action ?? '',
        automatic,
        withinResponsibility: within,
      });
      await list.reload();
      return true;
    });
    if (ok) setAction(null);
  };
  const active = (list.data ?? []).filter((a) => !a.revokedAt);
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        {server.hostname}
      </Text>
      {active.length > 0 && (
        <Table>
          <Table.Tbody>
            {active.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{title(a.action)}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {a.manual && (
                      <Badge variant="light" style={FULL}>
                        {t('authorizations.manual')}
                      </Badge>
                    )}
                    {a.automatic && (
                      <Badge color="grape" variant="light" style={FULL}>
                        {t('authorizations.automatic')}
                      </Badge>
                    )}
                    {!a.withinResponsibility && (
                      <Badge color="gray" variant="light" style={FULL}>
                        {t('authorizations.billed')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={t('authorizations.revokeNamed', {
                      title: title(a.action),
                      host: server.hostname,
                    })}
                    onClick={() =>
                      void step.run(async () => {
                        await del(`/servers/${server.id}/authorizations/${a.id}`);
                        await list.reload();
                      })
                    }
                  >
                    {t('authorizations.revoke')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form onSubmit={add} aria-label={t('authorizations.addFor', { host: server.hostname })}>
        <Group align="flex-end" gap="xs">
          <Select
            label={t('authorizations.action')}
            value={action}
            onChange={setAction}
            data={catalogue.map((c) => ({
              value: c.key,
              label: i18n.language === 'en' ? c.titleEn : c.titleSv,
            }))}
            error={step.fieldErrors.action}
            required
          />
          <Checkbox
            label={t('authorizations.automaticLabel')}
            checked={automatic}
            disabled={tier !== 'hog'}
            onChange={(e) => setAutomatic(e.currentTarget.checked)}
          />
          <Checkbox
            label={t('authorizations.within')}
            checked={within}
            onChange={(e) => setWithin(e.currentTarget.checked)}
          />
          <Button type="submit" size="sm" variant="default" loading={step.busy}>
            {t('authorizations.add')}
          </Button>
        </Group>
      </form>
      {step.formError && (
        <Text c="red" size="sm" role="alert">
          {step.formError}
        </Text>
      )}
    </Stack>
  );
}
