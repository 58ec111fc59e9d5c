/**
 * Web push in the browser: registers the service worker (/sw.js), subscribes this browser with the
 * server's VAPID key and registers the subscription for the logged-in user, or undoes all that. Call
 * `subscribeToPush()` from a click (browsers ask for notification permission only on a user gesture).
 * The API client sends the session cookie and the X-CSRF-Token header.
 */
import { del, get, post } from '../api/client';

/** A browser registered for the user's notifications, as GET /api/v1/me/push-subscriptions lists it. */
export interface PushSubscriptionView {
  id: string;
  endpoint: string;
  pushService: string;
  userAgent: string | null;
  expiresAt: string | null;
  createdAt: string;
  lastSuccessAt: string | null;
  failingSince: string | null;
  lastError: string | null;
}

export interface TestPushResult {
  sent: number;
  failed: number;
  removed: number;
  results: { subscriptionId: string; status: 'sent' | 'failed' | 'removed'; error: string | null }[];
}

/** `unsupported`: no service workers or push here (e.g. iOS Safari outside a home-screen app). */
export type PushAvailability = 'unsupported' | 'denied' | 'default' | 'granted';

const SW_URL = '/sw.js';

export function pushAvailability(): PushAvailability {
  if (typeof window === 'undefined' || !('serviceWorker' in navigator) || !('PushManager' in window))
    return 'unsupported';
  if (!('Notification' in window)) return 'unsupported';
  return Notification.permission;
}

function keyBytes(base64Url: string): Uint8Array<ArrayBuffer> {
  const base64 = (base64Url + '='.repeat((4 - (base64Url.length % 4)) % 4))
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

async function registration(): Promise<ServiceWorkerRegistration> {
  await navigator.serviceWorker.register(SW_URL, { scope: '/' });
  return navigator.serviceWorker.ready;
}

/**
 * Asks for permission, subscribes this browser and registers it for the logged-in user. Safe to call
 * again: the server is idempotent on the endpoint, and a subscription made with an older server key is
 * replaced.
 */
export async function subscribeToPush(): Promise<PushSubscriptionView> {
  if (pushAvailability() === 'unsupported') throw new Error('this browser cannot receive push notifications');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('notifications are not allowed for this site');
  const reg = await registration();
  const { publicKey } = await get<{ publicKey: string }>('/push/public-key');
  const serverKey = keyBytes(publicKey);
  let subscription = await reg.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, serverKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await reg.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: serverKey,
  });
  return post<PushSubscriptionView>('/me/push-subscriptions', subscription.toJSON());
}

/** Stops notifications to this browser: forgets it on the server and unsubscribes it. */
export async function unsubscribeFromPush(): Promise<boolean> {
  if (pushAvailability() === 'unsupported') return false;
  const reg = await navigator.serviceWorker.getRegistration('/');
  const subscription = await reg?.pushManager.getSubscription();
  if (!subscription) return false;
  const { items } = await listPushSubscriptions();
  const mine = items.find((s) => s.endpoint === subscription.endpoint);
  if (mine) await del(`/me/push-subscriptions/${mine.id}`);
  return subscription.unsubscribe();
}

/** The endpoint of this browser's subscription, if it has one (to mark "this device" in a list). */
export async function currentPushEndpoint(): Promise<string | null> {
  if (pushAvailability() === 'unsupported') return null;
  const reg = await navigator.serviceWorker.getRegistration('/');
  return (await reg?.pushManager.getSubscription())?.endpoint ?? null;
}

export const listPushSubscriptions = () => get<{ items: PushSubscriptionView[] }>('/me/push-subscriptions');
export const deletePushSubscription = (id: string) => del(`/me/push-subscriptions/${id}`);
/** Sends a test notification to each of the user's browsers now. */
export const sendTestPush = () => post<TestPushResult>('/me/push-subscriptions/test');
