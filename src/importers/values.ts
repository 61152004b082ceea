import { dedupeAttributes } from '../model/attributes.ts'
import type { Attribute } from '../model/span-record.ts'

/**
 * Readers for loosely typed JSON values. Producers disagree on whether int64 fields are JSON
 * strings or numbers (formats.md §1.1), and numbers beyond 2^53 arrive as `bigint` from the
 * lossless JSON reader, so every reader here accepts all three.
 */

export type JsonObject = { readonly [key: string]: unknown }

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : []
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return undefined
}

const INTEGER_RE = /^\s*-?\d+\s*$/

/** An exact integer from a number, bigint or decimal string; undefined otherwise. */
export function asBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.round(value)) : undefined
  if (typeof value === 'string' && INTEGER_RE.test(value)) return BigInt(value.trim())
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return BigInt(Math.round(Number(value)))
  }
  return undefined
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isFinite(n) ? n : undefined
  }
  return undefined
}

/** Microseconds (Jaeger, Zipkin) to absolute nanoseconds, exactly. */
export function microsToNanos(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value) * 1000n
  const us = asBigInt(value)
  if (us === undefined) return undefined
  // A fractional µs value (rare) keeps its sub-µs part.
  if (typeof value === 'number' && !Number.isInteger(value)) return BigInt(Math.round(value * 1000))
  return us * 1000n
}

/** Whether `microsToNanos` reads `value`, without building the bigint for the usual safe integer. */
export function isReadableMicros(value: unknown): boolean {
  return Number.isSafeInteger(value) || microsToNanos(value) !== undefined
}

/** Keys that must never be looked up on plain objects (prototype pollution, formats.md §8.17). */
export function ownValue(object: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined
}

/**
 * `dedupeAttributes` from the model, without its per-call Map for the common case: a span's
 * handful of attributes with no repeated key is checked pairwise (keys from `JSON.parse` are
 * mostly the same string objects, so most comparisons are pointer checks) and returned as is.
 */
export function dedupeAttributesFast(attributes: Attribute[]): { attributes: Attribute[]; repeated: number } {
  const n = attributes.length
  if (n < 2) return { attributes, repeated: 0 }
  if (n <= 32) {
    let hasRepeat = false
    outer: for (let i = 1; i < n; i++) {
      const key = (attributes[i] as Attribute).key
      for (let j = 0; j < i; j++) {
        if ((attributes[j] as Attribute).key === key) {
          hasRepeat = true
          break outer
        }
      }
    }
    if (!hasRepeat) return { attributes, repeated: 0 }
  }
  return dedupeAttributes(attributes)
}
