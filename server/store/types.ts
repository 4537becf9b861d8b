/**
 * The records the store ports carry live in `server/domain/records.ts`; this module re-exports
 * them for code written against the old `store/types` path. The ports are in `./ports/`.
 */
export type * from '../domain/records';
