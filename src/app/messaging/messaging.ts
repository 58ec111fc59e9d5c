import type { EmailSender, PushSender, SmsSender, VoiceCaller } from '../../integrations/messaging.js';

/** The message ports a use case may send through; built from configuration by the composition root. */
export interface Messaging {
  sms: SmsSender;
  voice: VoiceCaller;
  email: EmailSender;
  /** Web push to the browsers users subscribed (always available: the VAPID keys are ensured at start). */
  push: PushSender;
}
