import { Button, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client';
import type { AuditPage, AuditRecord } from '../api/types';
import { ErrorAlert } from '../components/error-alert';
import { Loading } from '../components/loading';
import { formatDateTime } from '../lib/time';
import { useApi } from '../lib/use-api';

/** An action code as the API takes it (`customer.updated`); anything else is still being typed. */
const ACTION = /^[a-z_]+\.[a-z_]+$/;

/**
 * The audit log for administrators: who did what and when, newest first, with what changed; a filter by
 * action (e.g. `access.refused` for refused requests) and older records a page at a time.
 */
export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const [typed, setTyped] = useState('');
  const action = ACTION.test(typed.trim()) ? typed.trim() : '';
  const first = useApi<AuditPage>(`/audit?limit=50${action ? `&action=${encodeURIComponent(action)}` : ''}`);
  const [older, setOlder] = useState<AuditRecord[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  useEffect(() => {
    setOlder([]);
    setNextBefore(first.data?.nextBefore ?? null);
  }, [first.data]);

  const more = async () => {
    if (nextBefore === null) return;
    setLoadingMore(true);
    try {
      const page = await get<AuditPage>(
        `/audit?limit=50&before=${nextBefore}${action ? `&action=${encodeURIComponent(action)}` : ''}`,
      );
      setOlder((rows) => [...rows, ...page.items]);
      setNextBefore(page.nextBefore);
    } finally {
      setLoadingMore(false);
    }
  };

  const rows = [...(first.data?.items ?? []), ...older];
  return (
    <Stack maw={1100}>
      <Title order={2}>{t('audit.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('audit.intro')}
      </Text>
      <TextInput
        label={t('audit.action')}
        description={t('audit.actionHelp')}
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        error={typed.trim() !== '' && !action ? t('audit.actionForm') : undefined}
        maw={360}
      />
      <ErrorAlert error={first.error} />
      {first.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('audit.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.when')}</Table.Th>
                <Table.Th>{t('audit.who')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.what')}</Table.Th>
                <Table.Th>{t('audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.seq}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.at, i18n.language)}</Table.Td>
                  <Table.Td>
                    {r.actor.name ?? '–'}
                    <Text size="xs" c="dimmed">
                      {t(`audit.actorType.${r.actor.type}`, { defaultValue: r.actor.type })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{r.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    {r.entityType}
                    {r.entityId && (
                      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                        {r.entityId}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {Object.keys(r.data).length > 0 && (
                      <Code block style={{ maxWidth: 420, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                        {JSON.stringify(r.data)}
                      </Code>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {nextBefore !== null && (
        <Group>
          <Button variant="default" loading={loadingMore} onClick={() => void more()}>
            {t('audit.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
