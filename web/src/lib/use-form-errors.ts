import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { fieldErrorsIn } from '../i18n/field-messages';
import { problemMessageIn } from '../i18n/problem-messages';

/**
 * Runs a submit and keeps the server's answer for the form: field errors next to the fields they name,
 * anything else as one message above the buttons. Field messages are shown in the page's language
 * (field-messages.ts).
 */
export function useSubmit(): {
  busy: boolean;
  fieldErrors: Record<string, string>;
  formError: string | null;
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
} {
  const { i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const run = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setFieldErrors({});
    setFormError(null);
    try {
      return await action();
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(fieldErrorsIn(i18n.language, e.fieldErrors));
        setFormError(problemMessageIn(i18n.language, e.message));
      } else setFormError(String(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, fieldErrors, formError, run };
}
