import { Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Incident } from '../api/types';
import { Countdown } from './countdown';
import { StateBadge, TierBadge } from './incident-badges';

/** One incident in a list: tap it to open the incident view. */
export function IncidentCard({ incident, now }: { incident: Incident; now: number }) {
  const { t } = useTranslation();
  const finished = incident.state === 'resolved' || incident.state === 'closed';
  return (
    <Card
      withBorder
      padding="sm"
      component={Link}
      to={`/incidents/${incident.id}`}
      data-testid="incident-card"
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={700} style={{ whiteSpace: 'nowrap' }}>
            {incident.ref}
          </Text>
          <Group gap={4}>
            <TierBadge tier={incident.tier} />
            <StateBadge state={incident.state} />
          </Group>
        </Group>
        <Text size="sm">
          {incident.customerName ?? t('incident.unknownCustomer')}
          {incident.hostname ? ` · ${incident.hostname}` : ''}
        </Text>
        <Text size="sm" c="dimmed" lineClamp={2}>
          {incident.summary}
        </Text>
        <Group gap={6}>
          <Countdown
            label={t('incident.responseDue')}
            due={incident.responseDue}
            now={now}
            done={finished || incident.calledBackAt !== null}
          />
          {incident.actionDue && (
            <Countdown
              label={t('incident.actionDue')}
              due={incident.actionDue}
              now={now}
              done={finished || incident.work.length > 0}
            />
          )}
        </Group>
      </Stack>
    </Card>
  );
}
