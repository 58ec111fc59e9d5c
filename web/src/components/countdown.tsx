import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../lib/time';

/** Minutes before a deadline that count as near breach (the server's SLA job warns at the same point). */
export const NEAR_BREACH_MS = 5 * 60_000;

export type Urgency = 'ok' | 'near' | 'breached' | 'done';

export function urgencyOf(due: string | null, now: number, done: boolean): Urgency {
  if (!due || done) return 'done';
  const left = Date.parse(due) - now;
  if (left <= 0) return 'breached';
  return left <= NEAR_BREACH_MS ? 'near' : 'ok';
}

export const URGENCY_COLOR: Record<Urgency, string> = {
  ok: 'green',
  near: 'orange',
  breached: 'red',
  done: 'gray',
};

/** A live countdown to a deadline: time left, or time over in red once it has passed. */
export function Countdown({
  label,
  due,
  now,
  done,
}: {
  label: string;
  due: string | null;
  now: number;
  done: boolean;
}) {
  const { t } = useTranslation();
  const urgency = urgencyOf(due, now, done);
  const text = !due
    ? t('countdown.none')
    : done
      ? t('countdown.done')
      : urgency === 'breached'
        ? t('countdown.over', { time: formatDuration(now - Date.parse(due)) })
        : t('countdown.left', { time: formatDuration(Date.parse(due) - now) });
  return (
    <Badge
      size="lg"
      color={URGENCY_COLOR[urgency]}
      variant={urgency === 'ok' || urgency === 'done' ? 'light' : 'filled'}
      data-urgency={urgency}
      style={{ textTransform: 'none', maxWidth: 'none', overflow: 'visible' }}
    >
      {label}: {text}
    </Badge>
  );
}
