// The documented values of the REST enums the app reads. index.d.ts declares every enum `string`,
// so the values come from the SDKs that spell them out: the .NET SDK's
// build/src/PureCloudPlatform.Client.V2/Model/*.cs (EnumMember values) and the iOS SDK's models
// (same values). Only fields whose values the app or the simulator depends on are listed.

/** `ChatItem.chatType` (.NET Model/ChatItem.cs ChatTypeEnum) and `Room.roomType` (Model/Room.cs RoomTypeEnum). */
export const CHAT_TYPES = ['adhoc', 'acd', 'group', 'oneOnOne', 'supervisorAssistance'] as const;

/** `MobileNotificationSettings.when` (.NET Model/MobileNotificationSettings.cs WhenEnum). */
export const MOBILE_WHEN = ['Always', 'OnlyWhenInactive'] as const;

/** Where, in a value of each model, enum values sit: a path of field names (`[]` = every item). */
const ENUM_FIELDS: Record<string, { path: string[]; values: readonly string[] }[]> = {
  ChatItemCursorListing: [
    { path: ['entities', '[]', 'chatType'], values: CHAT_TYPES },
    { path: ['entities', '[]', 'room', 'roomType'], values: CHAT_TYPES },
  ],
  ChatItem: [
    { path: ['chatType'], values: CHAT_TYPES },
    { path: ['room', 'roomType'], values: CHAT_TYPES },
  ],
  Room: [{ path: ['roomType'], values: CHAT_TYPES }],
  UserSettingsForChat: [{ path: ['mobile', 'notifications', 'when'], values: MOBILE_WHEN }],
};

/** Enum values in `value` (a value of `model`) that the SDKs do not document, as `path: value`. */
export function enumProblems(model: string, value: unknown): string[] {
  const out: string[] = [];
  for (const field of ENUM_FIELDS[model] ?? []) walk(value, field.path, model, field.values, out);
  return out;
}

function walk(value: unknown, path: string[], at: string, values: readonly string[], out: string[]): void {
  if (value === undefined || value === null) return;
  const [head, ...rest] = path;
  if (head === undefined) {
    if (typeof value !== 'string' || !values.includes(value))
      out.push(`${at}: ${JSON.stringify(value)} is not one of ${values.join(', ')}`);
    return;
  }
  if (head === '[]') {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, rest, `${at}[${i}]`, values, out));
    return;
  }
  if (typeof value === 'object' && !Array.isArray(value))
    walk((value as Record<string, unknown>)[head], rest, `${at}.${head}`, values, out);
}
