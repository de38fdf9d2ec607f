import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The market data is read from disk at run time; nothing from it is bundled. piscina starts its
  // worker file from node_modules, so it (and bullmq) stay outside the server bundle.
  serverExternalPackages: ['ioredis', 'piscina', 'bullmq'],
  poweredByHeader: false,
  // Lets test harnesses build and serve side by side without sharing one .next folder.
  distDir: process.env.NEXT_DIST_DIR || '.next',
};

export default nextConfig;
