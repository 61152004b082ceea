import { bytesToHex, decodeBase64, normalizeTraceId } from '../importers/ids.ts'
import { BackendError } from './errors.ts'

const HEX_RE = /^[0-9a-f]{1,32}$/
const BASE64_UNPADDED_RE = /^[A-Za-z0-9+/_-]{11}$|^[A-Za-z0-9+/_-]{22}$/

/**
 * A trace id typed or pasted by a user, as the 32 lower-case hex digits every backend accepts:
 * hex with or without leading zeros (Tempo search strips them, 64-bit ids have 16 digits), an
 * optional `0x`, or base64 of 8 or 16 bytes (Tempo and protojson files), padded or not.
 */
export function parseTraceIdInput(raw: string): string {
  const text = raw.trim().replace(/^0x/i, '')
  const id = normalizeTraceId(text)
  if (HEX_RE.test(id) && id.length === 32) return id
  if (BASE64_UNPADDED_RE.test(text) && !/^[0-9a-fA-F]+$/.test(text)) {
    const bytes = decodeBase64(text)
    if (bytes && (bytes.length === 8 || bytes.length === 16)) return bytesToHex(bytes).padStart(32, '0')
  }
  throw new BackendError(
    'bad-request',
    `${JSON.stringify(raw.trim().slice(0, 80))} is not a trace id: give 1 to 32 hex digits (leading zeros may be left out) or the base64 of an 8- or 16-byte id.`,
  )
}

/** The shortest form (64-bit ids as 16 digits), for file names and messages. */
export function shortTraceId(id: string): string {
  return id.length === 32 && id.startsWith('0000000000000000') ? id.slice(16) : id
}
