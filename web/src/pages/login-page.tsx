import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { homeOf, useSession } from '../auth/session';
import { setLanguage, type Language } from '../i18n';
import { problemMessageIn } from '../i18n/problem-messages';

/** One login for staff and customers: the account's role decides where it lands. */
export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { me, ready, login, loginWithTotp } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (ready && me) {
    if (me.totpEnrolmentRequired) return <Navigate to="/account" replace />;
    return <Navigate to={params.get('next') ?? homeOf(me.role)} replace />;
  }

  const after = () => {
    const next = params.get('next');
    if (next?.startsWith('/')) void navigate(next, { replace: true });
  };
  const failed = (e: unknown, unauthorized: string) =>
    setError(
      e instanceof ApiError && e.status === 401
        ? unauthorized
        : e instanceof Error
          ? problemMessageIn(i18n.language, e.message)
          : String(e),
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (challenge) {
        await loginWithTotp(challenge, code.replace(/\s/g, ''));
        after();
      } else {
        const step = await login(email, password);
        if (step) setChallenge(step.challenge);
        else after();
      }
    } catch (e) {
      failed(e, challenge ? t('login.codeFailed') : t('login.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={380} component="main">
        <form onSubmit={submit}>
          <Stack>
            <Title order={1} size="h3">
              {t('login.title')}
            </Title>
            {challenge ? (
              <>
                <Text size="sm">{t('login.codeHelp')}</Text>
                <TextInput
                  label={t('login.code')}
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  required
                  autoFocus
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                />
              </>
            ) : (
              <>
                <TextInput
                  label={t('login.email')}
                  type="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                />
                <PasswordInput
                  label={t('login.password')}
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
              </>
            )}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              {challenge ? t('login.verify') : t('login.submit')}
            </Button>
            {!challenge && (
              <Anchor component={Link} to="/forgot-password" size="sm">
                {t('login.forgot')}
              </Anchor>
            )}
            <SegmentedControl
              size="xs"
              aria-label={t('nav.language')}
              value={i18n.language}
              onChange={(v) => setLanguage(v as Language)}
              data={[
                { value: 'sv', label: 'Svenska' },
                { value: 'en', label: 'English' },
              ]}
            />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
