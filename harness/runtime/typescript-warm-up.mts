// Compiled once per process before the first TypeScript handler is timed: tsx starts its compiler for it, outside Init Duration.
export {};
