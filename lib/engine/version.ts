/**
 * Version of the backtest engine. Cached results carry it, and an entry computed by another
 * version is stale. Bump it whenever any result could change (trading model, metrics, window,
 * detail); the golden tests in `__tests__/engine/golden/` fail until you do.
 */
export const ENGINE_VERSION = '1.0.0';
