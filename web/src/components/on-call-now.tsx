import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OnCallNow, Shift } from '../api/types';
import { formatDateTime } from '../lib/time';
import { useApi } from '../lib/use-api';

/** The next shift of a role after the one running now (the roster's next hand-over). */
function nextShift(shifts: Shift[] | undefined, now: number, current: string | undefined): Shift | undefined {
  return shifts?.find((s) => Date.parse(s.start) > now && s.engineerId && s.engineerId !== current);
}

/** Who is on call now, and who takes over next, per role. */
export function OnCallNowCard() {
  const { t, i18n } = useTranslation();
  const now = useApi<OnCallNow>('/oncall');
  // Fixed when the card mounts, so the query (and the fetch) does not change on every render.
  const [ms] = useState(() => Date.now());
  const from = new Date(ms).toISOString();
  const to = new Date(ms + 21 * 86_400_000).toISOString();
  const shifts = useApi<{ primary: Shift[]; secondary: Shift[] }>(
    `/oncall/shifts?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
  );
  return (
    <Card withBorder padding="sm">
      <Title order={3} size="h5" mb="xs">
        {t('oncall.title')}
      </Title>
      <Group align="flex-start" grow>
        {(['primary', 'secondary'] as const).map((role) => {
          const holder = now.data?.[role];
          const next = nextShift(shifts.data?.[role], ms, holder?.id);
          return (
            <Stack key={role} gap={2} data-testid={`oncall-${role}`}>
              <Text size="xs" c="dimmed">
                {t(`oncall.${role}`)}
              </Text>
              <Text fw={600} c={holder ? undefined : 'red'}>
                {holder ? holder.name : t('oncall.nobody')}
              </Text>
              {holder && (
                <Text size="xs">
                  <a href={`tel:${holder.phone}`}>{holder.phone}</a>
                </Text>
              )}
              {next && (
                <Text size="xs" c="dimmed">
                  {t('oncall.next', {
                    name: next.engineerName,
                    at: formatDateTime(next.start, i18n.language),
                  })}
                </Text>
              )}
            </Stack>
          );
        })}
      </Group>
    </Card>
  );
}
