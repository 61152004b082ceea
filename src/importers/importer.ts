import type { FormatId, ImportResult } from '../model/span-record.ts'

/**
 * One format. `detect` is cheap and looks only at the shape of a parsed JSON document;
 * `importDocument` is pure, never logs, and throws nothing but `ImportError`.
 */
export interface TraceImporter {
  readonly format: FormatId
  /** For messages: "Jaeger JSON". */
  readonly label: string
  /** What the importer looks for, for the "no importer accepts this file" message. */
  readonly expects: string
  detect(document: unknown): boolean
  importDocument(document: unknown): ImportResult
}

/** A format read from bytes rather than JSON (OTLP protobuf). */
export interface BinaryTraceImporter {
  readonly format: FormatId
  readonly label: string
  readonly expects: string
  detect(bytes: Uint8Array): boolean
  importBytes(bytes: Uint8Array): ImportResult
}
