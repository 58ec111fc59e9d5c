import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { IconPhone } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { post } from '../api/client';
import type { Contact, Customer, Engineer, Incident } from '../api/types';
import { RESPONDERS, useMe } from '../auth/session';
import { ActionsPanel } from '../components/actions-panel';
import { Countdown } from '../components/countdown';
import { ErrorAlert } from '../components/error-alert';
import { StateBadge, TierBadge } from '../components/incident-badges';
import { Loading } from '../components/loading';
import { formatDateTime, formatMoney, toLocalInput } from '../lib/time';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';
import { useIncidentStream } from '../lib/use-incident-stream';
import { useNow } from '../lib/use-now';
import { timelineDetail } from '../lib/timeline-detail';

/** The incident: deadlines, one-tap steps for the engineer, consent for the customer, and its timeline. */
export default function IncidentPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const me = useMe();
  const now = useNow();
  const incident = useApi<Incident>(`/incidents/${encodeURIComponent(id)}`);
  // Names for the engineers a timeline names by id (who was paged); staff only, a customer sees counts.
  const engineers = useApi<Engineer[]>(me.role === 'customer' ? null : '/engineers');
  const nameOf = (engineerId: string) => engineers.data?.find((e) => e.id === engineerId)?.name;
  useIncidentStream((change) => {
    if (change.id === id) void incident.reload();
  });
  if (incident.loading) return <Loading />;
  if (!incident.data) return <ErrorAlert error={incident.error} />;
  const inc = incident.data;
  const responder = RESPONDERS.includes(me.role);
  const finished = inc.state === 'resolved' || inc.state === 'closed';

  return (
    <Stack maw={720} gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{inc.ref}</Title>
          <Text>{inc.summary}</Text>
        </div>
        <Group gap={4}>
          <TierBadge tier={inc.tier} />
          <StateBadge state={inc.state} />
        </Group>
      </Group>
      <Card withBorder padding="sm">
        <Stack gap={4}>
          <Text size="sm">
            <b>{t('incident.customer')}:</b> {inc.customerName ?? t('incident.unknownCustomer')}
          </Text>
          <Text size="sm">
            <b>{t('incident.server')}:</b> {inc.hostname ?? '–'}
          </Text>
          <Text size="sm">
            <b>{t('incident.reportedAt')}:</b> {formatDateTime(inc.reportedAt, i18n.language)} (
            {t(`channel.${inc.channel}`, { defaultValue: inc.channel })})
          </Text>
          <Text size="sm">
            <b>{t('incident.callout')}:</b> {inc.callout ? t('common.yes') : t('common.no')}
          </Text>
          <PriceLine incidentId={inc.id} version={inc.work.length} />
        </Stack>
      </Card>
      <Group gap="xs">
        <Countdown
          label={t('incident.responseDue')}
          due={inc.responseDue}
          now={now}
          done={finished || inc.calledBackAt !== null}
        />
        {inc.actionDue && (
          <Countdown
            label={t('incident.actionDue')}
            due={inc.actionDue}
            now={now}
            done={finished || inc.work.length > 0}
          />
        )}
      </Group>
      {responder ? (
        <ResponderPanel incident={inc} onChange={incident.reload} />
      ) : (
        <CustomerConsent incident={inc} onChange={incident.reload} />
      )}
      {responder && <ActionsPanel incident={inc} onChange={incident.reload} />}
      <Title order={3} size="h4">
        {t('incident.timeline')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2} active={inc.timeline.length}>
        {inc.timeline.map((e) => (
          <Timeline.Item key={e.seq} title={t(`event.${e.type}`, { defaultValue: e.type })}>
            <Text size="xs" c="dimmed">
              {formatDateTime(e.at, i18n.language)}
              {e.actor.name ? ` · ${e.actor.name}` : ''}
            </Text>
            {timelineDetail(e, t, i18n.language, nameOf).map((line) => (
              <Text key={line} size="sm">
                {line}
              </Text>
            ))}
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}

function ResponderPanel({ incident: inc, onChange }: { incident: Incident; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const me = useMe();
  const step = useSubmit();
  const contacts = useApi<Contact[]>(inc.customerId ? `/customers/${inc.customerId}/contacts` : null);
  const customer = useApi<Customer>(inc.customerId ? `/customers/${inc.customerId}` : null);
  const finished = inc.state === 'resolved' || inc.state === 'closed';
  const act = (path: string, body: unknown = {}) =>
    step.run(async () => {
      await post(`/incidents/${inc.id}/${path}`, body);
      await onChange();
    });

  const phones = [
    ...(inc.callerNumber ? [{ id: 'caller', name: t('incident.caller'), phone: inc.callerNumber }] : []),
    ...(contacts.data ?? []).filter((c) => c.phone !== inc.callerNumber),
  ];

  return (
    <Stack gap="sm">
      {step.formError && (
        <Alert color="red" role="alert">
          {step.formError}
        </Alert>
      )}
      {inc.state === 'open' && (
        <Button
          size="lg"
          color="red"
          loading={step.busy}
          onClick={() => void act('ack', me.engineerId ? { engineerId: me.engineerId } : {})}
        >
          {t('incident.acknowledge')}
        </Button>
      )}
      <Card withBorder padding="sm">
        <Stack gap="xs">
          <Text fw={600}>{t('incident.callCustomer')}</Text>
          {phones.length === 0 && <Text c="dimmed">{t('incident.noPhone')}</Text>}
          {phones.map((c) => (
            <Button
              key={c.id}
              component="a"
              href={`tel:${c.phone}`}
              variant="light"
              leftSection={<IconPhone size={18} />}
            >
              {c.name} · {c.phone}
            </Button>
          ))}
          {!inc.calledBackAt && !finished && (
            <Button variant="default" loading={step.busy} onClick={() => void act('callback')}>
              {t('incident.markCalledBack')}
            </Button>
          )}
          {inc.calledBackAt && <Text size="sm">{t('incident.calledBack')}</Text>}
        </Stack>
      </Card>
      {!inc.triage && !finished && (
        <Card withBorder padding="sm">
          <Stack gap="xs">
            <Text fw={600}>{t('incident.triage')}</Text>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
              <Button
                color="green"
                loading={step.busy}
                onClick={() => void act('triage', { withinResponsibility: true })}
              >
                {t('incident.within')}
              </Button>
              <Button
                color="gray"
                loading={step.busy}
                onClick={() => void act('triage', { withinResponsibility: false })}
              >
                {t('incident.handOver')}
              </Button>
            </SimpleGrid>
          </Stack>
        </Card>
      )}
      {inc.triage && (
        <Text size="sm">
          {inc.triage.withinResponsibility ? t('incident.triagedWithin') : t('incident.triagedOutside')}
        </Text>
      )}
      {inc.triage && !inc.triage.withinResponsibility && (customer.data?.appOnCall.length ?? 0) > 0 && (
        <Card withBorder padding="sm">
          <Text fw={600}>{t('incident.appOnCall')}</Text>
          {customer.data?.appOnCall.map((a) => (
            <Text key={a.id} size="sm">
              {a.name} {a.phone && <Anchor href={`tel:${a.phone}`}>{a.phone}</Anchor>} {a.email}
            </Text>
          ))}
        </Card>
      )}
      {inc.consentRequired && !inc.consent && !finished && (
        <PhoneConsent incident={inc} onChange={onChange} />
      )}
      {inc.consent && (
        <Text size="sm">
          {inc.consent.granted
            ? t('incident.consentGranted', { by: inc.consent.by })
            : t('incident.consentRefused', { by: inc.consent.by })}
        </Text>
      )}
      {!finished && <WorkForm incident={inc} onChange={onChange} />}
      <Group>
        {!finished && (
          <Button variant="outline" color="green" loading={step.busy} onClick={() => void act('resolve')}>
            {t('incident.resolve')}
          </Button>
        )}
        {inc.state === 'resolved' && (
          <Button variant="outline" loading={step.busy} onClick={() => void act('close')}>
            {t('incident.close')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/** The engineer records the customer's answer given on the phone. */
function PhoneConsent({ incident: inc, onChange }: { incident: Incident; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const [by, setBy] = useState('');
  const [linkSent, setLinkSent] = useState<string | null>(null);
  const step = useSubmit();
  const sendLink = () =>
    step.run(async () => {
      const res = await post<{ sentTo: string }>(`/incidents/${inc.id}/consent-link`, {});
      setLinkSent(res.sentTo);
    });
  const decide = (granted: boolean) =>
    step.run(async () => {
      await post(`/incidents/${inc.id}/consent`, { granted, by, via: 'phone' });
      await onChange();
    });
  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Text fw={600}>{t('incident.consentTitle')}</Text>
        <Text size="sm">{t('incident.consentQuestion')}</Text>
        <TextInput
          label={t('incident.consentBy')}
          value={by}
          onChange={(e) => setBy(e.currentTarget.value)}
          error={step.fieldErrors.by}
        />
        {step.formError && !step.fieldErrors.by && (
          <Text c="red" size="sm">
            {step.formError}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <Button color="green" loading={step.busy} onClick={() => void decide(true)}>
            {t('incident.consentYes')}
          </Button>
          <Button color="red" variant="outline" loading={step.busy} onClick={() => void decide(false)}>
            {t('incident.consentNo')}
          </Button>
        </SimpleGrid>
        <Button
          variant="subtle"
          size="sm"
          w="fit-content"
          loading={step.busy}
          onClick={() => void sendLink()}
        >
          {t('incident.sendConsentLink')}
        </Button>
        {linkSent && (
          <Text size="sm" c="green" role="status">
            {t('incident.consentLinkSent', { to: linkSent })}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** Quick work entry: the last half hour by default, edit if needed. */
function WorkForm({ incident: inc, onChange }: { incident: Incident; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const me = useMe();
  const [start, setStart] = useState(() => toLocalInput(Date.now() - 30 * 60_000));
  const [end, setEnd] = useState(() => toLocalInput(Date.now()));
  const [within, setWithin] = useState(inc.triage?.withinResponsibility ?? true);
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState(false);
  // A planner or administrator without an engineer of their own logs work for an engineer.
  const [engineerId, setEngineerId] = useState<string | null>(me.engineerId);
  const engineers = useApi<Engineer[]>(me.engineerId ? null : '/engineers');
  const step = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const ok = await step.run(async () => {
      await post(`/incidents/${inc.id}/work`, {
        start,
        end,
        engineerId: engineerId ?? '',
        withinResponsibility: within,
        note: note || null,
      });
      await onChange();
      return true;
    });
    if (ok) {
      setSaved(true);
      setNote('');
    }
  };
  return (
    <Card withBorder padding="sm" component="form" onSubmit={submit} aria-label={t('work.title')}>
      <Stack gap="xs">
        <Text fw={600}>{t('work.title')}</Text>
        {!me.engineerId && (
          <Select
            label={t('work.engineer')}
            value={engineerId}
            onChange={setEngineerId}
            data={(engineers.data ?? []).filter((e) => e.active).map((e) => ({ value: e.id, label: e.name }))}
            error={step.fieldErrors.engineerId}
            searchable
            required
          />
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <TextInput
            type="datetime-local"
            label={t('work.start')}
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
            error={step.fieldErrors.start}
            required
          />
          <TextInput
            type="datetime-local"
            label={t('work.end')}
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
            error={step.fieldErrors.end}
            required
          />
        </SimpleGrid>
        <Checkbox
          label={t('work.within')}
          checked={within}
          onChange={(e) => setWithin(e.currentTarget.checked)}
        />
        <Textarea
          label={t('work.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={step.fieldErrors.note}
          autosize
          minRows={2}
        />
        {step.formError && (
          <Text c="red" size="sm" role="alert">
            {step.formError}
          </Text>
        )}
        {saved && (
          <Text c="green" size="sm" role="status">
            {t('work.saved')}
          </Text>
        )}
        <Button type="submit" loading={step.busy}>
          {t('work.submit')}
        </Button>
      </Stack>
    </Card>
  );
}

/** The customer's own decision on billable work, in the portal. */
function CustomerConsent({ incident: inc, onChange }: { incident: Incident; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const me = useMe();
  const step = useSubmit();
  const finished = inc.state === 'resolved' || inc.state === 'closed';
  if (inc.consent)
    return (
      <Alert color={inc.consent.granted ? 'green' : 'gray'}>
        {inc.consent.granted
          ? t('incident.consentGranted', { by: inc.consent.by })
          : t('incident.consentRefused', { by: inc.consent.by })}
      </Alert>
    );
  if (!inc.consentRequired || finished) return null;
  const decide = (granted: boolean) =>
    step.run(async () => {
      await post(`/incidents/${inc.id}/consent`, { granted, by: me.name, via: 'portal' });
      await onChange();
    });
  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Text fw={600}>{t('incident.consentTitle')}</Text>
        <Text size="sm">{t('portal.consentQuestion')}</Text>
        {step.formError && (
          <Text c="red" size="sm" role="alert">
            {step.formError}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <Button color="green" loading={step.busy} onClick={() => void decide(true)}>
            {t('incident.consentYes')}
          </Button>
          <Button color="red" variant="outline" loading={step.busy} onClick={() => void decide(false)}>
            {t('incident.consentNo')}
          </Button>
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

/** The incident's price so far by the tariff (excluding VAT); fetched again when work is logged. */
function PriceLine({ incidentId, version }: { incidentId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const price = useApi<{ totalOre: number; startFeeOre: number }>(
    `/incidents/${incidentId}/price?v=${version}`,
  );
  if (!price.data) return null;
  return (
    <Text size="sm" data-testid="incident-price">
      <b>{t('incident.price')}:</b>{' '}
      {t('incident.priceText', {
        total: formatMoney(price.data.totalOre, i18n.language),
        startFee: formatMoney(price.data.startFeeOre, i18n.language),
      })}
    </Text>
  );
}
