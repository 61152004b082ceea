import type { Attribute, AttrValue } from './span-record.ts'

export function findAttribute(attributes: readonly Attribute[], key: string): AttrValue | undefined {
  for (let i = attributes.length - 1; i >= 0; i--) {
    const attribute = attributes[i] as Attribute
    if (attribute.key === key) return attribute.value
  }
  return undefined
}

/** A value as text, the way tags are written in Zipkin and shown in the UI. */
export function attributeToString(value: AttrValue): string {
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return JSON.stringify(attributeToJson(value))
}

/** A value as plain JSON (bigints as strings, bytes as base64 text) for display and export. */
export function attributeToJson(value: AttrValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString()
  }
  if (value instanceof Uint8Array) {
    let binary = ''
    for (let i = 0; i < value.length; i++) binary += String.fromCharCode(value[i] as number)
    return btoa(binary)
  }
  if (Array.isArray(value)) return (value as readonly AttrValue[]).map(attributeToJson)
  const out: Record<string, unknown> = {}
  for (const entry of (value as { kvlist: readonly Attribute[] }).kvlist) {
    Object.defineProperty(out, entry.key, { value: attributeToJson(entry.value), enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * Keeps the last value of each repeated key (formats.md §4.1) in first-seen order, and says
 * how many repeats it dropped so the importer can warn.
 */
export function dedupeAttributes(attributes: Attribute[]): { attributes: Attribute[]; repeated: number } {
  if (attributes.length < 2) return { attributes, repeated: 0 }
  const seen = new Map<string, number>()
  let repeated = 0
  const out: Attribute[] = []
  for (const attribute of attributes) {
    const at = seen.get(attribute.key)
    if (at === undefined) {
      seen.set(attribute.key, out.length)
      out.push(attribute)
    } else {
      out[at] = attribute
      repeated++
    }
  }
  return repeated === 0 ? { attributes, repeated } : { attributes: out, repeated }
}
