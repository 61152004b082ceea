/** Small helpers shared by the three writers. Every string goes through `JSON.stringify`, which escapes it correctly. */
import type { GenAttribute, GenTime } from './gen-span.ts'

export const quote = (text: string): string => JSON.stringify(text)

/** Nanoseconds since the epoch as a decimal string (OTLP `*UnixNano`), without ever leaving safe integers. */
export function formatUnixNano(time: GenTime): string {
  return `${time.us}${String(time.subNs).padStart(3, '0')}`
}

/** An attribute value as text, for formats whose tags are strings (Zipkin) or untyped (Jaeger arrays). */
export function attributeText(attribute: GenAttribute): string {
  switch (attribute.type) {
    case 'string':
      return attribute.value
    case 'strings':
      return JSON.stringify(attribute.value)
    default:
      return String(attribute.value)
  }
}

/**
 * Joins small pieces into chunks of roughly `chunkChars` characters, so that consumers (a file
 * stream, a test) see few large strings instead of millions of tiny ones.
 */
export function* coalesce(pieces: Iterable<string>, chunkChars: number): Generator<string, void, undefined> {
  let parts: string[] = []
  let size = 0
  for (const piece of pieces) {
    parts.push(piece)
    size += piece.length
    if (size >= chunkChars) {
      yield parts.join('')
      parts = []
      size = 0
    }
  }
  if (size > 0) yield parts.join('')
}
