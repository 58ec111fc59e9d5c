import { Alert, Anchor, Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { post } from '../api/client';
import { NewPasswordFields, useNewPassword } from '../components/new-password-fields';
import { useSubmit } from '../lib/use-form-errors';

function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={400} component="main">
        <Stack>
          <Title order={1} size="h3">
            {title}
          </Title>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}

/** Ask for a reset link: the same answer whether the address has an account or not. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const step = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await step.run(async () => {
      await post('/auth/password-reset', { email });
      return true;
    });
    if (ok) setSent(true);
  };
  return (
    <Frame title={t('reset.forgotTitle')}>
      {sent ? (
        <Alert color="green" role="status">
          {t('reset.sent')}
        </Alert>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">{t('reset.forgotHelp')}</Text>
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={step.fieldErrors.email}
            />
            {step.formError && !step.fieldErrors.email && (
              <Text c="red" size="sm" role="alert">
                {step.formError}
              </Text>
            )}
            <Button type="submit" loading={step.busy}>
              {t('reset.send')}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/login" size="sm">
        {t('reset.backToLogin')}
      </Anchor>
    </Frame>
  );
}

/** The link from the e-mail: /reset-password#token (the token stays out of logs and referrers). */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [token] = useState(() => window.location.hash.slice(1));
  const newPassword = useNewPassword();
  const [done, setDone] = useState(false);
  const step = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!newPassword.confirmed()) return;
    const ok = await step.run(async () => {
      await post('/auth/password-reset/confirm', { token, password: newPassword.password });
      return true;
    });
    if (ok) setDone(true);
  };
  return (
    <Frame title={t('reset.title')}>
      {done ? (
        <Alert color="green" role="status">
          {t('reset.done')}
        </Alert>
      ) : !token ? (
        <Alert color="red">{t('reset.noToken')}</Alert>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <NewPasswordFields state={newPassword} error={step.fieldErrors.password} />
            {step.formError && !step.fieldErrors.password && (
              <Text c="red" size="sm" role="alert">
                {step.formError}
              </Text>
            )}
            <Button type="submit" loading={step.busy}>
              {t('reset.save')}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/login" size="sm">
        {t('reset.backToLogin')}
      </Anchor>
    </Frame>
  );
}
