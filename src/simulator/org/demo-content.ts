// Fixed cast and phrase banks of the demo org (names, titles, rooms, message templates).
import type { PresenceState } from '../model.ts';

export const EMAIL_DOMAIN = 'northwind-demo.example';

export interface PersonDef {
  key: string;
  name: string;
  title: string;
  department: string;
  presence: PresenceState;
  presenceMessage?: string;
}

/** The first entry is the demo user (the default login). */
export const PEOPLE: PersonDef[] = [
  {
    key: 'alex',
    name: 'Alex Rivera',
    title: 'Support Engineer',
    department: 'Customer Support',
    presence: 'Available',
  },
  {
    key: 'priya',
    name: 'Priya Raman',
    title: 'Support Team Lead',
    department: 'Customer Support',
    presence: 'Available',
  },
  {
    key: 'marcus',
    name: 'Marcus Chen',
    title: 'Senior Software Engineer',
    department: 'Engineering',
    presence: 'Busy',
    presenceMessage: 'Heads down on the 4.2 release',
  },
  {
    key: 'sofia',
    name: 'Sofia Alvarez',
    title: 'Product Manager',
    department: 'Product',
    presence: 'Meeting',
  },
  {
    key: 'daniel',
    name: 'Daniel Okafor',
    title: 'Customer Success Manager',
    department: 'Customer Success',
    presence: 'Away',
  },
  {
    key: 'hannah',
    name: 'Hannah Becker',
    title: 'QA Engineer',
    department: 'Engineering',
    presence: 'Available',
  },
  {
    key: 'liam',
    name: "Liam O'Connor",
    title: 'IT Operations Specialist',
    department: 'IT',
    presence: 'Offline',
  },
  { key: 'aiko', name: 'Aiko Tanaka', title: 'UX Designer', department: 'Product', presence: 'Available' },
  {
    key: 'noah',
    name: 'Noah Williams',
    title: 'Head of Customer Support',
    department: 'Customer Support',
    presence: 'Available',
  },
];

export type Theme =
  'support' | 'engineering' | 'announcements' | 'social' | 'sales' | 'release' | 'escalation' | 'direct';

export interface RoomDef {
  key: string;
  roomType: 'group' | 'adhoc';
  name: string;
  description: string;
  theme: Theme;
  members: string[];
  owners: string[];
  /** Who posts (defaults to all members). */
  posters?: string[];
  messages: number;
  pins: number;
}

const EVERYONE = PEOPLE.map((p) => p.key);

export const ROOMS: RoomDef[] = [
  {
    key: 'support',
    roomType: 'group',
    name: 'Support Team',
    description: 'Day-to-day coordination for the support queue',
    theme: 'support',
    members: ['alex', 'priya', 'daniel', 'noah', 'hannah'],
    owners: ['noah'],
    messages: 60,
    pins: 2,
  },
  {
    key: 'engineering',
    roomType: 'group',
    name: 'Engineering',
    description: 'Builds, deploys, bugs and code reviews',
    theme: 'engineering',
    members: ['alex', 'marcus', 'hannah', 'liam', 'aiko', 'sofia'],
    owners: ['marcus'],
    messages: 70,
    pins: 1,
  },
  {
    key: 'announcements',
    roomType: 'group',
    name: 'Announcements',
    description: 'Company-wide news. Please keep chatter in threads.',
    theme: 'announcements',
    members: EVERYONE,
    owners: ['noah'],
    posters: ['noah', 'sofia', 'priya'],
    messages: 10,
    pins: 2,
  },
  {
    key: 'watercooler',
    roomType: 'group',
    name: 'Watercooler',
    description: 'Coffee, lunch plans and weekend photos',
    theme: 'social',
    members: EVERYONE,
    owners: ['aiko'],
    messages: 30,
    pins: 0,
  },
  {
    key: 'sales',
    roomType: 'group',
    name: 'Sales Leadership',
    description: 'Pipeline and renewals',
    theme: 'sales',
    members: ['noah', 'daniel', 'sofia'],
    owners: ['daniel'],
    messages: 20,
    pins: 1,
  },
  {
    key: 'release',
    roomType: 'adhoc',
    name: 'Release 4.2 war room',
    description: 'Go/no-go for the 4.2 rollout',
    theme: 'release',
    members: ['alex', 'marcus', 'sofia', 'hannah'],
    owners: ['sofia'],
    messages: 40,
    pins: 1,
  },
  {
    key: 'escalation',
    roomType: 'adhoc',
    name: 'Acme Corp escalation',
    description: 'Priority 1 incident follow-up',
    theme: 'escalation',
    members: ['alex', 'priya', 'daniel', 'marcus'],
    owners: ['priya'],
    messages: 25,
    pins: 0,
  },
];

export interface DirectDef {
  a: string;
  b: string;
  messages: number;
  /** Closed by `a` (shown with `open: false` in a's roster). */
  closedByA?: boolean;
  pins?: number;
}

export const DIRECTS: DirectDef[] = [
  { a: 'alex', b: 'priya', messages: 24, pins: 1 },
  { a: 'alex', b: 'marcus', messages: 18 },
  { a: 'alex', b: 'daniel', messages: 14 },
  { a: 'alex', b: 'noah', messages: 8 },
  { a: 'alex', b: 'aiko', messages: 6, closedByA: true },
  { a: 'priya', b: 'marcus', messages: 10 },
];

export const CUSTOMERS = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Health',
  'Stark Logistics',
  'Wayne Retail',
];
export const SERVICES = [
  'billing API',
  'SSO gateway',
  'reporting service',
  'IVR flows',
  'queue routing',
  'web chat widget',
];
export const WHEN = [
  'this afternoon',
  'tomorrow morning',
  'before standup',
  'by end of day',
  'on Thursday',
  'after lunch',
];
export const EMOJIS = ['👍', '🎉', '❤️', '😂', '👀', '✅', '🙏', '🔥'];

export const THEMES: Record<Theme, string[]> = {
  support: [
    'Queue is at {n} waiting, could someone pick up the {customer} callbacks?',
    'Ticket #{ticket} from {customer} is about the {service} again.',
    'Heads up: {customer} reports slow responses from the {service}.',
    'I closed #{ticket}, the customer confirmed the fix.',
    'Who is on the late shift {when}?',
    'New macro for password resets is live, please try it out.',
    'CSAT for last week came in at 4.{n}, nice work everyone!',
    'Escalating #{ticket} to engineering, logs attached in the ticket.',
    'Reminder: please tag billing questions so they route correctly.',
    'Can someone double-check the SLA on #{ticket}? It looks off.',
  ],
  engineering: [
    'Deploying {version} to staging {when}.',
    'PR for the {service} retry logic is up, reviews welcome.',
    'Flaky test in the {service} suite again, looking into it.',
    'Build #{ticket} is green, merging.',
    'Anyone seen timeouts from the {service} in the last hour?',
    'Rolled back the {service} config change, error rate is back to normal.',
    'Design review for the new notification settings {when}.',
    'Bumped the dependency versions, please rebase.',
    'Postmortem notes for the {service} incident are in the wiki.',
    'Who owns the alert for the {service} latency?',
  ],
  announcements: [
    'Welcome to the team, {name}! 🎉',
    'Office closed on Monday for the public holiday.',
    'All-hands {when}: roadmap and Q3 results.',
    'New expense policy is live, details on the intranet.',
    'Security reminder: never share one-time codes, not even with IT.',
    'We hit 10,000 resolved tickets this quarter. Thank you all!',
  ],
  social: [
    'Coffee run in 10, who wants something?',
    'Lunch at the taco place {when}?',
    'Has anyone tried the new ramen spot downtown?',
    'Weekend photos from the hike are in the shared album 🏔️',
    'The plant in the kitchen needs water again 🌱',
    'Happy birthday {name}! 🎂',
    'Board games on Friday after work?',
  ],
  sales: [
    '{customer} renewal is in legal review.',
    'Pipeline review {when}, please update your forecasts.',
    '{customer} asked for a pilot of the {service}.',
    'Closed {customer}! 🎉',
  ],
  release: [
    'Go/no-go for {version} {when}.',
    'Regression suite for {version}: {n} failures left to triage.',
    'Release notes draft for {version} is ready for review.',
    'Feature flag for the {service} is on in staging.',
    'Canary at 10% looks healthy so far.',
    'Blocking bug #{ticket} is fixed, verifying now.',
  ],
  escalation: [
    '{customer} is asking for an update on #{ticket}.',
    'Root cause looks like the {service} failover.',
    'Sent the customer a status update, next one {when}.',
    'Engineering has a fix candidate, testing it now.',
    'Customer confirmed the workaround helps for now.',
  ],
  direct: [
    'Do you have a minute {when}?',
    'Thanks for covering my shift!',
    'Can you review my notes on #{ticket}?',
    'Sent you the doc, let me know what you think.',
    'Are we still on for the 1:1 {when}?',
    'Quick question about the {service} setup.',
    'Nice job on the {customer} call today.',
  ],
};

export const MENTION_DEMO = [
  'can you take a look at #{ticket}?',
  'could you join the {customer} call {when}?',
  'you were right about the {service}, thanks!',
  'any update on the {customer} issue?',
  'can you own the follow-up on #{ticket}?',
];

export const REPLIES = [
  'On it.',
  'Agreed 👍',
  'Thanks, {name}!',
  'Good catch.',
  'I can help with that.',
  'Done, let me know if it works now.',
  'Looking into it.',
  'Same here, seeing it too.',
  '+1',
  'Let me check and get back to you.',
];

export const DIRECT_TO_DEMO = [
  'Hey, do you have a minute {when}?',
  'Could you look at #{ticket} when you get a chance?',
  'Thanks for the help earlier!',
  'Are you joining the {customer} call?',
  'Quick one: where is the runbook for the {service}?',
];
