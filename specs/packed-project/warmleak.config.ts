// What `npx warmleak check` checks when given no files: typed by defineConfig, from the package itself.
import { defineConfig, type WarmleakConfig } from 'warmleak';

const settings: WarmleakConfig = {
  include: ['src/*.ts'],
  exclude: ['src/legacy.ts'],
  // A key naming an export checks that export instead of `handler`, with the event it needs.
  handlers: { 'src/queue.ts#main': { event: 'sqs' } },
};

export default defineConfig(settings);
