// Public face of the notifications module: in-site messages (站内消息) with an optional SMS,
// written by other modules through notify() in their own transactions (docs/notifications.md).
import type { PlatformModule } from '../../platform/module.ts';
import { registerUserCentreSection } from '../identity/index.ts';
import { messageRoutes } from './routes.ts';
import { smsHandler } from './sms.ts';
import { listMessages } from './store.ts';

export { notify, isSameSitePath, SMS_TOPIC, type NotifyInput, type Recipient, type RecipientKind, type SmsStatus, type SmsPayload } from './store.ts';
export { SMS_GIVE_UP_AFTER } from './sms.ts';

const shortDate = (d: Date) => d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

export const notificationsModule: PlatformModule = {
  name: 'notifications',
  routes(app, ctx) {
    messageRoutes(app, ctx);
    registerUserCentreSection(ctx, {
      id: 'messages',
      title: '未读消息',
      order: 5,
      async load(actor) {
        if (actor.kind !== 'citizen' && actor.kind !== 'company') return { items: [], empty: '暂无消息。' };
        const base = actor.kind === 'citizen' ? '/account/messages' : '/company/messages';
        const unread = await listMessages(ctx.db, { kind: actor.kind, accountId: actor.accountId }, { limit: 5, unreadOnly: true });
        return {
          items: unread.map((m) => ({ label: m.title, href: `${base}/${m.id}`, meta: shortDate(m.createdAt) })),
          empty: '没有未读消息。',
          moreHref: base,
        };
      },
    });
  },
  handlers: (ctx) => [smsHandler(ctx)],
};
