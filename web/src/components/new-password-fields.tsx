import { PasswordInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A new password typed twice: the value, and whether the two agree (checked on submit). */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  return {
    password,
    repeat,
    mismatch,
    setPassword,
    setRepeat,
    /** On submit: true when both fields agree; otherwise the repeat field says they differ. */
    confirmed(): boolean {
      setMismatch(password !== repeat);
      return password === repeat;
    },
    clear() {
      setPassword('');
      setRepeat('');
      setMismatch(false);
    },
  };
}

/** The new password and its repetition, with the password rule as help (reset page, My account). */
export function NewPasswordFields({
  state,
  error,
}: {
  state: ReturnType<typeof useNewPassword>;
  /** The server's message for the new password. */
  error: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <>
      <PasswordInput
        label={t('reset.newPassword')}
        description={t('reset.passwordHelp')}
        autoComplete="new-password"
        required
        value={state.password}
        onChange={(e) => state.setPassword(e.currentTarget.value)}
        error={error}
      />
      <PasswordInput
        label={t('reset.repeat')}
        autoComplete="new-password"
        required
        value={state.repeat}
        onChange={(e) => state.setRepeat(e.currentTarget.value)}
        error={state.mismatch ? t('reset.mismatch') : undefined}
      />
    </>
  );
}
