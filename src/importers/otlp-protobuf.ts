import { fromBinary } from '@bufbuild/protobuf'
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire'
import type { ImportResult } from '../model/span-record.ts'
import { ImportError } from './import-error.ts'
import type { BinaryTraceImporter } from './importer.ts'
import { importResourceSpans } from './otlp.ts'
import { TracesDataSchema } from './proto/generated/opentelemetry/proto/trace/v1/trace_pb.ts'
import type { TracesData } from './proto/generated/opentelemetry/proto/trace/v1/trace_pb.ts'
import { partialTraceWarning } from './tempo.ts'

/**
 * Binary OTLP traces (formats.md §5.2): `.pb` files, OTLP/HTTP request bodies and Tempo answers
 * to `Accept: application/protobuf`. Three messages share the same first field:
 *
 * - `TracesData` and `ExportTraceServiceRequest`: field 1 = repeated ResourceSpans;
 * - Tempo v1 `tempopb.Trace`: field 1 = repeated ResourceSpans (wire-compatible);
 * - Tempo v2 `tempopb.TraceByIDResponse`: field 1 = Trace, 2 = metrics, 3 = status enum
 *   (1 = PARTIAL), 4 = message.
 *
 * Decoding uses code generated from the official opentelemetry-proto files (src/importers/proto/);
 * the decoded messages go through the same `importResourceSpans` as OTLP/JSON.
 */

const TAG_FIELD_1_LENGTH_DELIMITED = 0x0a
/** First bytes a ResourceSpans (or a Tempo Trace) can start with: field 1, 2 or 3, length-delimited. */
const RESOURCE_SPANS_FIRST_TAGS = new Set([0x0a, 0x12, 0x1a])
const TEMPO_PARTIAL = 1

/** Reads a varint at `at`; undefined when it runs past the end or beyond 32 bits. */
function readVarint32(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0
  for (let i = 0; i < 5; i++) {
    const byte = bytes[at + i]
    if (byte === undefined) return undefined
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 }
  }
  return undefined
}

/**
 * Cheap sniffing: field 1 (length-delimited) whose length fits the input and whose payload starts
 * like a ResourceSpans. Text that merely begins with a newline (also 0x0a) fails the length test.
 */
export function looksLikeOtlpProtobuf(bytes: Uint8Array): boolean {
  if (bytes[0] !== TAG_FIELD_1_LENGTH_DELIMITED) return false
  const length = readVarint32(bytes, 1)
  if (!length || length.next + length.value > bytes.length) return false
  return length.value === 0 || RESOURCE_SPANS_FIRST_TAGS.has(bytes[length.next] as number)
}

interface TopLevel {
  /** Payloads of field 1, in order (several are merged, as protobuf merges a repeated singular field). */
  readonly field1: Uint8Array[]
  /** Field 2 (metrics), 3 (status) or 4 (message) seen: a Tempo v2 TraceByIDResponse. */
  readonly isTempoResponse: boolean
  readonly tempoStatus: number
  readonly tempoMessage: string
}

function scanTopLevel(bytes: Uint8Array): TopLevel {
  const reader = new BinaryReader(bytes)
  const field1: Uint8Array[] = []
  let isTempoResponse = false
  let tempoStatus = 0
  let tempoMessage = ''
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag()
    if (fieldNo === 1 && wireType === WireType.LengthDelimited) field1.push(reader.bytes())
    else if (fieldNo === 2 && wireType === WireType.LengthDelimited) {
      isTempoResponse = true
      reader.skip(wireType, fieldNo)
    } else if (fieldNo === 3 && wireType === WireType.Varint) {
      isTempoResponse = true
      tempoStatus = reader.int32()
    } else if (fieldNo === 4 && wireType === WireType.LengthDelimited) {
      isTempoResponse = true
      tempoMessage = reader.string()
    } else reader.skip(wireType, fieldNo)
  }
  return { field1, isTempoResponse, tempoStatus, tempoMessage }
}

/** True when a payload holds only field-1 length-delimited entries, as a Tempo `Trace` does. */
function holdsOnlyField1(payload: Uint8Array): boolean {
  try {
    const reader = new BinaryReader(payload)
    while (reader.pos < reader.len) {
      const [fieldNo, wireType] = reader.tag()
      if (fieldNo !== 1 || wireType !== WireType.LengthDelimited) return false
      reader.skip(wireType, fieldNo)
    }
    return true
  } catch {
    return false
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function decodeTracesData(bytes: Uint8Array): TracesData {
  return fromBinary(TracesDataSchema, bytes, { readUnknownFields: false })
}

function spanCount(data: TracesData): number {
  let count = 0
  for (const resourceSpans of data.resourceSpans) for (const scopeSpans of resourceSpans.scopeSpans) count += scopeSpans.spans.length
  return count
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function invalid(detail: string): ImportError {
  return new ImportError('invalid-protobuf', `The input looks like OTLP protobuf (TracesData) but does not decode: ${detail}.`)
}

/** The decoded traces, and Tempo's partial-trace note when the input was a v2 answer. */
function decode(bytes: Uint8Array): { data: TracesData; partialMessage?: string } {
  let top: TopLevel
  try {
    top = scanTopLevel(bytes)
  } catch (error) {
    throw invalid(errorText(error))
  }
  const asTempoResponse = () => {
    const data = decodeTracesData(concat(top.field1))
    return top.tempoStatus === TEMPO_PARTIAL ? { data, partialMessage: top.tempoMessage } : { data }
  }
  try {
    if (top.isTempoResponse) return asTempoResponse()
  } catch (error) {
    throw invalid(errorText(error))
  }
  let direct: TracesData | undefined
  let directError: unknown
  try {
    direct = decodeTracesData(bytes)
    if (spanCount(direct) > 0) return { data: direct }
  } catch (error) {
    directError = error
  }
  // A Tempo v2 answer without metrics, status or message has only field 1, holding a `Trace`
  // whose entries are all field 1 too. Read as TracesData it yields no span (or fails), so
  // only then is it tried the other way.
  if (top.field1.length > 0 && top.field1.every(holdsOnlyField1)) {
    try {
      const unwrapped = asTempoResponse()
      if (spanCount(unwrapped.data) > 0) return unwrapped
    } catch {
      // Not a Tempo answer either: report the first failure.
    }
  }
  if (direct) return { data: direct }
  throw invalid(errorText(directError))
}

export const otlpProtobufImporter: BinaryTraceImporter = {
  format: 'otlp-protobuf',
  label: 'OTLP protobuf',
  expects: 'binary TracesData or ExportTraceServiceRequest, e.g. a .pb file or a Tempo answer to Accept: application/protobuf',
  detect: looksLikeOtlpProtobuf,
  importBytes(bytes): ImportResult {
    const { data, partialMessage } = decode(bytes)
    const result = importResourceSpans(data.resourceSpans)
    if (partialMessage === undefined) return result
    return { spans: result.spans, warnings: [...result.warnings, partialTraceWarning(partialMessage)] }
  },
}
