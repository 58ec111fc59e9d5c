import { Alert, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../api/types';
import { useMe } from '../auth/session';
import { ErrorAlert } from '../components/error-alert';
import { IncidentCard } from '../components/incident-card';
import { Loading } from '../components/loading';
import { PushButton } from '../components/push-button';
import { useApi } from '../lib/use-api';
import { useIncidentStream } from '../lib/use-incident-stream';
import { useNow } from '../lib/use-now';

/** Whether the engineer was paged (or escalated to) for the incident. */
function pagedTo(incident: Incident, engineerId: string | null): boolean {
  if (!engineerId) return false;
  return incident.timeline.some(
    (e) =>
      (e.type === 'paged' || e.type === 'escalated') &&
      Array.isArray(e.data.engineerIds) &&
      (e.data.engineerIds as unknown[]).includes(engineerId),
  );
}

/** The engineer's phone screen: what I was paged for first, then everything else that is open. */
export default function MyPagesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const now = useNow();
  const board = useApi<Incident[]>('/incidents/board');
  useIncidentStream(() => void board.reload());
  if (board.loading) return <Loading />;
  const incidents = board.data ?? [];
  const mine = incidents.filter((i) => pagedTo(i, me.engineerId));
  const others = incidents.filter((i) => !pagedTo(i, me.engineerId));
  return (
    <Stack maw={640}>
      <Title order={2}>{t('my.title')}</Title>
      <PushButton />
      <ErrorAlert error={board.error} />
      {!me.engineerId && <Alert color="gray">{t('my.noEngineer')}</Alert>}
      <Title order={3} size="h4">
        {t('my.pagedToMe')}
      </Title>
      {mine.length === 0 ? (
        <Text c="dimmed">{t('my.nonePaged')}</Text>
      ) : (
        mine.map((i) => <IncidentCard key={i.id} incident={i} now={now} />)
      )}
      <Title order={3} size="h4">
        {t('my.otherOpen')}
      </Title>
      {others.length === 0 ? (
        <Text c="dimmed">{t('my.noneOpen')}</Text>
      ) : (
        others.map((i) => <IncidentCard key={i.id} incident={i} now={now} />)
      )}
    </Stack>
  );
}
