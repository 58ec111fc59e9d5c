import { Alert, Button, Card, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import { NewPasswordFields, useNewPassword } from '../components/new-password-fields';
import { useSubmit } from '../lib/use-form-errors';

/** My account: change the password, giving the current one (every role). */
export function ChangePasswordCard() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const [done, setDone] = useState(false);
  const step = useSubmit();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (!newPassword.confirmed()) return;
    const ok = await step.run(async () => {
      await post('/auth/password', { currentPassword: current, newPassword: newPassword.password });
      return true;
    });
    if (ok) {
      setCurrent('');
      newPassword.clear();
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
          <NewPasswordFields state={newPassword} error={step.fieldErrors.newPassword} />
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
