/** Runs `next build` when the build is missing or older than the sources; exits on failure. */
export function ensureBuild(): void;
