// Request body schemas (zod) and the helper that turns validation failures into Genesys-style 400s.
import { z } from 'zod';
import { badRequest } from '../http/errors.ts';

/** Validates `body` against `schema`; the 400 names each offending field. */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`);
  throw badRequest(`Invalid request body. ${problems.join('; ')}`, 'invalid.request.body');
}

const id = z.string().min(1).max(200);
const text = (max: number) => z.string().max(max);

export const sendMessageSchema = z.object({
  message: z
    .string()
    .max(100_000)
    .refine((s) => s.trim().length > 0, 'must not be empty'),
  mentions: z.array(id).max(100).optional(),
  threadId: id.optional(),
});

export const createRoomSchema = z.object({
  subject: z
    .string()
    .max(500)
    .refine((s) => s.trim().length > 0, 'must not be empty'),
  description: text(4000).optional(),
  userIds: z.array(id).max(500).optional(),
});

export const patchRoomSchema = z.object({
  subject: z
    .string()
    .max(500)
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .optional(),
  description: text(4000).optional(),
  pinnedMessageIds: z.array(id).max(100).optional(),
  ownerIds: z.array(id).min(1).max(100).optional(),
});

export const pinsSchema = z.object({
  pinnedMessageIds: z.array(id).min(1).max(100),
});

export const reactionsSchema = z.object({
  reactions: z.array(z.string().min(1).max(64)).max(50),
});

const mobileSchema = z.object({
  notifications: z.object({ when: z.enum(['Always', 'OnlyWhenInactive']) }),
});

/**
 * PATCH /chats/users/me/settings: only the fields that change. The SDK marks `mobile` required
 * because it reuses the GET model; a PATCH without it leaves the user's mobile choice alone.
 */
export const patchMySettingsSchema = z.strictObject({
  muted: z.boolean().optional(),
  mentionsOnly: z.boolean().optional(),
  notifyOnReactions: z.boolean().optional(),
  mobile: mobileSchema.optional(),
});

/** POST /chats/users/me/settings: `muted` is required. */
export const postMySettingsSchema = z.object({
  muted: z.boolean(),
  mentionsOnly: z.boolean().optional(),
  notifyOnReactions: z.boolean().optional(),
  mobile: mobileSchema.optional(),
});

export const userSettingsSchema = z.object({ mobile: mobileSchema });

export const orgSettingsSchema = z.object({
  messageRetentionPeriodDays: z.int().min(10).max(3650).optional(),
  reactionsEnabled: z.boolean().optional(),
});

export const topicsSchema = z.array(z.object({ id: z.string().min(1).max(500) })).max(10_000);
