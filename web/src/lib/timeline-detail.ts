import type { TFunction } from 'i18next';
import type { TimelineEvent } from '../api/types';
import { formatDateTime, formatTime } from './time';

/** An engineer's name by id, or undefined where the reader may not see engineers (a customer). */
export type EngineerName = (id: string) => string | undefined;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** "Anna Andersson, Bo Berglund", or "2 tekniker" where a name is not known to this reader. */
function engineers(t: TFunction, ids: unknown, nameOf: EngineerName): string | undefined {
  if (!Array.isArray(ids) || ids.length === 0) return undefined;
  const names = ids.map((id) => (typeof id === 'string' ? nameOf(id) : undefined));
  return names.every((n) => n !== undefined)
    ? names.join(', ')
    : t('eventDetail.engineers', { count: ids.length });
}

/**
 * What the timeline says under an event's title: who was paged, what the customer decided and how, the
 * work's times, which deadline passed. The record a manager or the customer reads afterwards; the title
 * and the actor are shown beside it. Empty when the title says it all.
 */
export function timelineDetail(
  event: TimelineEvent,
  t: TFunction,
  lang: string,
  nameOf: EngineerName,
): string[] {
  const d = event.data;
  const lines: string[] = [];
  const channel = (value: unknown) => {
    const code = text(value);
    return code ? t(`channel.${code}`, { defaultValue: code }) : undefined;
  };
  switch (event.type) {
    case 'attached':
      if (text(d.summary)) lines.push(text(d.summary) as string);
      break;
    case 'paged':
    case 'escalated': {
      const to = engineers(t, d.engineerIds, nameOf);
      if (to) lines.push(t('eventDetail.to', { to }));
      break;
    }
    case 'triaged':
      if (typeof d.withinResponsibility === 'boolean')
        lines.push(t(d.withinResponsibility ? 'eventDetail.within' : 'eventDetail.outside'));
      break;
    case 'handed_over': {
      const to = text(d.contactName);
      if (to) lines.push(t('eventDetail.handedOver', { to, channel: channel(d.channel) ?? '–' }));
      break;
    }
    case 'consent_recorded':
      if (typeof d.granted === 'boolean')
        lines.push(
          t(d.granted ? 'eventDetail.consentGranted' : 'eventDetail.consentRefused', {
            by: text(d.by) ?? '–',
            via: channel(d.via) ?? '–',
          }),
        );
      break;
    case 'work_logged':
      if (typeof d.startMs === 'number' && typeof d.endMs === 'number') {
        const who = typeof d.engineerId === 'string' ? nameOf(d.engineerId) : undefined;
        lines.push(
          t('eventDetail.work', {
            from: formatTime(new Date(d.startMs).toISOString(), lang),
            to: formatTime(new Date(d.endMs).toISOString(), lang),
            minutes: Math.round((d.endMs - d.startMs) / 60_000),
          }) + (who && who !== event.actor.name ? ` · ${who}` : ''),
        );
      }
      break;
    case 'sla_near_breach':
    case 'sla_breached':
      if ((d.clock === 'response' || d.clock === 'action') && typeof d.dueMs === 'number')
        lines.push(
          t('eventDetail.deadline', {
            clock: t(d.clock === 'response' ? 'incident.responseDue' : 'incident.actionDue'),
            due: formatTime(new Date(d.dueMs).toISOString(), lang),
          }),
        );
      break;
    case 'page_delivery': {
      const status = text(d.status);
      if (status) {
        const who = typeof d.engineerId === 'string' ? nameOf(d.engineerId) : undefined;
        lines.push(
          t('eventDetail.delivery', {
            status: t(`deliveryStatus.${status}`, { defaultValue: status }),
            channel: channel(d.channel) ?? '–',
          }) + (who ? ` · ${who}` : ''),
        );
      }
      break;
    }
    case 'action_run':
      if (text(d.action))
        lines.push(
          t('eventDetail.action', {
            action: text(d.action),
            exit: typeof d.exitCode === 'number' ? d.exitCode : '–',
            seconds: typeof d.durationMs === 'number' ? Math.round(d.durationMs / 100) / 10 : '–',
          }),
        );
      break;
  }
  if (text(d.reportedAt))
    lines.push(t('incident.statedTime', { at: formatDateTime(text(d.reportedAt), lang) }));
  if (text(d.note)) lines.push(text(d.note) as string);
  if (event.type === 'note' && text(d.text)) lines.push(text(d.text) as string);
  return lines;
}
