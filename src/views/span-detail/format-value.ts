import { parse as parseLossless, stringify as stringifyLossless } from 'lossless-json'
import type { Attribute, AttrValue } from '../../model/span-record.ts'

/**
 * How an attribute value is shown in the span detail panel. Pure, so the rules are unit-tested:
 *
 * - strings as they are; a string that is a whole http(s) URL may be a link (never any other
 *   scheme: `javascript:` and `data:` stay text); a string that looks like a JSON object or array
 *   and parses is pretty-printed, numbers kept digit for digit (lossless reader);
 * - int64 (`bigint`) exact, doubles as JavaScript writes them (`NaN`, `Infinity` included);
 * - bytes as base64; arrays and key/value lists as pretty JSON, bigints inside exact.
 */
export type ValueView =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'json'; readonly text: string }
  | { readonly kind: 'url'; readonly text: string; readonly href: string }

export type ValueType = 'string' | 'int' | 'double' | 'bool' | 'bytes' | 'array' | 'map' | 'empty'

/** Strings longer than this are not tried as JSON (the panel stays responsive on a 10 MB value). */
const MAX_JSON_PARSE_CHARS = 256 * 1024

export function describeValueType(value: AttrValue): ValueType {
  if (value === null) return 'empty'
  if (typeof value === 'string') return 'string'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'bigint') return 'int'
  if (typeof value === 'number') return 'double'
  if (value instanceof Uint8Array) return 'bytes'
  if (Array.isArray(value)) return 'array'
  return 'map'
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number)
  return btoa(binary)
}

/** A value as one line of plain text, for filtering, copying and tooltips. */
export function valueToText(value: AttrValue): string {
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (value instanceof Uint8Array) return bytesToBase64(value)
  return stringifyLossless(toJsonData(value)) ?? ''
}

/** The value as JSON-ready data: bigints stay bigints (the lossless writer prints their digits). */
function toJsonData(value: AttrValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (value instanceof Uint8Array) return bytesToBase64(value)
  if (Array.isArray(value)) return (value as readonly AttrValue[]).map(toJsonData)
  const out: Record<string, unknown> = {}
  // defineProperty, not assignment: a key named "__proto__" is data, not a prototype.
  for (const entry of (value as { readonly kvlist: readonly Attribute[] }).kvlist) {
    Object.defineProperty(out, entry.key, { value: toJsonData(entry.value), enumerable: true, writable: true, configurable: true })
  }
  return out
}

/** The href of a string that is exactly one http or https URL, else undefined. */
export function findSafeHttpUrl(text: string): string | undefined {
  if (text.length > 4096 || !/^https?:\/\/[^\s]+$/i.test(text)) return undefined
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

/** A JSON object or array written in a string, pretty-printed; undefined when it is not one. */
export function prettyJsonText(text: string): string | undefined {
  const trimmed = text.trim()
  if (trimmed.length < 2 || trimmed.length > MAX_JSON_PARSE_CHARS) return undefined
  const first = trimmed[0]
  const last = trimmed[trimmed.length - 1]
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return undefined
  try {
    // The lossless reader keeps 123456789012345678901 and 1.10 as written. Deep nesting throws
    // RangeError, which lands here too.
    return stringifyLossless(parseLossless(trimmed), undefined, 2)
  } catch {
    return undefined
  }
}

export function viewValue(value: AttrValue): ValueView {
  if (typeof value === 'string') {
    const href = findSafeHttpUrl(value)
    if (href !== undefined) return { kind: 'url', text: value, href }
    const json = prettyJsonText(value)
    if (json !== undefined) return { kind: 'json', text: json }
    return { kind: 'text', text: value }
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return { kind: 'json', text: stringifyLossless(toJsonData(value), undefined, 2) ?? '' }
  }
  return { kind: 'text', text: valueToText(value) }
}

/** Values longer than this, or with more lines, start collapsed. */
export const LONG_VALUE_CHARS = 320
export const LONG_VALUE_LINES = 8

export function isLongText(text: string): boolean {
  if (text.length > LONG_VALUE_CHARS) return true
  let lines = 1
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) if (++lines > LONG_VALUE_LINES) return true
  return false
}

/** The collapsed form of a long text: the first lines, cut at a character budget. */
export function truncateText(text: string): string {
  let end = Math.min(text.length, LONG_VALUE_CHARS)
  let lines = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
    if (++lines > LONG_VALUE_LINES) {
      end = i
      break
    }
  }
  return end < text.length ? `${text.slice(0, end)}…` : text
}
