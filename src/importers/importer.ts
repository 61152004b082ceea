import type { FormatId, ImportResult } from '../model/span-record.ts'
import type { JsonEventReader } from './stream-json.ts'

/**
 * Reads one document from its container events (see `stream-json.ts`), for documents too large
 * to parse whole. Fed the events of a whole document, it returns what `importDocument` returns.
 */
export interface StreamImportReader extends JsonEventReader {
  result(): ImportResult
}

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
  /**
   * For formats whose files grow past what one string or one object tree can hold: a reader of
   * the document's container events. `sample` is the document as far as it has been read (its
   * first containers and spans), for importers that handle only some shapes in a stream;
   * undefined means this document cannot be streamed.
   */
  createStreamReader?(sample: unknown): StreamImportReader | undefined
  /**
   * For a format read in pieces (`import-pieces.ts`): a cheaper text for a piece (items of the
   * spans array, or a line of JSON lines), parsed instead of the piece for the import. It must
   * parse exactly when the piece parses, to the same spans as far as the import reads them; a
   * span's details are read from the piece itself, and a span the import reads whole at once is
   * asked of `originalSpan`.
   */
  skimPiece?(text: string): string
  /**
   * For a skimmed piece that is a whole document (a line of JSON lines): false when skimming may
   * have taken something the import reads outside the spans. The piece is then parsed as it is.
   */
  isSoundSkim?(document: unknown): boolean
}

/** A format read from bytes rather than JSON (OTLP protobuf). */
export interface BinaryTraceImporter {
  readonly format: FormatId
  readonly label: string
  readonly expects: string
  detect(bytes: Uint8Array): boolean
  importBytes(bytes: Uint8Array): ImportResult
}
