import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentState, Tier } from '../api/types';

const TIER_COLOR: Record<Tier, string> = { hog: 'violet', incident: 'blue', none: 'gray' };
const STATE_COLOR: Record<IncidentState, string> = {
  open: 'red',
  acknowledged: 'orange',
  in_progress: 'yellow',
  resolved: 'green',
  closed: 'gray',
};

export function TierBadge({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return (
    <Badge color={TIER_COLOR[tier]} variant="light">
      {t(`tier.${tier}`)}
    </Badge>
  );
}

export function StateBadge({ state }: { state: IncidentState }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLOR[state]} variant="filled">
      {t(`state.${state}`)}
    </Badge>
  );
}
