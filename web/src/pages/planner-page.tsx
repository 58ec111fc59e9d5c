import {
  Alert,
  Badge,
  Button,
  Card,
  CopyButton,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import type { Engineer, Gap, Shift } from '../api/types';
import { PLANNERS, useMe } from '../auth/session';
import { ErrorAlert } from '../components/error-alert';
import { Loading } from '../components/loading';
import {
  formatDay,
  formatTime,
  mondayOf,
  stockholmMidnight,
  stockholmParts,
  toLocalInput,
} from '../lib/time';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';

type View = 'week' | 'month';

/** What the override form is filled with: a tapped gap or days dragged across. */
interface Prefill {
  start: number;
  end: number;
  role?: 'primary' | 'secondary' | undefined;
  at: number;
}

interface Day {
  start: number;
  end: number;
}

/** The days shown: a Monday–Sunday week, or the whole weeks covering a month. */
function daysOf(view: View, anchor: [number, number, number]): Day[] {
  const [y, m, d] = anchor;
  let first: [number, number, number];
  let count: number;
  if (view === 'week') {
    first = [y, m, d];
    count = 7;
  } else {
    first = mondayOf(stockholmMidnight(y, m, 1) + 3_600_000);
    const lastOfMonth = stockholmMidnight(y, m + 1, 1) - 3_600_000;
    const [ly, lm, ld] = mondayOf(lastOfMonth);
    count = Math.round((stockholmMidnight(ly, lm, ld + 7) - stockholmMidnight(...first)) / 86_400_000);
  }
  return Array.from({ length: count }, (_, i) => ({
    start: stockholmMidnight(first[0], first[1], first[2] + i),
    end: stockholmMidnight(first[0], first[1], first[2] + i + 1),
  }));
}

const overlaps = (a: { start: string; end: string }, day: Day) =>
  Date.parse(a.start) < day.end && Date.parse(a.end) > day.start;

/** The planner: the roster week or month, gaps in red, overrides by form, calendar links. */
export default function PlannerPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [view, setView] = useState<View>('week');
  const [anchor, setAnchor] = useState<[number, number, number]>(() => mondayOf(Date.now()));
  const days = useMemo(() => daysOf(view, anchor), [view, anchor]);
  const from = new Date(days[0]?.start ?? 0).toISOString();
  const to = new Date(days.at(-1)?.end ?? 0).toISOString();
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const shifts = useApi<{ primary: Shift[]; secondary: Shift[] }>(`/oncall/shifts?${range}`);
  const gaps = useApi<Gap[]>(`/oncall/gaps?${range}`);
  const engineers = useApi<Engineer[]>('/engineers');
  const canPlan = PLANNERS.includes(me.role);
  // A tap on a gap fills the override form with it.
  const [prefill, setPrefill] = useState<Prefill | null>(null);
  // Dragging across days (mouse or touch) selects them for an override: from the first day's midnight to
  // the midnight after the last.
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const dragRange = drag ? [Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)] : null;
  const endDrag = () => {
    if (!drag || !dragRange) return;
    const first = days[dragRange[0] as number];
    const last = days[dragRange[1] as number];
    setDrag(null);
    if (first && last && canPlan) setPrefill({ start: first.start, end: last.end, at: Date.now() });
  };

  const move = (direction: number) => {
    const [y, m, d] = anchor;
    if (view === 'week') setAnchor(mondayOf(stockholmMidnight(y, m, d + 7 * direction) + 3_600_000));
    else {
      const p = stockholmParts(stockholmMidnight(y, m + direction, 1) + 3_600_000);
      setAnchor([p.year, p.month, 1]);
    }
  };
  const switchView = (next: View) => {
    const [y, m, d] = anchor;
    setView(next);
    setAnchor(next === 'week' ? mondayOf(stockholmMidnight(y, m, d) + 3_600_000) : [y, m, 1]);
  };
  const reload = async () => {
    await Promise.all([shifts.reload(), gaps.reload()]);
  };
  const title =
    view === 'month'
      ? new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'sv-SE', {
          month: 'long',
          year: 'numeric',
        }).format(new Date(Date.UTC(anchor[0], anchor[1] - 1, 15)))
      : `${formatDay(days[0]?.start ?? 0, i18n.language)} – ${formatDay((days.at(-1)?.start ?? 0) + 3_600_000, i18n.language)}`;

  return (
    <Stack>
      <Title order={2}>{t('planner.title')}</Title>
      <Group justify="space-between">
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={() => move(-1)}>
            {t('planner.previous')}
          </Button>
          <Button
            variant="default"
            size="xs"
            onClick={() =>
              setAnchor(
                view === 'week'
                  ? mondayOf(Date.now())
                  : (() => {
                      const p = stockholmParts(Date.now());
                      return [p.year, p.month, 1] as [number, number, number];
                    })(),
              )
            }
          >
            {t('planner.today')}
          </Button>
          <Button variant="default" size="xs" onClick={() => move(1)}>
            {t('planner.next')}
          </Button>
          <Text fw={600} data-testid="planner-range">
            {title}
          </Text>
        </Group>
        <SegmentedControl
          size="xs"
          aria-label={t('planner.view')}
          value={view}
          onChange={(v) => switchView(v as View)}
          data={[
            { value: 'week', label: t('planner.week') },
            { value: 'month', label: t('planner.month') },
          ]}
        />
      </Group>
      <ErrorAlert error={shifts.error ?? gaps.error} />
      {canPlan && (
        <Text size="xs" c="dimmed">
          {t('planner.dragHelp')}
        </Text>
      )}
      {gaps.data && (
        <Alert color={gaps.data.length ? 'red' : 'green'} data-testid="gap-summary">
          {gaps.data.length ? t('planner.gaps', { count: gaps.data.length }) : t('planner.noGaps')}
        </Alert>
      )}
      {shifts.loading ? (
        <Loading />
      ) : (
        <SimpleGrid
          cols={{ base: 1, sm: 7 }}
          spacing={4}
          onPointerUp={endDrag}
          onPointerLeave={() => setDrag(null)}
          style={{ userSelect: drag ? 'none' : undefined, touchAction: canPlan ? 'pan-y' : undefined }}
        >
          {days.map((day, index) => {
            const selected =
              dragRange !== null && index >= (dragRange[0] as number) && index <= (dragRange[1] as number);
            const dayGaps = (gaps.data ?? []).filter((g) => overlaps(g, day));
            return (
              <Paper
                key={day.start}
                withBorder
                p={6}
                bg={
                  selected
                    ? 'var(--mantine-color-blue-1)'
                    : dayGaps.length
                      ? 'var(--mantine-color-red-0)'
                      : undefined
                }
                onPointerDown={
                  canPlan
                    ? (e) => {
                        // Touch captures the pointer to the first cell; release it so the others see it.
                        if (e.currentTarget.hasPointerCapture(e.pointerId))
                          e.currentTarget.releasePointerCapture(e.pointerId);
                        setDrag({ from: index, to: index });
                      }
                    : undefined
                }
                onPointerEnter={() => drag && setDrag({ ...drag, to: index })}
                data-testid="planner-day"
                data-gap={dayGaps.length > 0}
              >
                <Text size="xs" fw={700}>
                  {formatDay(day.start + 3_600_000, i18n.language)}
                </Text>
                {(['primary', 'secondary'] as const).map((role) =>
                  (shifts.data?.[role] ?? [])
                    .filter((s) => overlaps(s, day) && s.engineerId)
                    .map((s) => (
                      <Text
                        key={`${role}-${s.start}`}
                        size="xs"
                        c={s.source === 'override' ? 'grape' : undefined}
                      >
                        {t(`planner.roleShort.${role}`)} {s.engineerName}
                        {Date.parse(s.start) > day.start
                          ? ` ${t('planner.from', { time: formatTime(s.start, i18n.language) })}`
                          : ''}
                        {Date.parse(s.end) < day.end
                          ? ` ${t('planner.until', { time: formatTime(s.end, i18n.language) })}`
                          : ''}
                      </Text>
                    )),
                )}
                {dayGaps.map((g) => (
                  <Badge
                    key={g.start}
                    component="button"
                    type="button"
                    color="red"
                    size="xs"
                    variant="filled"
                    style={{ textTransform: 'none', cursor: canPlan ? 'pointer' : undefined, border: 0 }}
                    title={canPlan ? t('planner.fillGap', { reason: g.reason }) : g.reason}
                    disabled={!canPlan}
                    onClick={() =>
                      setPrefill({
                        start: Date.parse(g.start),
                        end: Date.parse(g.end),
                        role:
                          g.kind === 'no-primary'
                            ? 'primary'
                            : g.kind === 'no-secondary'
                              ? 'secondary'
                              : undefined,
                        at: Date.now(),
                      })
                    }
                    onPointerDown={(e) => e.stopPropagation()}
                  >
                    {t('planner.gap')}{' '}
                    {formatTime(
                      Date.parse(g.start) < day.start ? new Date(day.start).toISOString() : g.start,
                      i18n.language,
                    )}
                    –
                    {formatTime(
                      Date.parse(g.end) > day.end ? new Date(day.end).toISOString() : g.end,
                      i18n.language,
                    )}
                  </Badge>
                ))}
              </Paper>
            );
          })}
        </SimpleGrid>
      )}
      {gaps.data && gaps.data.length > 0 && (
        <Card withBorder padding="sm">
          <Title order={3} size="h5">
            {t('planner.gapList')}
          </Title>
          {gaps.data.map((g) => (
            <Text key={g.start} size="sm" c="red">
              {formatDay(Date.parse(g.start), i18n.language)} {formatTime(g.start, i18n.language)} –{' '}
              {formatDay(Date.parse(g.end), i18n.language)} {formatTime(g.end, i18n.language)}: {g.reason}
            </Text>
          ))}
        </Card>
      )}
      {canPlan && <OverrideForm engineers={engineers.data ?? []} onSaved={reload} prefill={prefill} />}
      <CalendarLinks engineers={engineers.data ?? []} />
    </Stack>
  );
}

function OverrideForm({
  engineers,
  onSaved,
  prefill,
}: {
  engineers: Engineer[];
  onSaved: () => Promise<void>;
  prefill: Prefill | null;
}) {
  const { t } = useTranslation();
  const [role, setRole] = useState<string | null>('secondary');
  const [engineerId, setEngineerId] = useState<string | null>(null);
  const [start, setStart] = useState(() => toLocalInput(Date.now()).slice(0, 11) + '17:00');
  const [end, setEnd] = useState(() => toLocalInput(Date.now() + 86_400_000).slice(0, 11) + '08:00');
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState(false);
  const step = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!prefill) return;
    setStart(toLocalInput(prefill.start));
    setEnd(toLocalInput(prefill.end));
    if (prefill.role) setRole(prefill.role);
    setSaved(false);
    formRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    formRef.current?.querySelector<HTMLInputElement>('input[aria-haspopup], input')?.focus();
  }, [prefill]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const ok = await step.run(async () => {
      await post('/overrides', { role, engineerId: engineerId ?? '', start, end, reason: reason || null });
      await onSaved();
      return true;
    });
    if (ok) setSaved(true);
  };
  return (
    <Card
      withBorder
      padding="sm"
      component="form"
      ref={formRef}
      onSubmit={submit}
      aria-label={t('override.title')}
    >
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('override.title')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('override.role')}
            value={role}
            onChange={setRole}
            data={[
              { value: 'primary', label: t('oncall.primary') },
              { value: 'secondary', label: t('oncall.secondary') },
            ]}
            error={step.fieldErrors.role}
            allowDeselect={false}
          />
          <Select
            label={t('override.engineer')}
            value={engineerId}
            onChange={setEngineerId}
            data={engineers.filter((e) => e.active).map((e) => ({ value: e.id, label: e.name }))}
            error={step.fieldErrors.engineerId}
            searchable
          />
          <TextInput
            type="datetime-local"
            label={t('override.start')}
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
            error={step.fieldErrors.start}
            required
          />
          <TextInput
            type="datetime-local"
            label={t('override.end')}
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
            error={step.fieldErrors.end}
            required
          />
        </SimpleGrid>
        <TextInput
          label={t('override.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={step.fieldErrors.reason}
        />
        {step.formError && (
          <Text c="red" size="sm" role="alert">
            {step.formError}
          </Text>
        )}
        {saved && (
          <Text c="green" size="sm" role="status">
            {t('override.saved')}
          </Text>
        )}
        <Button type="submit" loading={step.busy} w="fit-content">
          {t('override.submit')}
        </Button>
      </Stack>
    </Card>
  );
}

/** A secret iCalendar link per engineer, shown once, for a phone's calendar. */
function CalendarLinks({ engineers }: { engineers: Engineer[] }) {
  const { t } = useTranslation();
  const me = useMe();
  const [links, setLinks] = useState<Record<string, string>>({});
  const step = useSubmit();
  const visible = PLANNERS.includes(me.role) ? engineers : engineers.filter((e) => e.id === me.engineerId);
  const create = (engineerId: string) =>
    step.run(async () => {
      const res = await post<{ url: string }>('/oncall/feed-tokens', { engineerId });
      setLinks((l) => ({ ...l, [engineerId]: res.url }));
    });
  return (
    <Card withBorder padding="sm">
      <Title order={3} size="h5">
        {t('ical.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('ical.help')}
      </Text>
      {step.formError && (
        <Text c="red" size="sm" role="alert">
          {step.formError}
        </Text>
      )}
      <Table>
        <Table.Tbody>
          {visible.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{e.name}</Table.Td>
              <Table.Td>
                {links[e.id] ? (
                  <Group gap="xs" wrap="nowrap">
                    <TextInput
                      readOnly
                      value={links[e.id]}
                      aria-label={t('ical.link', { name: e.name })}
                      size="xs"
                      style={{ flex: 1 }}
                    />
                    <CopyButton value={links[e.id] ?? ''}>
                      {({ copied, copy }) => (
                        <Button size="xs" variant="light" onClick={copy}>
                          {copied ? t('ical.copied') : t('ical.copy')}
                        </Button>
                      )}
                    </CopyButton>
                  </Group>
                ) : (
                  <Button size="xs" variant="default" onClick={() => void create(e.id)}>
                    {t('ical.create')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
