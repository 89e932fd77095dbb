import { z } from 'zod';
import { errorBodySchema } from './errors.js';
import { runResponseSchema } from './runs.js';
import { ASYNC_RUN_STATUSES } from './async-runs.js';

export const WEBHOOK_EVENT_TYPES = ['run.completed', 'run.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The JSON body of a webhook delivery (Standard Webhooks: type, timestamp, data). */
export const webhookPayloadSchema = z
  .object({
    type: z.enum(WEBHOOK_EVENT_TYPES),
    /** When the event happened (the run ended). */
    timestamp: z.iso.datetime(),
    data: z.object({
      run_id: z.string(),
      status: z.enum(ASYNC_RUN_STATUSES),
      result: runResponseSchema.nullable(),
      error: errorBodySchema.nullable(),
    }),
  })
  .meta({ id: 'WebhookPayload' });
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'disabled'] as const;

export const webhookDeliverySchema = z
  .object({
    /** The webhook-id header: the same on every attempt. */
    id: z.string(),
    app: z.string(),
    type: z.enum(WEBHOOK_EVENT_TYPES),
    run_id: z.string(),
    url: z.string(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable(),
    /** The receiver's last HTTP status; null when it could not be reached. */
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const listWebhookDeliveriesInputSchema = z.object({
  app: z.string().max(64).optional(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export const webhookDeliveryPageSchema = z
  .object({ deliveries: z.array(webhookDeliverySchema), next_cursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryPage' });

export const webhookDeliveryRefSchema = z.object({ id: z.string().max(64).regex(/^msg_[A-Za-z0-9_-]+$/, 'a delivery id (msg_...)') });

export const tokenNameRefSchema = z.object({ name: z.string().max(64) });

/** POST /admin/tokens/{name}/webhook-secret: a new signing secret, shown once. */
export const webhookSecretSchema = z.object({ name: z.string(), webhook_secret: z.string() }).meta({ id: 'WebhookSecret' });
export type WebhookSecret = z.infer<typeof webhookSecretSchema>;
export type WebhookDeliveryPage = z.infer<typeof webhookDeliveryPageSchema>;
