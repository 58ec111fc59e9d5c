/**
 * 46elks call actions: the JSON we answer a `voice_start` (or `next`) webhook with, and the inline
 * `voice_start` of an outgoing call. Shapes from https://46elks.se/docs/call-actions and the per-action
 * pages (shared/spec/integrations.md A1).
 */
import { isE164 } from './provider-http.js';

/** A URL to fetch the next action from, or the next action inline. */
export type ElksNext = string | ElksCallAction;

interface ElksActionCommon {
  /** Without `next` the call ends after the action; `next` is called whether the action succeeded or not. */
  next?: ElksNext;
  /** URL called when the call ends (any action may set it). */
  whenhangup?: string;
}

export interface ElksPlayAction extends ElksActionCommon {
  /** Audio URL (WAV/MP3/OGG, cached by 46elks), `sound/beep`, `sound/dtmf/…` or English TTS `en_US/…`. */
  play: string;
  skippable?: boolean;
}

export interface ElksConnectAction extends ElksActionCommon {
  /** One number, or a comma list that rings in parallel (first answer wins). */
  connect: string;
  /** One of our numbers; default is the caller's number. */
  callerid?: string;
  /** Seconds to ring [G: per-action `timeout` is not confirmed in the 46elks docs]. */
  timeout?: number;
  busy?: ElksNext;
  failed?: ElksNext;
  success?: ElksNext;
}

export interface ElksIvrAction extends ElksActionCommon {
  /** Prompt audio URL. */
  ivr: string;
  digits?: number;
  /** 1–30 s. */
  timeout?: number;
  repeat?: number;
}

export interface ElksRecordAction extends ElksActionCommon {
  record: string;
  timelimit?: number;
  silencedetection?: 'yes' | 'no';
}

export interface ElksHangupAction {
  hangup: 'busy' | 'reject' | '404';
  whenhangup?: string;
}

export type ElksCallAction =
  ElksPlayAction | ElksConnectAction | ElksIvrAction | ElksRecordAction | ElksHangupAction;

export interface ElksConnectCallerOptions {
  /**
   * A recording of the Swedish greeting, played (not skippable) before connecting. 46elks has no Swedish
   * text-to-speech, so the greeting must be audio; without it the caller is connected at once.
   */
  greetingAudioUrl?: string;
  /** Rung first; several numbers ring in parallel. E.164. */
  primary: string | readonly string[];
  /** Rung when `primary` is busy or does not answer. E.164. */
  secondary?: string | readonly string[];
  /** The number the engineer sees: one of our 46elks numbers. Default: the caller's own number. */
  callerId?: string;
  /** Seconds each step rings [G]. */
  ringTimeoutSeconds?: number;
  /** What happens when nobody answers, e.g. a `record` action (voicemail). Default: the call ends. */
  noAnswer?: ElksNext;
  whenHangupUrl?: string;
}

/**
 * The answer to an incoming call: greeting, then connect to `primary`, on busy/failed to `secondary`,
 * then `noAnswer`.
 * @example buildElksConnectAction({ greetingAudioUrl: 'https://desk.example/a/hej.mp3', primary: '+46701234567', secondary: '+46707654321', callerId: '+46766860000' })
 * // {"play":"https://desk.example/a/hej.mp3","skippable":false,
 * //  "next":{"connect":"+46701234567","callerid":"+46766860000",
 * //          "busy":{"connect":"+46707654321","callerid":"+46766860000"},
 * //          "failed":{"connect":"+46707654321","callerid":"+46766860000"}}}
 */
export function buildElksConnectAction(options: ElksConnectCallerOptions): ElksCallAction {
  const step = (numbers: string | readonly string[], onNoAnswer: ElksNext | undefined): ElksConnectAction => {
    const action: ElksConnectAction = { connect: numberList(numbers) };
    if (options.callerId !== undefined) action.callerid = requireNumber(options.callerId, 'callerId');
    if (options.ringTimeoutSeconds !== undefined) action.timeout = options.ringTimeoutSeconds;
    if (onNoAnswer !== undefined) {
      action.busy = onNoAnswer;
      action.failed = onNoAnswer;
    }
    return action;
  };
  const secondary = options.secondary === undefined ? undefined : step(options.secondary, options.noAnswer);
  const connect = step(options.primary, secondary ?? options.noAnswer);
  if (options.greetingAudioUrl === undefined) {
    if (options.whenHangupUrl !== undefined) connect.whenhangup = options.whenHangupUrl;
    return connect;
  }
  const play: ElksPlayAction = { play: options.greetingAudioUrl, skippable: false };
  if (options.whenHangupUrl !== undefined) play.whenhangup = options.whenHangupUrl;
  play.next = connect;
  return play;
}

/**
 * The inline `voice_start` of an outgoing call: play the recording; with `acknowledgeUrl`, an `ivr` that
 * waits for one digit (three tries, 10 s each) and POSTs `result` there.
 */
export function buildElksOutgoingCallAction(options: {
  audioUrl: string;
  acknowledgeUrl?: string;
}): ElksCallAction {
  if (options.acknowledgeUrl === undefined) return { play: options.audioUrl, skippable: false };
  return { ivr: options.audioUrl, digits: 1, timeout: 10, repeat: 3, next: options.acknowledgeUrl };
}

/**
 * What we answer the `next` of a page call's `ivr` with (46elks POSTs the digit as `result`):
 * `acknowledged` plays the confirmation and ends the call; `again` asks once more (one try, same prompt,
 * result to `acknowledgeUrl`); `end` hangs up.
 * @example buildElksKeypressAnswer({ outcome: 'acknowledged', confirmationAudioUrl: 'https://desk.example/audio/sv/acknowledged-1a2b.wav' })
 * // {"play":"https://desk.example/audio/sv/acknowledged-1a2b.wav","skippable":false}
 */
export function buildElksKeypressAnswer(
  options:
    | { outcome: 'acknowledged'; confirmationAudioUrl?: string | undefined }
    | { outcome: 'again'; promptAudioUrl: string; acknowledgeUrl: string }
    | { outcome: 'end' },
): ElksCallAction {
  if (options.outcome === 'acknowledged')
    return options.confirmationAudioUrl === undefined
      ? { hangup: 'reject' }
      : { play: options.confirmationAudioUrl, skippable: false };
  if (options.outcome === 'again')
    return { ivr: options.promptAudioUrl, digits: 1, timeout: 10, repeat: 1, next: options.acknowledgeUrl };
  return { hangup: 'reject' };
}

function numberList(numbers: string | readonly string[]): string {
  const list = typeof numbers === 'string' ? [numbers] : [...numbers];
  if (list.length === 0) throw new RangeError('at least one number to connect to is required');
  return list.map((n) => requireNumber(n, 'number to connect to')).join(',');
}

function requireNumber(phone: string, what: string): string {
  if (!isE164(phone)) throw new RangeError(`${what} must be an E.164 number (+46…)`);
  return phone;
}
