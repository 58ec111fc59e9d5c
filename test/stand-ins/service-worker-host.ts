/**
 * Runs web/public/sw.js outside a browser, the way a browser drives it: its `push` and
 * `notificationclick` handlers get events, `showNotification` and `openWindow` are recorded, and its
 * `fetch` is the real one against the app on a loopback port (the worker's origin).
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

export interface ShownNotification {
  title: string;
  options: {
    body?: string;
    tag?: string;
    requireInteraction?: boolean;
    actions?: { action: string; title: string }[];
    data?: Record<string, unknown>;
  };
}

export interface ServiceWorkerHost {
  shown: ShownNotification[];
  opened: string[];
  /** Delivers a decrypted push message (the JSON the server sent). */
  push(payload: unknown): Promise<void>;
  /** Taps a shown notification, or one of its actions (e.g. 'ack'). */
  click(notification: ShownNotification, action?: string): Promise<void>;
}

export const SERVICE_WORKER_FILE = path.join(import.meta.dirname, '../../web/public/sw.js');

export function hostServiceWorker(origin: string): ServiceWorkerHost {
  const handlers = new Map<string, (event: unknown) => void>();
  const shown: ShownNotification[] = [];
  const opened: string[] = [];
  const clients = {
    claim: async () => undefined,
    matchAll: async () => [],
    openWindow: async (url: string) => {
      opened.push(url);
      return null;
    },
  };
  const self = {
    location: new URL(origin),
    clients,
    skipWaiting: () => undefined,
    addEventListener: (type: string, handler: (event: unknown) => void) => handlers.set(type, handler),
    registration: {
      showNotification: async (title: string, options: ShownNotification['options']) => {
        shown.push({ title, options });
      },
    },
  };
  vm.runInNewContext(fs.readFileSync(SERVICE_WORKER_FILE, 'utf8'), { self, clients, fetch, URL, console });

  async function dispatch(type: string, event: Record<string, unknown>): Promise<void> {
    const waits: Promise<unknown>[] = [];
    const handler = handlers.get(type);
    if (!handler) throw new Error(`the service worker has no ${type} handler`);
    handler({ ...event, waitUntil: (p: Promise<unknown>) => waits.push(p) });
    await Promise.all(waits);
  }

  return {
    shown,
    opened,
    push: (payload) =>
      dispatch('push', {
        data: { json: () => JSON.parse(JSON.stringify(payload)), text: () => JSON.stringify(payload) },
      }),
    click: (notification, action = '') =>
      dispatch('notificationclick', {
        action,
        notification: {
          data: notification.options.data,
          tag: notification.options.tag,
          close: () => undefined,
        },
      }),
  };
}
