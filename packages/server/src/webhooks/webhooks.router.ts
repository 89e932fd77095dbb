// The operator's view of webhook deliveries: GET /admin/webhooks/deliveries
// (filtered, keyset pages) and POST .../{id}/redeliver.
import { listWebhookDeliveriesInputSchema, webhookDeliveryPageSchema, webhookDeliveryRefSchema, webhookDeliverySchema } from '@clawdforge/shared';
import { cursorKey } from '../db/keyset-page.js';
import { ApiError } from '../errors.js';
import { adminProcedure, router } from '../trpc.js';
import { toDelivery } from './webhook-deliveries.repository.js';

const ADMIN = { tags: ['admin'], protect: true };

export const webhooksRouter = router({
  deliveries: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/webhooks/deliveries', operationId: 'listWebhookDeliveries', summary: 'Webhook deliveries, newest first, by app and status' } })
    .input(listWebhookDeliveriesInputSchema)
    .output(webhookDeliveryPageSchema)
    .query(({ ctx, input }) => ctx.services.webhooks.repository.list({ app: input.app, status: input.status }, input.limit, cursorKey(input.cursor))),

  redeliver: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'POST', path: '/admin/webhooks/deliveries/{id}/redeliver', operationId: 'redeliverWebhook', summary: 'Send a delivery again, from the start of the retry schedule' } })
    .input(webhookDeliveryRefSchema)
    .output(webhookDeliverySchema)
    .mutation(({ ctx, input }) => {
      const row = ctx.services.webhooks.deliverer.redeliver(input.id);
      if (!row) throw new ApiError('not_found', `No webhook delivery ${input.id}.`);
      return toDelivery(row);
    }),
});
