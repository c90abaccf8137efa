// Validates startSimulator options and fills in the defaults.
import { isValidControlToken, newControlToken } from './http/guard.ts';
import type { ResolvedOptions, SimulatorOptions } from './types.ts';
import { resolveVariants } from './variants.ts';

function integer(name: string, value: number | undefined, def: number, min: number, max: number): number {
  if (value === undefined) return def;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `startSimulator: '${name}' must be an integer between ${min} and ${max} (got ${String(value)}).`,
    );
  }
  return value;
}

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const seed = options.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`startSimulator: 'seed' must be a finite number (got ${String(seed)}).`);
  }
  const historyPageLimit = integer('historyPageLimit', options.historyPageLimit, 100, 1, 10_000);
  const rate = options.rateLimitPerMinute;
  if (options.allowedClientIds !== undefined && !Array.isArray(options.allowedClientIds)) {
    throw new RangeError("startSimulator: 'allowedClientIds' must be an array of client ids.");
  }
  if (options.controlToken !== undefined && !isValidControlToken(options.controlToken)) {
    throw new RangeError(
      "startSimulator: 'controlToken' must be 16 to 200 characters of A-Z a-z 0-9 . _ ~ -.",
    );
  }
  return {
    port: integer('port', options.port, 0, 0, 65_535),
    seed: Math.trunc(seed) >>> 0,
    tokenLifetimeSeconds: integer('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 86_400, 1, 172_800),
    rateLimitPerMinute: rate === null ? null : integer('rateLimitPerMinute', rate, 300, 1, 1_000_000),
    heartbeatIntervalMs: integer('heartbeatIntervalMs', options.heartbeatIntervalMs, 30_000, 10, 86_400_000),
    channelLifetimeMs: integer(
      'channelLifetimeMs',
      options.channelLifetimeMs,
      86_400_000,
      10,
      7 * 86_400_000,
    ),
    socketClosingGraceMs: integer('socketClosingGraceMs', options.socketClosingGraceMs, 60_000, 0, 3_600_000),
    allowedClientIds: options.allowedClientIds ? [...options.allowedClientIds] : null,
    historyPageLimit,
    historyDefaultLimit: Math.min(25, historyPageLimit),
    rosterPageSize: integer('rosterPageSize', options.rosterPageSize, 100, 1, 10_000),
    issueRefreshTokens: options.issueRefreshTokens ?? false,
    variants: resolveVariants(options.variants),
    quiet: options.quiet ?? false,
    controlToken: options.controlToken ?? newControlToken(),
  };
}
