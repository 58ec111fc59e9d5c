import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  List,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import { STAFF, useMe } from '../auth/session';
import { ErrorAlert } from '../components/error-alert';
import { Loading } from '../components/loading';
import { formatDateTime } from '../lib/time';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';
import { ChangePasswordCard } from './change-password-card';
import { MyContactCard } from './my-contact-card';

interface TotpStatus {
  enabled: boolean;
  enabledAt: string | null;
  pending: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

/**
 * My account: an engineer's own on-call phone and e-mail (with a test SMS); two-factor login with an
 * authenticator app (staff) and its recovery codes; the password.
 */
export default function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Stack maw={640}>
      <Title order={2}>{t('account.title')}</Title>
      <Text>
        {me.name}
        {me.email && me.email !== me.name ? ` · ${me.email}` : ''}
      </Text>
      {me.totpEnrolmentRequired && (
        <Alert color="orange" role="alert">
          {t('account.required')}
        </Alert>
      )}
      {me.engineerId && me.kind === 'user' && <MyContactCard />}
      {STAFF.includes(me.role) && <TotpCard />}
      <ChangePasswordCard />
    </Stack>
  );
}

function TotpCard() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const status = useApi<TotpStatus>('/auth/totp');
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const step = useSubmit();

  if (status.loading) return <Loading />;
  if (!status.data) return <ErrorAlert error={status.error} />;
  const s = status.data;

  const enrol = () =>
    step.run(async () => {
      setRecoveryCodes(null);
      setEnrolment(await post<{ secret: string; uri: string }>('/auth/totp/enrol', {}));
    });
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    const res = await step.run(() =>
      post<{ recoveryCodes: string[] }>('/auth/totp/confirm', { code: code.replace(/\s/g, '') }),
    );
    if (res) {
      setRecoveryCodes(res.recoveryCodes);
      setEnrolment(null);
      setCode('');
      await status.reload();
      // Staff who had to enrol may now use everything else.
      if (me.totpEnrolmentRequired) window.location.assign('/');
    }
  };
  const disable = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await step.run(async () => {
      await post('/auth/totp/disable', { password, code: code.replace(/\s/g, '') });
      return true;
    });
    if (ok) {
      setCode('');
      setPassword('');
      await status.reload();
    }
  };
  const regenerate = async () => {
    const res = await step.run(() =>
      post<{ recoveryCodes: string[] }>('/auth/totp/recovery-codes', { code: code.replace(/\s/g, '') }),
    );
    if (res) {
      setRecoveryCodes(res.recoveryCodes);
      setCode('');
      await status.reload();
    }
  };

  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Group>
          <Title order={3} size="h5">
            {t('account.totp')}
          </Title>
          <Badge color={s.enabled ? 'green' : 'gray'} data-testid="totp-state">
            {s.enabled ? t('account.on') : t('account.off')}
          </Badge>
        </Group>
        {s.enabled && s.enabledAt && (
          <Text size="sm">
            {t('account.enabledAt', {
              at: formatDateTime(s.enabledAt, i18n.language),
              left: s.recoveryCodesLeft,
            })}
          </Text>
        )}
        {recoveryCodes && (
          <Alert color="yellow" title={t('account.recoveryTitle')}>
            <Text size="sm">{t('account.recoveryHelp')}</Text>
            <List size="sm" data-testid="recovery-codes">
              {recoveryCodes.map((c) => (
                <List.Item key={c}>
                  <Code>{c}</Code>
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {!s.enabled && !enrolment && (
          <>
            <Text size="sm">{t('account.totpHelp')}</Text>
            <Button w="fit-content" onClick={() => void enrol()} loading={step.busy}>
              {t('account.enrol')}
            </Button>
          </>
        )}
        {enrolment && (
          <form onSubmit={confirm} aria-label={t('account.confirmTitle')}>
            <Stack gap="xs">
              <Text size="sm">{t('account.scan')}</Text>
              <Anchor href={enrolment.uri}>{t('account.openApp')}</Anchor>
              <Text size="sm">
                {t('account.secret')} <Code data-testid="totp-secret">{enrolment.secret}</Code>
              </Text>
              <TextInput
                label={t('login.code')}
                autoComplete="one-time-code"
                inputMode="numeric"
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                error={step.fieldErrors.code}
              />
              <Button type="submit" w="fit-content" loading={step.busy}>
                {t('account.confirm')}
              </Button>
            </Stack>
          </form>
        )}
        {s.enabled && (
          <form onSubmit={disable} aria-label={t('account.disableTitle')}>
            <Stack gap="xs">
              <TextInput
                label={t('login.code')}
                autoComplete="one-time-code"
                inputMode="numeric"
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                error={step.fieldErrors.code}
              />
              <Button variant="default" w="fit-content" onClick={() => void regenerate()} loading={step.busy}>
                {t('account.newRecoveryCodes')}
              </Button>
              {!s.required && (
                <>
                  <PasswordInput
                    label={t('login.password')}
                    autoComplete="current-password"
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    error={step.fieldErrors.password}
                  />
                  <Button type="submit" color="red" variant="outline" w="fit-content" loading={step.busy}>
                    {t('account.disable')}
                  </Button>
                </>
              )}
            </Stack>
          </form>
        )}
        {step.formError && (
          <Text c="red" size="sm" role="alert">
            {step.formError}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
