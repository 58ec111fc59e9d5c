/**
 * A local 46elks (https://46elks.se/docs): `POST /a1/sms`, `POST /a1/calls`, `GET /a1/sms/{id}`,
 * `GET /a1/calls/{id}` behind HTTP Basic auth, form-encoded requests, JSON answers shaped like 46elks'.
 * It also plays the platform towards our webhooks: incoming calls and SMS, delivery reports.
 * Error bodies are plain text as 46elks sends them [G: exact wording].
 */
import {
  postWebhookForm,
  randomHex,
  startHttpStandIn,
  type HttpStandIn,
  type RecordedRequest,
  type StandInReply,
  type WebhookDelivery,
} from './http-stand-in.js';

export interface ElksStandInOptions {
  /** Default `elks-user`. */
  username?: string;
  /** Default `elks-password`. */
  password?: string;
}

export interface ElksSms {
  id: string;
  direction: 'outgoing';
  from: string;
  to: string;
  message: string;
  status: 'created' | 'sent' | 'delivered' | 'failed';
  created: string;
  cost: number;
  parts: number;
  whendelivered: string | undefined;
}

export interface ElksCall {
  id: string;
  direction: 'outgoing';
  from: string;
  to: string;
  state: 'ongoing' | 'success' | 'busy' | 'failed';
  created: string;
  /** As POSTed: a URL or stringified JSON call action. */
  voice_start: string;
  whenhangup: string | undefined;
  timeout: string | undefined;
}

export interface ElksStandIn {
  /** The value for `Config.elks.apiUrl`: `http://127.0.0.1:<port>/a1`. */
  url: string;
  username: string;
  password: string;
  /** Every request, in order, including refused ones. */
  requests: RecordedRequest[];
  /** SMS and calls accepted, in order. */
  sms: ElksSms[];
  calls: ElksCall[];
  failNext(n: number, status: number): void;
  /** SMS and calls to these numbers are refused as 46elks refuses a number it cannot reach (400). */
  unreachable: Set<string>;
  delayNext(n: number, ms: number): void;
  /** See HttpStandIn: the next `n` requests get no answer; an outage of some or all requests. */
  hangNext(n: number, ms: number): void;
  outage: HttpStandIn['outage'];
  /**
   * POSTs a delivery report for an accepted SMS to its `whendelivered` URL (Basic credentials from the
   * URL), retrying non-2xx answers on a compressed schedule as 46elks does (default 5 retries).
   */
  sendDeliveryReport(
    smsId: string,
    status: 'sent' | 'delivered' | 'failed',
    retry?: RetryOptions,
  ): Promise<WebhookDelivery>;
  /**
   * Plays the callee of an outgoing call: not answering (`busy`/`failed`: only `whenhangup` is called),
   * or answering and following the call actions from `voice_start` through every `next` (fetching each
   * audio URL as 46elks does, pressing the given digits at each `ivr`, silence when they run out), then
   * POSTing the call record to `whenhangup`.
   */
  answerCall(callId: string, callee?: ElksCallee): Promise<ElksCallTranscript>;
  /** POSTs an incoming call (`voice_start`) to `url` as 46elks does; the answer body is the call action. */
  simulateIncomingCall(
    url: string,
    call: { from: string; to: string; callid?: string },
    retry?: RetryOptions,
  ): Promise<WebhookDelivery & { callid: string; action: unknown }>;
  /** POSTs an incoming SMS to `url` (`sms_url`). */
  simulateIncomingSms(
    url: string,
    sms: { from: string; to: string; message: string; id?: string },
    retry?: RetryOptions,
  ): Promise<WebhookDelivery & { id: string }>;
  close(): Promise<void>;
}

export interface ElksCallee {
  /** Default `success` (answered). */
  outcome?: 'success' | 'busy' | 'failed';
  /** One entry per `ivr` reached, e.g. `['1']`; an ivr without one hears silence. */
  digits?: string[];
  retry?: RetryOptions;
}

export interface ElksCallTranscript {
  /** Every call action run, in order. */
  actions: unknown[];
  /** Every audio URL fetched (play/ivr prompts) and the status our server answered. */
  audio: { url: string; status: number; contentType: string | undefined; bytes: number }[];
  /** The POSTs to `next` URLs: what was sent and what came back. */
  next: { url: string; fields: Record<string, string>; delivery: WebhookDelivery }[];
  hangup: WebhookDelivery | undefined;
}

export interface RetryOptions {
  /** Non-2xx answers are retried this many times (46elks: "at least 5 times"). Default 0. */
  retries?: number;
  retryDelayMs?: number;
}

const E164 = /^\+[1-9]\d{6,14}$/;

export async function start46elksStandIn(options: ElksStandInOptions = {}): Promise<ElksStandIn> {
  const username = options.username ?? 'elks-user';
  const password = options.password ?? 'elks-password';
  const sms: ElksSms[] = [];
  const calls: ElksCall[] = [];
  const unreachable = new Set<string>();

  const text = (status: number, body: string): StandInReply => ({ status, body });

  const handle = (req: RecordedRequest): StandInReply => {
    const path = req.path.split('?')[0] ?? '';
    if (req.method === 'POST' && path === '/a1/sms') {
      const f = req.form;
      for (const key of ['from', 'to', 'message'])
        if (f[key] === undefined || f[key] === '') return text(400, `Missing key ${key}`);
      if (!E164.test(f.to ?? '') || unreachable.has(f.to ?? '')) return text(400, 'Invalid to number');
      const message = f.message ?? '';
      const record: ElksSms = {
        id: `s${randomHex(32)}`,
        direction: 'outgoing',
        from: f.from ?? '',
        to: f.to ?? '',
        message,
        status: 'created',
        created: elksNow(),
        cost: 3500 * partsOf(message),
        parts: partsOf(message),
        whendelivered: f.whendelivered,
      };
      if (f.dryrun !== 'yes') sms.push(record);
      const { whendelivered: _whendelivered, ...answer } = record;
      return { status: 200, body: answer };
    }
    if (req.method === 'POST' && path === '/a1/calls') {
      const f = req.form;
      for (const key of ['from', 'to', 'voice_start'])
        if (f[key] === undefined || f[key] === '') return text(400, `Missing key ${key}`);
      if (!E164.test(f.to ?? '') || unreachable.has(f.to ?? '')) return text(400, 'Invalid to number');
      const voiceStart = f.voice_start ?? '';
      if (!/^https?:\/\//.test(voiceStart)) {
        try {
          JSON.parse(voiceStart);
        } catch {
          return text(400, 'Invalid voice_start');
        }
      }
      const record: ElksCall = {
        id: `c${randomHex(32)}`,
        direction: 'outgoing',
        from: f.from ?? '',
        to: f.to ?? '',
        state: 'ongoing',
        created: elksNow(),
        voice_start: voiceStart,
        whenhangup: f.whenhangup,
        timeout: f.timeout,
      };
      calls.push(record);
      return { status: 200, body: callAnswer(record) };
    }
    const sent = /^\/a1\/sms\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && sent) {
      const found = sms.find((s) => s.id === sent[1]);
      if (!found) return text(404, 'Not found');
      const { whendelivered: _whendelivered, ...answer } = found;
      return { status: 200, body: answer };
    }
    const call = /^\/a1\/calls\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && call) {
      const found = calls.find((c) => c.id === call[1]);
      return found ? { status: 200, body: callAnswer(found) } : text(404, 'Not found');
    }
    return text(404, 'Not found');
  };

  const http = await startHttpStandIn({
    username,
    password,
    unauthorized: () => ({
      status: 401,
      body: 'Requires authentication',
      headers: { 'www-authenticate': 'Basic realm="46elks API"' },
    }),
    failure: (status) => text(status, status >= 500 ? 'Internal server error' : 'Request failed'),
    handle,
  });

  return {
    url: `${http.origin}/a1`,
    username,
    password,
    requests: http.requests,
    sms,
    calls,
    failNext: http.failNext,
    unreachable,
    delayNext: http.delayNext,
    hangNext: http.hangNext,
    outage: http.outage,
    async sendDeliveryReport(smsId, status, retry = PLATFORM_RETRY) {
      const found = sms.find((s) => s.id === smsId);
      if (!found) throw new Error(`46elks stand-in: no SMS ${smsId}`);
      if (found.whendelivered === undefined)
        throw new Error(`46elks stand-in: SMS ${smsId} has no whendelivered`);
      found.status = status;
      const fields: Record<string, string> = { id: smsId, status };
      if (status === 'delivered') fields.delivered = elksNow();
      return postWebhookForm(found.whendelivered, fields, retry);
    },
    async answerCall(callId, callee = {}) {
      const call = calls.find((c) => c.id === callId);
      if (!call) throw new Error(`46elks stand-in: no call ${callId}`);
      const retry = callee.retry ?? PLATFORM_RETRY;
      const transcript: ElksCallTranscript = { actions: [], audio: [], next: [], hangup: undefined };
      let whenhangup = call.whenhangup;
      const outcome = callee.outcome ?? 'success';
      if (outcome === 'success') {
        const digits = [...(callee.digits ?? [])];
        let action: unknown = parseAction(call.voice_start);
        // Bounded: a page call is a handful of actions; a loop here is a bug in our answers.
        for (let step = 0; step < 12 && action !== undefined; step++) {
          transcript.actions.push(action);
          const a = action as Record<string, unknown>;
          if (typeof a.whenhangup === 'string') whenhangup = a.whenhangup;
          let result = 'success';
          if (typeof a.play === 'string') transcript.audio.push(await fetchAudio(a.play));
          else if (typeof a.ivr === 'string') {
            transcript.audio.push(await fetchAudio(a.ivr));
            result = digits.shift() ?? 'failed';
          } else if (a.hangup !== undefined) break;
          const next = a.next;
          if (typeof next === 'string') {
            const fields = { callid: call.id, result, from: call.from, to: call.to };
            const delivery = await postWebhookForm(next, fields);
            transcript.next.push({ url: next, fields, delivery });
            action = delivery.status >= 200 && delivery.status < 300 ? parseAction(delivery.body) : undefined;
          } else action = next ?? undefined;
        }
      }
      call.state = outcome;
      if (whenhangup !== undefined) {
        transcript.hangup = await postWebhookForm(
          whenhangup,
          {
            id: call.id,
            direction: 'outgoing',
            from: call.from,
            to: call.to,
            created: call.created,
            state: outcome,
            duration: outcome === 'success' ? '17' : '0',
            cost: outcome === 'success' ? '5000' : '0',
          },
          retry,
        );
      }
      return transcript;
    },
    async simulateIncomingCall(url, call, retry = {}) {
      const callid = call.callid ?? `c${randomHex(32)}`;
      const delivery = await postWebhookForm(
        url,
        { callid, from: call.from, to: call.to, direction: 'incoming', created: elksNow() },
        retry,
      );
      let action: unknown;
      try {
        action = JSON.parse(delivery.body);
      } catch {
        action = undefined;
      }
      return { ...delivery, callid, action };
    },
    async simulateIncomingSms(url, incoming, retry = {}) {
      const id = incoming.id ?? `s${randomHex(32)}`;
      const fields = {
        id,
        from: incoming.from,
        to: incoming.to,
        message: incoming.message,
        direction: 'incoming',
        created: elksNow(),
      };
      return { ...(await postWebhookForm(url, fields, retry)), id };
    },
    close: http.close,
  };
}

/** 46elks retries failed callbacks "at least 5 times" over 6 hours; compressed here. */
const PLATFORM_RETRY: RetryOptions = { retries: 5, retryDelayMs: 20 };

/** A call action as 46elks reads it: inline JSON, or an empty answer (the call ends). */
function parseAction(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** 46elks GETs the audio of `play`/`ivr` (and caches it by URL). */
async function fetchAudio(url: string): Promise<ElksCallTranscript['audio'][number]> {
  const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  const bytes = (await response.arrayBuffer()).byteLength;
  return {
    url,
    status: response.status,
    contentType: response.headers.get('content-type') ?? undefined,
    bytes,
  };
}

function callAnswer(call: ElksCall): Record<string, unknown> {
  return {
    id: call.id,
    direction: call.direction,
    from: call.from,
    to: call.to,
    state: call.state,
    created: call.created,
  };
}

/** 46elks' time format: UTC, microseconds, no zone. */
function elksNow(): string {
  return `${new Date().toISOString().slice(0, -1)}000`;
}

/** GSM-7 fits 160 per single SMS (153 per part); anything else UCS-2, 70 (67) [approximation]. */
function partsOf(message: string): number {
  const gsm = /^[\n\r !"#$%&'()*+,\-./0-9:;<=>?@A-Z_a-z£¥èéùìòÇØøÅåÄÖÑÜ§¿äöñüà¡ΔΦΓΛΩΠΨΣΘΞÆæßÉ]*$/.test(
    message,
  );
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return message.length <= single ? 1 : Math.ceil(message.length / multi);
}
