import type { EmailSender, SmsSender, VoiceCaller } from '../../integrations/messaging.js';

/** The message ports a use case may send through; built from configuration by the composition root. */
export interface Messaging {
  sms: SmsSender;
  voice: VoiceCaller;
  email: EmailSender;
}
