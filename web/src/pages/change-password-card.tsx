import { Alert, Button, Card, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import { useSubmit } from '../lib/use-form-errors';

/** My account: change the password, giving the current one (every role). */
export function ChangePasswordCard() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const step = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    setMismatch(next !== repeat);
    if (next !== repeat) return;
    const ok = await step.run(async () => {
      await post('/auth/password', { currentPassword: current, newPassword: next });
      return true;
    });
    if (ok) {
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    }
  };

  return (
    <Card withBorder padding="sm">
      <form onSubmit={submit} aria-label={t('account.passwordTitle')}>
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('account.passwordTitle')}
          </Title>
          {done && (
            <Alert color="green" role="status">
              {t('account.passwordChanged')}
            </Alert>
          )}
          <PasswordInput
            label={t('account.currentPassword')}
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={step.fieldErrors.currentPassword}
          />
          <PasswordInput
            label={t('reset.newPassword')}
            description={t('reset.passwordHelp')}
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            error={step.fieldErrors.newPassword}
          />
          <PasswordInput
            label={t('reset.repeat')}
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            error={mismatch ? t('reset.mismatch') : undefined}
          />
          <Button type="submit" w="fit-content" loading={step.busy}>
            {t('account.changePassword')}
          </Button>
          {step.formError && Object.keys(step.fieldErrors).length === 0 && (
            <Text c="red" size="sm" role="alert">
              {step.formError}
            </Text>
          )}
        </Stack>
      </form>
    </Card>
  );
}
