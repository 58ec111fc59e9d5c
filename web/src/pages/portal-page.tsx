import { Button, Card, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { post } from '../api/client';
import type { Incident, Page, Server } from '../api/types';
import { useMe } from '../auth/session';
import { ErrorAlert } from '../components/error-alert';
import { fieldErrorsIn } from '../i18n/field-messages';
import { IncidentCard } from '../components/incident-card';
import { Loading } from '../components/loading';
import { useApi } from '../lib/use-api';
import { useIncidentStream } from '../lib/use-incident-stream';
import { useNow } from '../lib/use-now';
import { problemMessageIn } from '../i18n/problem-messages';

/** The customer's start page: report an incident, and follow the organisation's incidents. */
export default function PortalPage() {
  const { t } = useTranslation();
  const now = useNow();
  const incidents = useApi<Page<Incident>>('/incidents?limit=50');
  useIncidentStream(() => void incidents.reload());
  return (
    <Stack maw={720}>
      <Title order={2}>{t('portal.title')}</Title>
      <ReportForm />
      <Title order={3} size="h4">
        {t('portal.incidents')}
      </Title>
      <ErrorAlert error={incidents.error} />
      {incidents.loading ? (
        <Loading />
      ) : (incidents.data?.items.length ?? 0) === 0 ? (
        <Text c="dimmed">{t('portal.noIncidents')}</Text>
      ) : (
        incidents.data?.items.map((i) => <IncidentCard key={i.id} incident={i} now={now} />)
      )}
    </Stack>
  );
}

function ReportForm() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const servers = useApi<Server[]>(me.customerId ? `/customers/${me.customerId}/servers` : null);
  const [summary, setSummary] = useState('');
  const [serverId, setServerId] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFormError(null);
    setFieldErrors({});
    try {
      const incident = await post<Incident>('/incidents', {
        customerId: me.customerId ?? '',
        summary,
        serverId,
        channel: 'portal',
      });
      void navigate(`/incidents/${incident.id}`);
    } catch (e) {
      const err = e as { message: string; fieldErrors?: Record<string, string> };
      setFieldErrors(fieldErrorsIn(i18n.language, err.fieldErrors ?? {}));
      setFormError(problemMessageIn(i18n.language, err.message));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="sm" component="form" onSubmit={submit} aria-label={t('portal.report')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('portal.report')}
        </Title>
        <Textarea
          label={t('portal.summary')}
          description={t('portal.summaryHelp')}
          value={summary}
          onChange={(e) => setSummary(e.currentTarget.value)}
          error={fieldErrors.summary}
          required
          autosize
          minRows={3}
        />
        <Select
          label={t('portal.server')}
          placeholder={t('portal.noServer')}
          value={serverId}
          onChange={setServerId}
          data={(servers.data ?? []).map((s) => ({ value: s.id, label: s.hostname }))}
          error={fieldErrors.serverId}
          clearable
        />
        {formError && (
          <Text c="red" size="sm" role="alert">
            {formError}
          </Text>
        )}
        <Button type="submit" loading={busy} w="fit-content">
          {t('portal.submit')}
        </Button>
      </Stack>
    </Card>
  );
}
