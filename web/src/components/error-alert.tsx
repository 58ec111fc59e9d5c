import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';

/** A failed load: "not found" for 404 (also another customer's data), else the server's message. */
export function ErrorAlert({ error }: { error: ApiError | undefined }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" title={error.status === 404 ? t('common.notFound') : t('common.error')} role="alert">
      {error.status === 404 ? t('common.notFoundText') : error.message}
    </Alert>
  );
}
