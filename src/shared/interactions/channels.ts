// The messaging channels of customer conversations and how long a reply may be on each. No schema
// library here: the renderer imports this file for the composer's character guide.

/**
 * The channel types a messaging communication can have (`ConversationEventTopicMessage.type` in the
 * official SDKs, plus `apple`, which the Resource Center lists) and `unknown` for any other value:
 * an unexpected type is shown as "Messaging" rather than hiding the conversation.
 */
export const CHANNEL_TYPES = [
  'sms',
  'whatsapp',
  'webmessaging',
  'open',
  'facebook',
  'instagram',
  'twitter',
  'line',
  'viber',
  'wechat',
  'telegram',
  'kakao',
  'apple',
  'unknown',
] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export function isChannelType(value: unknown): value is ChannelType {
  return typeof value === 'string' && (CHANNEL_TYPES as readonly string[]).includes(value);
}

export const CHANNEL_LABEL: Record<ChannelType, string> = {
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  webmessaging: 'Web messaging',
  open: 'Open Messaging',
  facebook: 'Facebook Messenger',
  instagram: 'Instagram',
  twitter: 'X (Twitter)',
  line: 'LINE',
  viber: 'Viber',
  wechat: 'WeChat',
  telegram: 'Telegram',
  kakao: 'KakaoTalk',
  apple: 'Apple Messages',
  unknown: 'Messaging',
};

/**
 * The longest reply an agent can send on each channel, as Genesys documents it for the agent's
 * composer (Genesys Cloud Resource Center, "Accept and respond to a message interaction": WhatsApp
 * 4000, web messaging 4000, Facebook 2000, Instagram 1000, Open API 4000, SMS 160/765, Apple Messages
 * for Business 2000; and the FAQ "Is there a character limit for SMS messages?": at most 5 parts of
 * 153 characters, 765 in all). WhatsApp itself allows 4096, but Genesys's own limit is 4000. The
 * channels the documents do not list get 2000, the lowest common figure. A guide only: the server
 * judges, and the composer never refuses to send because of it.
 */
export const CHANNEL_CHAR_LIMIT: Record<ChannelType, number> = {
  sms: 765,
  whatsapp: 4000,
  webmessaging: 4000,
  open: 4000,
  facebook: 2000,
  instagram: 1000,
  twitter: 2000,
  line: 2000,
  viber: 2000,
  wechat: 2000,
  telegram: 2000,
  kakao: 2000,
  apple: 2000,
  unknown: 2000,
};

/** One SMS part is 160 characters; a longer message goes in parts of 153 (the rest is the header). */
const SMS_SINGLE = 160;
const SMS_PART = 153;

export interface CharGuide {
  /** Characters typed, counted as the user sees them (code points, not UTF-16 units). */
  count: number;
  limit: number;
  /** Past the channel's limit: the server is likely to refuse it. */
  over: boolean;
  /** SMS only: how many messages the customer receives. */
  parts?: number;
  /** What to show beside the composer, e.g. "170 / 765 · 2 SMS". */
  label: string;
}

/** The character guide for `text` on `channel`. Linear in the text's length. */
export function charGuide(channel: ChannelType, text: string): CharGuide {
  let count = 0;
  for (const _ of text) count++;
  const limit = CHANNEL_CHAR_LIMIT[channel];
  const over = count > limit;
  if (channel !== 'sms') return { count, limit, over, label: `${count} / ${limit}` };
  const parts = count <= SMS_SINGLE ? 1 : Math.ceil(count / SMS_PART);
  return { count, limit, over, parts, label: `${count} / ${limit} · ${parts} SMS` };
}
