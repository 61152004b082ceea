import type { ImporterSet } from './import-input.ts'

/**
 * Every importer, in detection order. Order matters where shapes overlap: wrappers that
 * contain OTLP (Tempo `batches`/`trace`, Jaeger api_v3 `result`) come before bare OTLP, and
 * Jaeger (keys `traceID`/`spanID`) before Zipkin (keys `traceId`/`id`).
 */
export const defaultImporters: ImporterSet = {
  json: [
    // JSON importers
  ],
  binary: [
    // binary importers
  ],
}
