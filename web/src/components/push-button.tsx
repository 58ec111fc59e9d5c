import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  currentPushEndpoint,
  pushAvailability,
  subscribeToPush,
  unsubscribeFromPush,
} from '../push/push-subscription';
import { problemMessageIn } from '../i18n/problem-messages';

/** Turns on browser push for this phone, so a page arrives as a notification too. */
export function PushButton() {
  const { t, i18n } = useTranslation();
  const [availability, setAvailability] = useState(() => pushAvailability());
  const [subscribed, setSubscribed] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (availability === 'unsupported') return;
    currentPushEndpoint()
      .then((endpoint) => setSubscribed(endpoint !== null))
      .catch(() => setSubscribed(false));
  }, [availability]);

  if (availability === 'unsupported')
    return (
      <Text size="sm" c="dimmed">
        {t('push.unsupported')}
      </Text>
    );
  if (availability === 'denied') return <Alert color="gray">{t('push.denied')}</Alert>;

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      if (subscribed) {
        await unsubscribeFromPush();
        setSubscribed(false);
      } else {
        await subscribeToPush();
        setSubscribed(true);
      }
    } catch (e) {
      setError(e instanceof Error ? problemMessageIn(i18n.language, e.message) : String(e));
    } finally {
      setAvailability(pushAvailability());
      setBusy(false);
    }
  };
  return (
    <Group gap="xs">
      <Button
        variant={subscribed ? 'default' : 'filled'}
        color="teal"
        loading={busy}
        onClick={() => void toggle()}
      >
        {subscribed ? t('push.disable') : t('push.enable')}
      </Button>
      {subscribed && (
        <Text size="sm" c="teal" role="status">
          {t('push.on')}
        </Text>
      )}
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Group>
  );
}
