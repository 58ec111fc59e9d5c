import { Badge, Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import type { Incident } from '../api/types';
import { formatDateTime } from '../lib/time';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';

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
  revokedAt: string | null;
}

interface ActionRun {
  id: string;
  action: string;
  status: string;
  reason: string | null;
  exitCode: number | null;
  output: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const RUNNING = new Set(['queued', 'running']);
const STATUS_COLOR: Record<string, string> = { succeeded: 'green', queued: 'gray', running: 'blue' };

/** The customer's pre-authorized actions on the incident's server: one tap to run, with the last results. */
export function ActionsPanel({ incident, onChange }: { incident: Incident; onChange: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const catalogue = useApi<CatalogueAction[]>('/actions');
  const authorizations = useApi<Authorization[]>(
    incident.serverId ? `/servers/${incident.serverId}/authorizations` : null,
  );
  const runs = useApi<ActionRun[]>(`/incidents/${incident.id}/action-runs`);
  const step = useSubmit();
  const busy = (runs.data ?? []).some((r) => RUNNING.has(r.status));
  const reloadRuns = runs.reload;
  useEffect(() => {
    // A run is carried out in the background: follow it until it has finished.
    if (!busy) return;
    const id = setInterval(() => void reloadRuns(), 1500);
    return () => clearInterval(id);
  }, [busy, reloadRuns]);

  if (!incident.serverId) return null;
  // A finished incident keeps its runs on record; new runs are for open incidents only (the server says so too).
  const finished = incident.state === 'resolved' || incident.state === 'closed';
  if (finished && (runs.data ?? []).length === 0) return null;
  const title = (key: string) => {
    const a = catalogue.data?.find((c) => c.key === key);
    return a ? (i18n.language === 'en' ? a.titleEn : a.titleSv) : key;
  };
  const usable = (authorizations.data ?? []).filter((a) => a.manual && !a.revokedAt);
  const run = (action: string) =>
    step.run(async () => {
      await post(`/incidents/${incident.id}/actions`, { action, serverId: incident.serverId });
      await Promise.all([runs.reload(), onChange()]);
    });

  return (
    <Card withBorder padding="sm" aria-label={t('actions.title')} component="section">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('actions.title')}
        </Title>
        {finished && (
          <Text size="sm" c="dimmed">
            {t('actions.finished')}
          </Text>
        )}
        {!finished && usable.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('actions.none')}
          </Text>
        )}
        <Group gap="xs">
          {(finished ? [] : usable).map((a) => (
            <Button key={a.id} variant="light" loading={step.busy} onClick={() => void run(a.action)}>
              {t('actions.run', { title: title(a.action) })}
            </Button>
          ))}
        </Group>
        {step.formError && (
          <Text c="red" size="sm" role="alert">
            {step.formError}
          </Text>
        )}
        {(runs.data ?? [])
          .slice()
          .reverse()
          .slice(0, 5)
          .map((r) => (
            <Stack key={r.id} gap={2}>
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {title(r.action)}
                </Text>
                <Badge
                  color={STATUS_COLOR[r.status] ?? 'red'}
                  variant="light"
                  style={{ textTransform: 'none' }}
                >
                  {t(`actions.status.${r.status}`, { defaultValue: r.status })}
                </Badge>
                {r.exitCode !== null && <Text size="xs">{t('actions.exitCode', { code: r.exitCode })}</Text>}
                <Text size="xs" c="dimmed">
                  {formatDateTime(r.finishedAt ?? r.createdAt, i18n.language)}
                </Text>
              </Group>
              {r.reason && <Text size="xs">{r.reason}</Text>}
              {r.output && (
                <Code block style={{ maxHeight: 160, overflow: 'auto' }}>
                  {r.output}
                </Code>
              )}
            </Stack>
          ))}
      </Stack>
    </Card>
  );
}
