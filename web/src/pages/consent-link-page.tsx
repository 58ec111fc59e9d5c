import { Alert, Button, Center, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError, get, post } from '../api/client';
import { formatDateTime } from '../lib/time';
import { problemMessageIn } from '../i18n/problem-messages';

interface LinkInfo {
  kind: 'ack' | 'consent';
  usable: boolean;
  used: boolean;
  expired: boolean;
  incident: {
    ref: string;
    customerName: string | null;
    summary: string;
    tier: string;
    reportedAt: string;
    state: string;
  };
}

/**
 * The one-time link from the SMS or e-mail, without logging in: shows what it is for, and only a tap
 * on a button uses it (a link preview that fetches the page changes nothing).
 */
export default function ConsentLinkPage() {
  const { token = '' } = useParams();
  const { t, i18n } = useTranslation();
  const [info, setInfo] = useState<LinkInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    get<LinkInfo>(`/links/${encodeURIComponent(token)}`)
      .then(setInfo)
      .catch((e: unknown) =>
        setError(e instanceof ApiError && e.status === 404 ? t('link.unknown') : String(e)),
      );
  }, [token, t]);
  const decide = async (granted?: boolean) => {
    setBusy(true);
    try {
      await post(`/links/${encodeURIComponent(token)}`, granted === undefined ? {} : { granted });
      setDone(
        granted === undefined ? t('link.acknowledged') : granted ? t('link.granted') : t('link.refused'),
      );
    } catch (e) {
      setError(e instanceof Error ? problemMessageIn(i18n.language, e.message) : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="lg" maw={480} w="100%" component="main">
        <Stack>
          <Title order={1} size="h3">
            {info?.kind === 'ack' ? t('link.ackTitle') : t('link.consentTitle')}
          </Title>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {info && (
            <Text>
              <b>{info.incident.ref}</b> {info.incident.customerName}
              <br />
              {info.incident.summary}
              <br />
              {t('incident.reportedAt')}: {formatDateTime(info.incident.reportedAt, i18n.language)}
            </Text>
          )}
          {done && (
            <Alert color="green" role="status">
              {done}
            </Alert>
          )}
          {info && !done && !info.usable && (
            <Alert color="gray">{info.used ? t('link.used') : t('link.expired')}</Alert>
          )}
          {info?.usable && !done && info.kind === 'consent' && (
            <>
              <Text>{t('portal.consentQuestion')}</Text>
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
                <Button color="green" loading={busy} onClick={() => void decide(true)}>
                  {t('incident.consentYes')}
                </Button>
                <Button color="red" variant="outline" loading={busy} onClick={() => void decide(false)}>
                  {t('incident.consentNo')}
                </Button>
              </SimpleGrid>
            </>
          )}
          {info?.usable && !done && info.kind === 'ack' && (
            <Button color="red" size="lg" loading={busy} onClick={() => void decide()}>
              {t('incident.acknowledge')}
            </Button>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
