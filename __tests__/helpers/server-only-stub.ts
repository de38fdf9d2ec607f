// Stands in for the `server-only` package under vitest, where no RSC bundler is present.
export {};
