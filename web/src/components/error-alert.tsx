import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { problemMessageIn } from '../i18n/problem-messages';

/** A failed load: "not found" for 404 (also another customer's data), else the server's message (in Swedish when known). */
export function ErrorAlert({ error }: { error: ApiError | undefined }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" title={error.status === 404 ? t('common.notFound') : t('common.error')} role="alert">
      {error.status === 404 ? t('common.notFoundText') : problemMessageIn(i18n.language, error.message)}
    </Alert>
  );
}
