import { Badge, Chip, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Incident, IncidentState, Tier } from '../api/types';
import { Countdown, urgencyOf, URGENCY_COLOR } from '../components/countdown';
import { ErrorAlert } from '../components/error-alert';
import { IncidentCard } from '../components/incident-card';
import { StateBadge, TierBadge } from '../components/incident-badges';
import { Loading } from '../components/loading';
import { OnCallNowCard } from '../components/on-call-now';
import { useApi } from '../lib/use-api';
import { useIncidentStream } from '../lib/use-incident-stream';
import { useNow } from '../lib/use-now';

const TIERS: Tier[] = ['hog', 'incident', 'none'];
const OPEN_STATES: IncidentState[] = ['open', 'acknowledged', 'in_progress'];

/** The worst of an incident's open deadlines, for the row colour. */
function rowUrgency(i: Incident, now: number) {
  const response = urgencyOf(i.responseDue, now, i.calledBackAt !== null);
  const action = urgencyOf(i.actionDue, now, i.work.length > 0);
  for (const u of ['breached', 'near'] as const) if (response === u || action === u) return u;
  return 'ok';
}

/** The duty board: open incidents by priority, live over server-sent events, with SLA colours. */
export default function BoardPage() {
  const { t } = useTranslation();
  const now = useNow();
  const board = useApi<Incident[]>('/incidents/board');
  const live = useIncidentStream(() => void board.reload());
  const [tiers, setTiers] = useState<string[]>(TIERS);
  const [states, setStates] = useState<string[]>(OPEN_STATES);
  const [search, setSearch] = useState('');
  // On a phone the board is a list of cards, in the same order, rather than a wide table.
  const phone = useMediaQuery('(max-width: 48em)');

  const rows = (board.data ?? []).filter(
    (i) =>
      tiers.includes(i.tier) &&
      states.includes(i.state) &&
      (search === '' ||
        `${i.ref} ${i.customerName ?? ''} ${i.hostname ?? ''} ${i.summary}`
          .toLowerCase()
          .includes(search.toLowerCase())),
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('board.title')}</Title>
        <Badge color={live ? 'green' : 'gray'} variant="dot">
          {live ? t('board.live') : t('board.offline')}
        </Badge>
      </Group>
      <OnCallNowCard />
      <Group align="flex-end">
        <Chip.Group multiple value={tiers} onChange={setTiers}>
          <Group gap={4} role="group" aria-label={t('board.filterTier')}>
            {TIERS.map((tier) => (
              <Chip key={tier} value={tier} size="xs">
                {t(`tier.${tier}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Chip.Group multiple value={states} onChange={setStates}>
          <Group gap={4} role="group" aria-label={t('board.filterState')}>
            {OPEN_STATES.map((s) => (
              <Chip key={s} value={s} size="xs">
                {t(`state.${s}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <TextInput
          size="xs"
          label={t('board.search')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
      </Group>
      <ErrorAlert error={board.error} />
      {board.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('board.empty')}</Text>
      ) : phone ? (
        <Stack gap="xs">
          {rows.map((i) => (
            <IncidentCard key={i.id} incident={i} now={now} />
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('board.priority')}</Table.Th>
                <Table.Th>{t('board.incident')}</Table.Th>
                <Table.Th>{t('incident.customer')}</Table.Th>
                <Table.Th>{t('board.state')}</Table.Th>
                <Table.Th>{t('incident.responseDue')}</Table.Th>
                <Table.Th>{t('incident.actionDue')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((i, index) => {
                const urgency = rowUrgency(i, now);
                const finished = i.state === 'resolved' || i.state === 'closed';
                return (
                  <Table.Tr
                    key={i.id}
                    data-urgency={urgency}
                    style={
                      urgency === 'ok'
                        ? undefined
                        : { borderLeft: `4px solid var(--mantine-color-${URGENCY_COLOR[urgency]}-6)` }
                    }
                  >
                    <Table.Td>{index + 1}</Table.Td>
                    <Table.Td>
                      <Link to={`/incidents/${i.id}`}>{i.ref}</Link>
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {i.summary}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <TierBadge tier={i.tier} />
                        <Text size="sm">{i.customerName ?? t('incident.unknownCustomer')}</Text>
                      </Group>
                      {i.hostname && (
                        <Text size="xs" c="dimmed">
                          {i.hostname}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <StateBadge state={i.state} />
                    </Table.Td>
                    <Table.Td>
                      <Countdown
                        label={t('board.short.response')}
                        due={i.responseDue}
                        now={now}
                        done={finished || i.calledBackAt !== null}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Countdown
                        label={t('board.short.action')}
                        due={i.actionDue}
                        now={now}
                        done={finished || i.work.length > 0}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
