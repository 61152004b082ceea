/**
 * The generator's text entry point: spans in one of three wire formats, as a stream of string
 * chunks. Pure TypeScript (no Node APIs), so it runs in Node, a browser or a worker alike;
 * `scripts/gen.ts` is the Node wrapper that writes the chunks to a file.
 */
import { generateSpans } from './generate-spans.ts'
import type { GenerateSpansOptions } from './generate-spans.ts'
import { coalesce } from './json-text.ts'
import { writeJaeger } from './write-jaeger.ts'
import { DEFAULT_OTLP_BATCH_SPANS, writeOtlp } from './write-otlp.ts'
import { writeZipkin } from './write-zipkin.ts'

export const GEN_FORMATS = ['otlp-json', 'jaeger-json', 'zipkin-json'] as const
export type GenFormat = (typeof GEN_FORMATS)[number]

export function isGenFormat(text: string): text is GenFormat {
  return (GEN_FORMATS as readonly string[]).includes(text)
}

export interface GenerateTextOptions extends GenerateSpansOptions {
  readonly format: GenFormat
  /** OTLP only: spans per JSON line (default 1,000). */
  readonly otlpBatchSpans?: number
  /** Approximate size of each yielded chunk in characters (default 256 Ki). */
  readonly chunkChars?: number
}

export function generateTraceText(options: GenerateTextOptions): Generator<string, void, undefined> {
  const spans = generateSpans(options)
  const pieces =
    options.format === 'otlp-json'
      ? writeOtlp(spans, options.otlpBatchSpans ?? DEFAULT_OTLP_BATCH_SPANS)
      : options.format === 'jaeger-json'
        ? writeJaeger(spans)
        : writeZipkin(spans)
  return coalesce(pieces, options.chunkChars ?? 256 * 1024)
}
