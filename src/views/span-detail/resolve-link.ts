import type { SpanLink } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'
import { getSpanIndexById } from '../trace/trace-analyses.ts'

/**
 * Where a span link leads, among the traces loaded in this tab:
 * - a span of the open trace (select it in place);
 * - a span of another loaded trace (navigate to it: `?trace=…&span=…`);
 * - a trace that is loaded but does not hold the span (partial trace): the trace, with a message;
 * - a trace that is not loaded: a message only — the app never guesses where to fetch it.
 */
export type LinkTarget =
  | { readonly kind: 'this-trace'; readonly index: number }
  | { readonly kind: 'other-trace'; readonly trace: Trace; readonly index: number; readonly href: string }
  | { readonly kind: 'span-not-loaded'; readonly trace: Trace; readonly href: string }
  | { readonly kind: 'trace-not-loaded' }

/**
 * An in-app link to a span: always a relative `?trace=…&span=…` query, never another origin or
 * scheme, whatever the ids hold (URLSearchParams escapes them). `url` is the input the trace came
 * from, so that the link also works after a reload.
 */
export function buildSpanHref(traceId: string, spanId: string | undefined, url?: string): string {
  const params = new URLSearchParams()
  params.set('trace', traceId)
  if (spanId !== undefined && spanId !== '') params.set('span', spanId)
  if (url !== undefined && url !== '') params.set('url', url)
  return `?${params.toString()}`
}

/** The current page URL with `span=<spanId>` set, for "copy link to this span". */
export function buildSpanDeepLink(currentHref: string, spanId: string): string {
  const url = new URL(currentHref)
  url.searchParams.set('span', spanId)
  return url.toString()
}

export function resolveLink(
  link: SpanLink,
  current: Trace,
  traces: ReadonlyMap<string, Trace>,
  urlOfTrace: (traceId: string) => string | undefined = () => undefined,
): LinkTarget {
  const traceId = link.traceId.toLowerCase()
  if (traceId === current.traceId) {
    const index = getSpanIndexById(current).get(link.spanId)
    if (index !== undefined) return { kind: 'this-trace', index }
  }
  const target = traceId === current.traceId ? current : traces.get(traceId)
  if (!target) return { kind: 'trace-not-loaded' }
  const index = getSpanIndexById(target).get(link.spanId)
  const url = urlOfTrace(target.traceId)
  if (index === undefined) return { kind: 'span-not-loaded', trace: target, href: buildSpanHref(target.traceId, undefined, url) }
  return { kind: 'other-trace', trace: target, index, href: buildSpanHref(target.traceId, link.spanId, url) }
}
