// `MessageData` → the app's `TranscriptEntry`: the text from `normalizedMessage.text` (falling back
// to the deprecated `textBody`), attachments from `normalizedMessage.content[]`, who wrote it from
// the direction and `originatingEntity`.
import type { Attachment, Author, TranscriptEntry } from '../../messaging/types.ts';
import { epoch, type SurpriseFn } from './snapshot.ts';
import { MessageDataWire, type MessageDataWire as MessageData } from './wire.ts';

/** Reads one `MessageData`; an unreadable one is counted under `kind` and gives undefined. */
export function readMessageData(
  value: unknown,
  kind: string,
  surprise: SurpriseFn,
): TranscriptEntry | undefined {
  const parsed = MessageDataWire.safeParse(value);
  if (!parsed.success) {
    surprise(kind, value, parsed.error.issues[0]?.message);
    return undefined;
  }
  return toEntry(parsed.data);
}

export function toEntry(m: MessageData): TranscriptEntry {
  const attachments: Attachment[] = [];
  for (const c of m.normalizedMessage?.content ?? []) {
    const a = c.attachment;
    if (!a) continue;
    attachments.push({
      label: a.filename || a.text || a.mediaType || 'Attachment',
      ...(a.url ? { url: a.url } : {}),
      ...(a.mime ? { mime: a.mime } : {}),
      ...(a.mediaType ? { mediaType: a.mediaType } : {}),
    });
  }
  return {
    id: m.id,
    author: authorOf(m),
    text: m.normalizedMessage?.text ?? m.textBody ?? '',
    attachments,
    at: epoch(m.timestamp),
    ...(m.status ? { status: m.status } : {}),
  };
}

function authorOf(m: MessageData): Author {
  const direction = (m.direction ?? m.normalizedMessage?.direction ?? '').toLowerCase();
  if (direction === 'inbound') return 'customer';
  const origin = m.normalizedMessage?.originatingEntity?.toLowerCase();
  if (origin === 'bot') return 'bot';
  if (origin === 'human' || m.createdBy?.id) return 'agent';
  return 'bot';
}

/** Whether the entry shows anything (an Event message such as a presence join has neither). */
export function hasContent(entry: TranscriptEntry): boolean {
  return entry.text !== '' || entry.attachments.length > 0;
}
