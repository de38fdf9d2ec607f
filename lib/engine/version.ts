/**
 * Version of the backtest engine. Cached results carry it, and an entry computed by another
 * version is stale. Bump it whenever any result could change (trading model, metrics, window,
 * detail); the golden tests in `__tests__/engine/golden/` fail, and update-golden refuses to
 * rewrite them, until you do. 2.0.0: isolated wallet W (funding from W, liquidation price from W,
 * liquidation by funding at the close), funding from series.fundingRate, one-pass metrics.
 */
export const ENGINE_VERSION = '2.0.0';
