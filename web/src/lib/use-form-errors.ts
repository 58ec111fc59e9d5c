import { useState } from 'react';
import { ApiError } from '../api/client';

/**
 * Runs a submit and keeps the server's answer for the form: field errors next to the fields they name,
 * anything else as one message above the buttons.
 */
export function useSubmit(): {
  busy: boolean;
  fieldErrors: Record<string, string>;
  formError: string | null;
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
} {
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
        setFieldErrors(e.fieldErrors);
        setFormError(e.message);
      } else setFormError(String(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, fieldErrors, formError, run };
}
