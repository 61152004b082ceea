/** A function computed once per key object, with a look at the cache that computes nothing. */
export interface ObjectMemo<K extends object, V> {
  (key: K): V
  /** The value if it has been computed for `key`, without computing it. */
  peek(key: K): V | undefined
  /** Gives `to` the value computed for `from`, if any (for a key that stands for the same thing in a new object). */
  carry(from: K, to: K): void
}

/**
 * `compute`, run at most once per key object. The cache is a WeakMap, so a value goes with its
 * key: the views key their analyses by the `Trace` object (traces are immutable; an adjusted or
 * rebuilt trace is a new object and gets fresh values).
 */
export function memoizePerObject<K extends object, V>(compute: (key: K) => V): ObjectMemo<K, V> {
  const cache = new WeakMap<K, V>()
  const get = (key: K): V => {
    if (cache.has(key)) return cache.get(key) as V
    const value = compute(key)
    cache.set(key, value)
    return value
  }
  const carry = (from: K, to: K) => {
    if (cache.has(from) && !cache.has(to)) cache.set(to, cache.get(from) as V)
  }
  return Object.assign(get, { peek: (key: K) => cache.get(key), carry })
}
