// The demo org's messaging setup: one Open Messaging integration, its queue and wrap-up codes, and
// the customers (and what they say) that the traffic generator and the control interface use.
import type { Prng } from '../prng.ts';
import type { CustomerRecord, IntegrationRecord } from './model.ts';

const DAY = 86_400_000;

export function buildIntegration(rng: Prng, startMs: number, createdBy: string): IntegrationRecord {
  const codes = [
    ['Resolved', 'The customer’s question was answered.'],
    ['Follow-up needed', 'Someone has to get back to the customer.'],
    ['Escalated', 'Handed to the escalation team.'],
    ['No response from customer', 'The customer stopped answering.'],
  ] as const;
  return {
    id: rng.uuid(),
    name: 'Northwind Customer Chat (Open Messaging)',
    webhookUrl: 'https://messaging.northwind-demo.example/genesys/outbound',
    createdMs: startMs - 120 * DAY,
    createdBy,
    queue: {
      id: rng.uuid(),
      name: 'Northwind Support',
      wrapupCodes: codes.map(([name, description], i) => ({
        id: rng.uuid(),
        name,
        description,
        createdMs: startMs - (110 - i) * DAY,
      })),
    },
    flowName: 'Northwind Inbound Messages',
    greeting: 'Thanks for contacting Northwind Support. An agent will be with you shortly.',
  };
}

export const CUSTOMERS: readonly CustomerRecord[] = [
  { id: '+14155550142', idType: 'Phone', nickname: 'Maya Thompson', firstName: 'Maya', lastName: 'Thompson' },
  { id: 'jonas.weber@mail.example', idType: 'Email', nickname: 'Jonas Weber', firstName: 'Jonas' },
  { id: 'cust-7f3a2c', idType: 'Opaque', nickname: 'Priyanka R.' },
  { id: '+447700900318', idType: 'Phone', nickname: 'Oliver Bennett', firstName: 'Oliver' },
  { id: 'lucia.fernandez@mail.example', idType: 'Email', nickname: 'Lucía Fernández' },
  { id: 'cust-19be04', idType: 'Opaque', nickname: 'Kenji' },
];

export const OPENERS: readonly string[] = [
  'Hi, my order #48213 still shows as processing after five days. Can you check?',
  'Hello! I was charged twice for my subscription this month.',
  'Hi there, I can’t sign in to my account since this morning.',
  'Good afternoon, how do I change the delivery address on an open order?',
  'Hey, the tracking link in my confirmation email doesn’t work.',
  'Hi, I’d like to return a jacket I bought last week. What do I need to do?',
  'Hello, is the blue version of the Trailrunner backpack coming back in stock?',
];

export const FOLLOW_UPS: readonly string[] = [
  'Thanks! Any idea how long that will take?',
  'Okay, I just checked and it’s still the same.',
  'The order number is 48213, if that helps.',
  'Great, that worked. Thank you so much!',
  'Sorry, one more question: can I also change the delivery date?',
  'I’ve attached a screenshot of the error.',
];

export const ATTACHMENT = {
  mediaType: 'Image' as const,
  url: 'https://media.northwind-demo.example/uploads/screenshot-error.png',
  mime: 'image/png',
  filename: 'screenshot-error.png',
};
