/**
 * Id normalisation shared by all importers (formats.md §1.2): lower-case hex, trace ids padded
 * to 32 chars and span ids to 16, base64 decoded, all-zero parent ids meaning "no parent".
 * Ids that are neither hex nor base64 (test data such as "trace-123") are kept as written.
 */

const HEX_RE = /^[0-9a-fA-F]+$/
// Padded base64 of exactly 8 or 16 bytes, as protojson/jsonpb write ids. Requiring the padding
// keeps test ids such as "span-a-root" (11 chars of the URL-safe alphabet) from being decoded.
const BASE64_ID_RE = /^(?:[A-Za-z0-9+/_-]{11}=|[A-Za-z0-9+/_-]{22}==)$/
const ZERO_RE = /^0+$/
const ZERO_SPAN_ID = '0000000000000000'

/**
 * True for `length` lower-case hex digits: an id in model form, as nearly all ids of real files
 * are. Read a character at a time, which in Chromium took 0.6–0.8 times as long as a regular
 * expression's test (run for every id of every span: 24 ms of the import worker's profile of
 * 100k Jaeger spans went to those tests).
 */
export function isLowerHex(text: string, length: number): boolean {
  if (text.length !== length) return false
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c > 0x66 || (c < 0x61 && (c > 0x39 || c < 0x30))) return false
  }
  return true
}

/** True for a span id that normalises to itself: 16 lower-case hex digits. */
export function isCanonicalSpanId(id: string): boolean {
  return isLowerHex(id, 16)
}

/** True for a trace id that normalises to itself: 32 lower-case hex digits. */
export function isCanonicalTraceId(id: string): boolean {
  return isLowerHex(id, 32)
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] as number).toString(16).padStart(2, '0')
  return out
}

export function decodeBase64(text: string): Uint8Array | undefined {
  const normal = text.replace(/-/g, '+').replace(/_/g, '/')
  try {
    const binary = atob(normal.length % 4 === 0 ? normal : normal + '='.repeat(4 - (normal.length % 4)))
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes
  } catch {
    return undefined
  }
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number)
  return btoa(binary)
}

function normalizeId(raw: string, hexLength: number): string {
  const text = raw.trim()
  if (text === '') return ''
  if (HEX_RE.test(text)) {
    const lower = text.toLowerCase()
    return lower.length < hexLength ? lower.padStart(hexLength, '0') : lower
  }
  // Base64 of 8 or 16 bytes (Tempo, protojson): 12 or 24 chars with padding.
  if (BASE64_ID_RE.test(text)) {
    const bytes = decodeBase64(text)
    if (bytes && (bytes.length === 8 || bytes.length === 16)) {
      return bytesToHex(bytes).padStart(hexLength, '0')
    }
  }
  return text
}

/** A trace id as the model keys it: 64-bit and zero-extended 128-bit ids are the same trace. */
export function normalizeTraceId(raw: string): string {
  return isCanonicalTraceId(raw) ? raw : normalizeId(raw, 32)
}

export function normalizeSpanId(raw: string): string {
  return isCanonicalSpanId(raw) ? raw : normalizeId(raw, 16)
}

/** Absent, empty and all-zero ids mean "no parent" (formats.md §1.2 rule 4 and 5). */
export function normalizeParentId(raw: unknown): string | undefined {
  if (typeof raw === 'string' && isCanonicalSpanId(raw)) return raw === ZERO_SPAN_ID ? undefined : raw
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'bigint') return undefined
  const text = String(raw).trim()
  if (text === '') return undefined
  const id = normalizeSpanId(text)
  return ZERO_RE.test(id) ? undefined : id
}

export function isHexId(id: string): boolean {
  return HEX_RE.test(id)
}

/** Hex bytes of an id for protobuf output; undefined when the id is not hex. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (!HEX_RE.test(hex) || hex.length % 2 !== 0) return undefined
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}
