/* global self, clients, fetch */
/*
 * Ballou's service worker (served at /sw.js, scope /): shows the pages the server pushes and lets the
 * engineer acknowledge straight from the notification. The payload is what src/app/push/page-push.ts
 * builds: {title, body, incidentId, ref, url, ackUrl, tag, requireInteraction}.
 */

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

function readPayload(event) {
  if (!event.data) return {};
  try {
    return event.data.json();
  } catch {
    return { title: 'Ballou', body: event.data.text() };
  }
}

self.addEventListener('push', (event) => {
  const data = readPayload(event);
  const canAck = typeof data.ackUrl === 'string' && data.ackUrl !== '';
  const options = {
    body: data.body || '',
    data: { url: data.url || '/', ackUrl: data.ackUrl || null, incidentId: data.incidentId, ref: data.ref },
    requireInteraction: data.requireInteraction === true,
    actions: canAck ? [{ action: 'ack', title: 'Kvittera' }] : [],
  };
  if (data.tag) {
    options.tag = data.tag;
    // A reminder for the same incident replaces the old notification and rings again.
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(data.title || 'Ballou', options));
});

/** The JSON twin of a one-time link: /l/<token> → /api/v1/links/<token> on this origin. */
function ackApiUrl(ackUrl) {
  try {
    const match = /^\/l\/([A-Za-z0-9_-]+)$/.exec(new URL(ackUrl, self.location.origin).pathname);
    return match ? new URL(`/api/v1/links/${match[1]}`, self.location.origin).toString() : null;
  } catch {
    return null;
  }
}

async function openOrFocus(url) {
  const target = new URL(url || '/', self.location.origin).toString();
  const windows = await clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => w.url === target);
  if (open) return open.focus();
  return clients.openWindow(target);
}

async function acknowledge(data) {
  const target = data.ackUrl ? ackApiUrl(data.ackUrl) : null;
  if (!target) return openOrFocus(data.url);
  let response;
  try {
    // The link is the credential: no cookies needed, and a POST is what acknowledges (a GET never does).
    response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
      credentials: 'omit',
    });
  } catch {
    response = null;
  }
  if (response && response.ok) {
    return self.registration.showNotification(`${data.ref || 'Ärendet'} kvitterat`, {
      body: 'Ring upp kunden inom svarstiden.',
      tag: data.incidentId ? `incident-${data.incidentId}` : undefined,
      requireInteraction: false,
    });
  }
  // Used already, expired or offline: the link's page shows the incident and what to do.
  return openOrFocus(data.url);
}

self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data || {};
  event.notification.close();
  event.waitUntil(event.action === 'ack' ? acknowledge(data) : openOrFocus(data.url));
});
