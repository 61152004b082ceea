import { useMemo, useSyncExternalStore } from 'react'
import type { MouseEvent } from 'react'

/**
 * The shareable part of the state lives in the query string of `/` (`?trace=…&url=…`), so links
 * work on any static server without a single-page-app fallback for deep paths.
 */

const listeners = new Set<() => void>()

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}

const readSearch = () => window.location.search

export function useUrlParams(): URLSearchParams {
  const search = useSyncExternalStore(subscribe, readSearch, () => '')
  return useMemo(() => new URLSearchParams(search), [search])
}

/** `?a=1&b=2` from the given params, skipping undefined ones; the bare path when none remain. */
export function buildHref(params: Readonly<Record<string, string | undefined>>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value)
  const query = search.toString()
  return query ? `?${query}` : window.location.pathname
}

export function traceHref(traceId: string, url?: string): string {
  return buildHref({ trace: traceId, url })
}

/** Sets (or with undefined, removes) one parameter of the current URL in place, without a history entry. */
export function replaceParam(key: string, value: string | undefined): void {
  replaceParams({ [key]: value })
}

/** Sets (or with undefined, removes) several parameters of the current URL in place, without a history entry. */
export function replaceParams(values: Readonly<Record<string, string | undefined>>): void {
  const params = Object.fromEntries(new URLSearchParams(window.location.search))
  navigate(buildHref({ ...params, ...values }), { replace: true })
}

export function navigate(href: string, options: { readonly replace?: boolean } = {}): void {
  const target = new URL(href, window.location.href)
  if (target.href === window.location.href) return
  if (options.replace) window.history.replaceState(null, '', target)
  else window.history.pushState(null, '', target)
  for (const listener of listeners) listener()
}

/** For `<a href onClick>`: a plain left click navigates in place; modified clicks keep the browser's behaviour. */
export function followLink(event: MouseEvent<HTMLAnchorElement>, href: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  navigate(href)
  window.scrollTo(0, 0)
}
