// The outbox handler that texts a notification. It runs after the change that caused it has
// committed; the worker retries with backoff when it throws and dead-letters after its last
// attempt (src/platform/jobs/worker.ts). The row lock on the notification plus sms_status make
// a redelivered event a no-op once the gateway has accepted the message.
import type { Tx } from '../../platform/db/database.ts';
import type { EventHandler } from '../../platform/jobs/worker.ts';
import type { OutboxEvent } from '../../platform/jobs/outbox.ts';
import type { AppContext } from '../../platform/module.ts';
import { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { SMS_TOPIC, type SmsPayload } from './store.ts';

/** Matches the worker's default maxAttempts: the last try marks the SMS failed. */
export const SMS_GIVE_UP_AFTER = 8;

export function smsHandler(ctx: AppContext): EventHandler {
  const cipher = new PersonalDataCipher(ctx.config.secrets);
  return {
    name: 'notifications.send-sms',
    topic: SMS_TOPIC,
    async handle(event: OutboxEvent, tx: Tx) {
      const payload = event.payload as SmsPayload;
      const row = await tx.selectFrom('notification').select(['id', 'sms_status']).where('id', '=', payload.notificationId).forUpdate().executeTakeFirst();
      // Gone (never, today: messages are not deleted) or already handled: nothing to send.
      if (!row || row.sms_status !== 'queued') return;
      const mobile = cipher.open('mobile', payload.mobileSealed);
      // An unavailable gateway (VerifierUnavailableError) propagates: the worker retries later
      // and sms_status stays 'queued', which is the truth until the gateway takes it.
      let sent: { messageId: string };
      try {
        sent = await ctx.external.identity.sms.send({ mobile, template: 'notice', params: { text: payload.text } });
      } catch (err) {
        if (event.attempts < SMS_GIVE_UP_AFTER) throw err;
        // The worker's default last attempt: record the failure instead of a dead letter, so
        // the message page and support can see the text never went out.
        ctx.log.warn({ err, notificationId: row.id }, 'notification SMS given up');
        await tx.updateTable('notification').set({ sms_status: 'failed' }).where('id', '=', row.id).execute();
        return;
      }
      await tx
        .updateTable('notification')
        .set({ sms_status: 'sent', sms_reference: sent.messageId, sms_sent_at: new Date() })
        .where('id', '=', row.id)
        .execute();
    },
  };
}
