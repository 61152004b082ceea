import type { ImporterSet } from './import-input.ts'
import { jaegerImporter } from './jaeger.ts'
import { jaegerApiV3Importer } from './jaeger-api-v3.ts'
import { otlpJsonImporter } from './otlp.ts'
import { otlpProtobufImporter } from './otlp-protobuf.ts'
import { tempoImporter } from './tempo.ts'
import { zipkinV1Importer, zipkinV2Importer } from './zipkin.ts'

/**
 * Every importer, in detection order. Order matters where shapes overlap: wrappers that
 * contain OTLP (Tempo `batches`/`trace`, Jaeger api_v3 `result`) come before bare OTLP, and
 * Jaeger (keys `traceID`/`spanID`) before Zipkin (keys `traceId`/`id`).
 */
export const defaultImporters: ImporterSet = {
  json: [
    // JSON importers
    tempoImporter,
    jaegerApiV3Importer,
    otlpJsonImporter,
    jaegerImporter,
    // Exclusive of each other: v2 rejects documents that look like v1.
    zipkinV2Importer,
    zipkinV1Importer,
  ],
  binary: [
    // binary importers
    otlpProtobufImporter,
  ],
}
