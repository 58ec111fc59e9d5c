import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, patch, post } from '../api/client';
import type { Engineer } from '../api/types';
import { ErrorAlert } from '../components/error-alert';
import { Loading } from '../components/loading';
import { formatDateTime } from '../lib/time';
import { useApi } from '../lib/use-api';
import { useSubmit } from '../lib/use-form-errors';
import { problemMessageIn } from '../i18n/problem-messages';

interface MyContact extends Engineer {
  notifyChannel: 'sms' | 'email';
  phoneFailingSince: string | null;
}

/**
 * My account, for an engineer: the phone and e-mail pages go to, changed with the password (the old and
 * the new number are told), and a test SMS to prove the number works before the night it matters.
 */
export function MyContactCard() {
  const { t, i18n } = useTranslation();
  const contact = useApi<MyContact>('/me/contact');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [notifyChannel, setNotifyChannel] = useState<'sms' | 'email'>('sms');
  const [password, setPassword] = useState('');
  const [saved, setSaved] = useState<'saved' | 'nothing' | null>(null);
  const [testSentTo, setTestSentTo] = useState<string | null>(null);
  const [testError, setTestError] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const step = useSubmit();

  useEffect(() => {
    if (!contact.data) return;
    setPhone(contact.data.phone);
    setEmail(contact.data.email);
    setNotifyChannel(contact.data.notifyChannel);
  }, [contact.data]);

  if (contact.loading) return <Loading />;
  if (!contact.data) return <ErrorAlert error={contact.error} />;
  const current = contact.data;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    const changes = {
      ...(phone.trim() !== current.phone ? { phone: phone.trim() } : {}),
      ...(email.trim() !== current.email ? { email: email.trim() } : {}),
      ...(notifyChannel !== current.notifyChannel ? { notifyChannel } : {}),
    };
    if (Object.keys(changes).length === 0) {
      setSaved('nothing');
      return;
    }
    const updated = await step.run(() =>
      patch<MyContact>('/me/contact', { ...changes, currentPassword: password }),
    );
    if (updated) {
      setPassword('');
      setSaved('saved');
      void contact.reload();
    }
  };

  const sendTest = async () => {
    setTesting(true);
    setTestSentTo(null);
    setTestError(null);
    try {
      setTestSentTo((await post<{ to: string }>('/me/contact/test')).to);
    } catch (e) {
      setTestError(
        e instanceof ApiError && e.status === 429
          ? t('myContact.testTooOften')
          : e instanceof Error
            ? problemMessageIn(i18n.language, e.message)
            : String(e),
      );
    } finally {
      setTesting(false);
    }
  };

  return (
    <Card withBorder padding="sm">
      <form onSubmit={submit} aria-label={t('myContact.title')}>
        <Stack gap="xs">
          <Group gap="xs">
            <Title order={3} size="h5">
              {t('myContact.title')}
            </Title>
            {current.phoneFailingSince && (
              <Badge color="red">
                {t('myContact.failing', { at: formatDateTime(current.phoneFailingSince, i18n.language) })}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t('myContact.help')}
          </Text>
          {saved && (
            <Alert color={saved === 'saved' ? 'green' : 'gray'} role="status">
              {t(saved === 'saved' ? 'myContact.saved' : 'myContact.nothingChanged')}
            </Alert>
          )}
          <TextInput
            label={t('myContact.phone')}
            description={t('myContact.phoneHelp')}
            type="tel"
            autoComplete="tel"
            required
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            error={step.fieldErrors.phone}
          />
          <TextInput
            label={t('myContact.email')}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={step.fieldErrors.email}
          />
          <Select
            label={t('myContact.notifyChannel')}
            data={[
              { value: 'sms', label: t('myContact.bySms') },
              { value: 'email', label: t('myContact.byEmail') },
            ]}
            value={notifyChannel}
            onChange={(value) => value && setNotifyChannel(value as 'sms' | 'email')}
            allowDeselect={false}
          />
          <PasswordInput
            label={t('account.currentPassword')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={step.fieldErrors.currentPassword}
          />
          <Group>
            <Button type="submit" loading={step.busy}>
              {t('myContact.save')}
            </Button>
            <Button variant="light" onClick={() => void sendTest()} loading={testing}>
              {t('myContact.test')}
            </Button>
          </Group>
          {step.formError && Object.keys(step.fieldErrors).length === 0 && (
            <Text c="red" size="sm" role="alert">
              {step.formError}
            </Text>
          )}
          {testSentTo && (
            <Alert color="blue" role="status">
              {t('myContact.testSent', { to: testSentTo })}
            </Alert>
          )}
          {testError && (
            <Text c="red" size="sm" role="alert">
              {testError}
            </Text>
          )}
        </Stack>
      </form>
    </Card>
  );
}
