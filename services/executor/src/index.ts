/** Public entry of the executor service (re-exports only). */
export {};
