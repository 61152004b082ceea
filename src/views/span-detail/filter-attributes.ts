import type { Attribute } from '../../model/span-record.ts'
import { valueToText } from './format-value.ts'

/**
 * The attribute filter of the span detail panel: case-insensitive, over keys and values. A query
 * with `=` matches `key=value` pairs: the part before the first `=` in the key, the rest in the
 * value (`http.status=50` finds `http.status_code: 503`). Empty parts match anything.
 */
export function matchAttribute(attribute: Attribute, query: string): boolean {
  const needle = query.trim().toLowerCase()
  if (needle === '') return true
  const key = attribute.key.toLowerCase()
  const value = valueToText(attribute.value).toLowerCase()
  const equals = needle.indexOf('=')
  if (equals < 0) return key.includes(needle) || value.includes(needle)
  const keyPart = needle.slice(0, equals).trim()
  const valuePart = needle.slice(equals + 1).trim()
  return key.includes(keyPart) && value.includes(valuePart)
}

export function filterAttributes(attributes: readonly Attribute[], query: string): readonly Attribute[] {
  if (query.trim() === '') return attributes
  return attributes.filter((attribute) => matchAttribute(attribute, query))
}

/** The text split around case-insensitive occurrences of the needle, for highlighting as text nodes. */
export function splitByMatch(text: string, query: string): { readonly text: string; readonly isMatch: boolean }[] {
  const trimmed = query.trim()
  const needle = (trimmed.includes('=') ? '' : trimmed).toLowerCase()
  if (needle === '' || text.length > 10_000) return [{ text, isMatch: false }]
  const lower = text.toLowerCase()
  const parts: { text: string; isMatch: boolean }[] = []
  let from = 0
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), isMatch: false })
    parts.push({ text: text.slice(at, at + needle.length), isMatch: true })
    from = at + needle.length
  }
  if (from < text.length) parts.push({ text: text.slice(from), isMatch: false })
  return parts.length > 0 ? parts : [{ text, isMatch: false }]
}
