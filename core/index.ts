/** Public API of the shared core (used by `server/` and `nodes/`). */
export * from './types';
export * from './version';

export * from './events/catalog';
export * from './events/match';
export * from './events/validate';
export * from './events/envelope';

export * from './signing';

export * from './http/headers';
export * from './secrets/mask';
export * from './outbound/buildRequest';

export * from './templates';
export * from './mapping/jsonata';
export * from './mapping/regexSafety';
export * from './vendors';
