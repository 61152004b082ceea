import { useId, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import type { SkewAdjustment } from '../../model/analyses/clock-skew.ts'
import { findAttribute } from '../../model/attributes.ts'
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, StatusCode } from '../../model/span-record.ts'
import type { Attribute, SpanEvent, SpanLink, SpanRecord } from '../../model/span-record.ts'
import { spanIdAt, spanName, spanService, spanStartNs } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { findTraceUrl, useTracesStore } from '../../state/traces-store.ts'
import { followLink, useUrlParams } from '../../state/url-params.ts'
import { formatCount, formatDurationNs, formatIsoTimestampNs, formatTimestampNs } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { INPUT_CLASS, SECTION_TITLE_CLASS } from '../../ui/styles.ts'
import { AttributeList, Highlighted } from './attribute-list.tsx'
import { Breadcrumb } from './breadcrumb.tsx'
import { CopyButton } from './copy-button.tsx'
import { filterAttributes } from './filter-attributes.ts'
import { valueToText } from './format-value.ts'
import { buildSpanDeepLink, resolveLink } from './resolve-link.ts'
import type { LinkTarget } from './resolve-link.ts'
import { collectSpanWarnings } from './span-warnings.ts'
import { getSelfTimes } from '../trace/trace-analyses.ts'

export interface SpanDetailPanelProps {
  /** The trace as the view shows it: the raw one, or `withAdjustedTimes(raw, skew)` when clock skew is adjusted. */
  readonly trace: Trace
  readonly index: number
  /** Given when the view shows adjusted times: the panel shows this span's shift. */
  readonly skew?: SkewAdjustment
  onSelect(index: number): void
  onClose(): void
}

/** Events and links rendered before "show all" (Jaeger spans with thousands of logs exist). */
const MAX_LIST_ITEMS = 100

const LINK_CLASS = 'text-indigo-700 underline decoration-indigo-300 underline-offset-2 hover:text-indigo-500 dark:text-indigo-300 dark:decoration-indigo-700'

/**
 * Everything about one span: identity (with copy and deep-link buttons), timing (offset,
 * absolute start, duration, self time, clock-skew shift), status, the path from the root, its
 * warnings, span / resource / scope attributes apart under one filter, events relative to the
 * span start, and links that lead to their target span when it is loaded.
 */
export function SpanDetailPanel({ trace, index, skew, onSelect, onClose }: SpanDetailPanelProps) {
  const span = trace.spans[index]
  if (!span) return index < trace.spanCount ? <SpanDetailLoading trace={trace} index={index} onClose={onClose} /> : null
  return (
    <aside
      data-testid="span-detail"
      data-span-id={span.spanId}
      aria-label="Span details"
      className="flex h-full min-h-0 w-full min-w-0 flex-col bg-white text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <SpanDetailHeader trace={trace} index={index} onClose={onClose} />
      <div className="border-b border-zinc-200 px-2 py-1 dark:border-zinc-800">
        <Breadcrumb trace={trace} index={index} onSelect={onSelect} />
      </div>
      {/* Keyed by span: filters, expanded values and "show all" start fresh for each span. */}
      <SpanBody key={`${index}:${span.spanId}`} trace={trace} index={index} span={span} skew={skew} onSelect={onSelect} />
    </aside>
  )
}

/** What the panel's parts below the header receive: the span, where it is, and the skew shift. */
interface SpanPartProps {
  readonly trace: Trace
  readonly index: number
  readonly span: SpanRecord
  readonly skew: SkewAdjustment | undefined
  onSelect(index: number): void
}

function SpanBody({ trace, index, span, skew, onSelect }: SpanPartProps) {
  const [query, setQuery] = useState('')
  const filterId = useId()
  const shiftNs = skew?.shiftNs[index] ?? 0
  const warnings = useMemo(() => collectSpanWarnings(trace, index), [trace, index])
  const spanAttributes = filterAttributes(span.attributes, query)
  const resourceAttributes = filterAttributes(span.resource, query)
  const scopeAttributes = filterAttributes(span.scope?.attributes ?? [], query)
  const attributeTotal = span.attributes.length + span.resource.length + (span.scope?.attributes?.length ?? 0)
  const matchTotal = spanAttributes.length + resourceAttributes.length + scopeAttributes.length
  return (
    <div className="min-h-0 flex-1 overflow-auto px-3 py-2 text-xs">
      <Facts trace={trace} index={index} span={span} skew={skew} onSelect={onSelect} />
      {warnings.length > 0 && (
        <Section title={`Warnings (${warnings.length})`} testId="span-warnings">
          <ul className="ml-4 list-disc space-y-0.5 text-amber-800 dark:text-amber-300">
            {warnings.map((warning, i) => (
              <li key={i} className="break-words">
                {warning.text}
                {warning.kind === 'child-outside-parent' && shiftNs !== 0 ? ' (in the raw times)' : ''}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {attributeTotal > 0 && (
        <div className="sticky top-0 z-10 -mx-3 mt-3 border-y border-zinc-200 bg-white/95 px-3 py-1.5 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95">
          <label htmlFor={filterId} className="sr-only">
            Filter attributes
          </label>
          <div className="flex items-center gap-2">
            <input
              id={filterId}
              data-testid="attribute-filter"
              type="search"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              onKeyDown={(event) => {
                // Esc clears the filter first; the page's own Esc (close, clear search) comes next time.
                if (event.key === 'Escape' && query !== '') {
                  event.stopPropagation()
                  setQuery('')
                }
              }}
              placeholder="Filter attributes (key, value or key=value)"
              className={INPUT_CLASS}
              spellCheck={false}
              autoComplete="off"
            />
            {query.trim() !== '' && (
              <span data-testid="attribute-filter-count" className="shrink-0 text-[11px] text-zinc-500 tabular-nums dark:text-zinc-400">
                {matchTotal} of {attributeTotal}
              </span>
            )}
          </div>
        </div>
      )}
      <AttributeSection title="Span attributes" testId="span-attributes" all={span.attributes} shown={spanAttributes} query={query} />
      <AttributeSection title="Resource attributes" testId="resource-attributes" all={span.resource} shown={resourceAttributes} query={query} />
      <ScopeSection span={span} shown={scopeAttributes} query={query} />
      <EventSection trace={trace} index={index} span={span} shiftNs={shiftNs} />
      <LinkSection trace={trace} span={span} onSelect={onSelect} />
    </div>
  )
}

function Facts({ trace, index, span, skew, onSelect }: SpanPartProps) {
  const parent = trace.parentIndex[index] as number
  const startOffsetNs = trace.startOffsetNs[index] as number
  const durationNs = trace.durationsNs[index] as number
  const selfNs = getSelfTimes(trace)[index] as number
  const descendantCount = (trace.subtreeEnd[index] as number) - index - 1
  const childCount = countChildren(trace, index)
  const startNs = spanStartNs(trace, index)
  const shiftNs = skew?.shiftNs[index] ?? 0
  const host = skew ? skew.hosts[skew.hostOf[index] as number] : undefined
  // The deep link is built when copied: the URL changes (search, zoom) while the panel is open.
  const getDeepLink = () => buildSpanDeepLink(window.location.href, span.spanId)
  return (
    <dl className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-x-2 gap-y-1">
      <Field label="Span ID">
        <span className="flex flex-wrap items-center gap-1.5">
          <span data-testid="span-detail-id" className="font-mono text-[11px] break-all select-all">
            {span.spanId}
          </span>
          <CopyButton text={span.spanId} label="Copy" title="Copy the span id" testId="copy-span-id" />
          <CopyButton text={getDeepLink} label="Copy link" title="Copy a link that opens this trace with this span selected" testId="copy-span-link" />
        </span>
      </Field>
      {span.originalSpanId !== undefined && span.originalSpanId !== span.spanId && (
        <Field label="Written as">
          <span className="font-mono text-[11px] break-all">{span.originalSpanId}</span>
        </Field>
      )}
      <Field label="Parent">
        {parent >= 0 ? (
          <button type="button" data-testid="parent-link" className={`text-left wrap-anywhere ${LINK_CLASS}`} onClick={() => onSelect(parent)}>
            {spanName(trace, parent) || '(no name)'} <span className="font-mono text-[11px]">{spanIdAt(trace, parent)}</span>
          </button>
        ) : span.parentSpanId !== undefined ? (
          <span className="break-all">
            <span className="font-mono text-[11px]">{span.parentSpanId}</span> <span className="text-amber-700 dark:text-amber-300">(not in the trace)</span>
          </span>
        ) : (
          <span className="text-zinc-500 dark:text-zinc-400">none (root)</span>
        )}
      </Field>
      <Field label="Service">
        <span className="inline-flex items-center gap-1.5 wrap-anywhere">
          <span className="size-2 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(spanService(trace, index)) }} aria-hidden="true" />
          {spanService(trace, index) || 'unknown service'}
        </span>
      </Field>
      <Field label="Kind">{SPAN_KIND_NAMES[span.kind] ?? 'unspecified'}</Field>
      <Field label="Status">
        <span data-testid="span-status" className={span.statusCode === StatusCode.Error ? 'font-semibold text-red-600 dark:text-red-400' : undefined}>
          {STATUS_CODE_NAMES[span.statusCode] ?? 'unset'}
        </span>
        {span.statusMessage ? <span className="break-words whitespace-pre-wrap">: {span.statusMessage}</span> : null}
      </Field>
      <Field label="Start">
        <span data-testid="span-start" className="tabular-nums">
          +{formatDurationNs(startOffsetNs)}
        </span>{' '}
        <span className="text-zinc-500 tabular-nums dark:text-zinc-400" title={formatIsoTimestampNs(startNs)}>
          ({formatTimestampNs(startNs)})
        </span>
      </Field>
      <Field label="Duration">
        <span data-testid="span-duration" className="tabular-nums">
          {formatDurationNs(durationNs)}
        </span>
      </Field>
      <Field label="Self time">
        <span data-testid="self-time" className="tabular-nums" title="Duration minus the time covered by its direct children (overlaps counted once)">
          {formatDurationNs(selfNs)}
          {durationNs > 0 && <span className="text-zinc-500 dark:text-zinc-400"> ({formatPercent(selfNs / durationNs)})</span>}
        </span>
      </Field>
      {shiftNs !== 0 && (
        <Field label="Clock skew">
          <span data-testid="skew-shift" className="text-sky-700 tabular-nums dark:text-sky-300">
            shifted {shiftNs > 0 ? '+' : '−'}
            {formatDurationNs(Math.abs(shiftNs))}
            {host !== undefined && host !== '' ? ` with host ${host}` : ''}
          </span>
          <span className="block text-[11px] text-zinc-500 dark:text-zinc-400">unadjusted start +{formatDurationNs(startOffsetNs - shiftNs)}</span>
        </Field>
      )}
      <Field label="Children">
        {formatCount(childCount)}
        {descendantCount > childCount && <span className="text-zinc-500 dark:text-zinc-400"> ({formatCount(descendantCount)} descendants)</span>}
      </Field>
      <Field label="Depth">{formatCount(trace.depth[index] as number)}</Field>
      {span.traceState ? (
        <Field label="Trace state">
          <span className="font-mono text-[11px] break-all">{span.traceState}</span>
        </Field>
      ) : null}
    </dl>
  )
}

function countChildren(trace: Trace, index: number): number {
  let count = 0
  const end = trace.subtreeEnd[index] as number
  for (let c = index + 1; c < end; c = trace.subtreeEnd[c] as number) count++
  return count
}

function formatPercent(fraction: number): string {
  const percent = fraction * 100
  return `${percent >= 10 || percent === 0 ? Math.round(percent) : percent.toFixed(1)}%`
}

function Field({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  )
}

function Section({ title, testId, children }: { readonly title: ReactNode; readonly testId?: string; readonly children: ReactNode }) {
  return (
    <section data-testid={testId} className="mt-3">
      <h3 className={`${SECTION_TITLE_CLASS} mb-1`}>{title}</h3>
      {children}
    </section>
  )
}

function countLabel(title: string, shown: number, all: number): string {
  return shown === all ? `${title} (${all})` : `${title} (${shown} of ${all})`
}

function AttributeSection({
  title,
  testId,
  all,
  shown,
  query,
}: {
  readonly title: string
  readonly testId: string
  readonly all: readonly Attribute[]
  readonly shown: readonly Attribute[]
  readonly query: string
}) {
  return (
    <Section title={countLabel(title, shown.length, all.length)} testId={testId}>
      {all.length === 0 ? (
        <Empty>None</Empty>
      ) : shown.length === 0 ? (
        <Empty>No attribute matches the filter</Empty>
      ) : (
        <AttributeList attributes={shown} query={query} />
      )}
    </Section>
  )
}

function ScopeSection({ span, shown, query }: { readonly span: SpanRecord; readonly shown: readonly Attribute[]; readonly query: string }) {
  const scope = span.scope
  const all = scope?.attributes ?? []
  return (
    <Section title={all.length > 0 ? countLabel('Instrumentation scope', shown.length, all.length) : 'Instrumentation scope'} testId="scope-attributes">
      {!scope || (scope.name === '' && !scope.version && all.length === 0) ? (
        <Empty>None</Empty>
      ) : (
        <>
          <dl className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-x-2 gap-y-0.5">
            <Field label="Name">
              <span data-testid="scope-name" className="font-mono text-[11px] wrap-anywhere">
                <Highlighted text={scope.name || '(no name)'} query={query} />
              </span>
            </Field>
            {scope.version ? (
              <Field label="Version">
                <span className="font-mono text-[11px] break-all">{scope.version}</span>
              </Field>
            ) : null}
          </dl>
          {all.length > 0 && (
            <div className="mt-1">
              {shown.length === 0 ? <Empty>No attribute matches the filter</Empty> : <AttributeList attributes={shown} query={query} />}
            </div>
          )}
        </>
      )}
    </Section>
  )
}

function Empty({ children }: { readonly children: ReactNode }) {
  return <p className="text-zinc-500 italic dark:text-zinc-400">{children}</p>
}

/** Formats §8 item 23: Jaeger logs converted to OTLP have an empty name and an `event` attribute. */
function eventLabel(event: SpanEvent): string {
  if (event.name) return event.name
  const fromAttribute = findAttribute(event.attributes, 'event')
  return fromAttribute !== undefined && fromAttribute !== null ? valueToText(fromAttribute) || '(unnamed event)' : '(unnamed event)'
}

function EventSection({ trace, index, span, shiftNs }: { readonly trace: Trace; readonly index: number; readonly span: SpanRecord; readonly shiftNs: number }) {
  const [isShowingAll, setShowingAll] = useState(false)
  if (span.events.length === 0) {
    return (
      <Section title="Events (0)" testId="span-events">
        <Empty>None</Empty>
      </Section>
    )
  }
  // Events carry raw times, like the span record; a span without a start time sits where the
  // trace placed it (minus any skew shift, which moves the span and its events together).
  const rawStartNs = span.startTimeNs ?? spanStartNs(trace, index) - BigInt(Math.round(shiftNs))
  const events = isShowingAll ? span.events : span.events.slice(0, MAX_LIST_ITEMS)
  return (
    <Section title={`Events (${span.events.length})`} testId="span-events">
      <ol className="space-y-2">
        {events.map((event, i) => {
          const offsetNs = Number(event.timeNs - rawStartNs)
          const absoluteNs = event.timeNs + BigInt(Math.round(shiftNs))
          return (
            <li key={i} data-testid="span-event">
              <div className="flex items-baseline gap-2">
                <span className="shrink-0 text-zinc-500 tabular-nums dark:text-zinc-400" title={formatIsoTimestampNs(absoluteNs)}>
                  {offsetNs < 0 ? '−' : '+'}
                  {formatDurationNs(Math.abs(offsetNs))}
                </span>
                <span className="font-medium wrap-anywhere">{eventLabel(event)}</span>
              </div>
              {event.attributes.length > 0 && (
                <div className="mt-0.5 border-l-2 border-zinc-200 pl-2 dark:border-zinc-700">
                  <AttributeList attributes={event.attributes} />
                </div>
              )}
            </li>
          )
        })}
      </ol>
      {events.length < span.events.length && (
        <button type="button" className={`mt-1 text-[11px] ${LINK_CLASS}`} onClick={() => setShowingAll(true)}>
          Show all {formatCount(span.events.length)} events
        </button>
      )}
    </Section>
  )
}

function LinkSection({ trace, span, onSelect }: { readonly trace: Trace; readonly span: SpanRecord; onSelect(index: number): void }) {
  const traces = useTracesStore((state) => state.traces)
  const inputs = useTracesStore((state) => state.inputs)
  const currentUrl = useUrlParams().get('url') ?? undefined
  const [isShowingAll, setShowingAll] = useState(false)
  if (span.links.length === 0) {
    return (
      <Section title="Links (0)" testId="span-links">
        <Empty>None</Empty>
      </Section>
    )
  }
  // The input a trace came from, so the link survives a reload; else the current one (same file).
  const urlOfTrace = (traceId: string) => findTraceUrl(inputs, traceId) ?? currentUrl
  const links = isShowingAll ? span.links : span.links.slice(0, MAX_LIST_ITEMS)
  return (
    <Section title={`Links (${span.links.length})`} testId="span-links">
      <ul className="space-y-2">
        {links.map((link, i) => (
          <LinkItem key={i} link={link} target={resolveLink(link, trace, traces, urlOfTrace)} currentTrace={trace} onSelect={onSelect} />
        ))}
      </ul>
      {links.length < span.links.length && (
        <button type="button" className={`mt-1 text-[11px] ${LINK_CLASS}`} onClick={() => setShowingAll(true)}>
          Show all {formatCount(span.links.length)} links
        </button>
      )}
    </Section>
  )
}

const LINK_KIND_LABEL: Record<SpanLink['kind'], string> = { link: 'link', follows_from: 'follows from', child_of: 'child of' }

function LinkItem({
  link,
  target,
  currentTrace,
  onSelect,
}: {
  readonly link: SpanLink
  readonly target: LinkTarget
  readonly currentTrace: Trace
  onSelect(index: number): void
}) {
  const ids = (
    <span className="font-mono text-[11px] break-all text-zinc-500 dark:text-zinc-400">
      {link.traceId === currentTrace.traceId ? 'this trace' : link.traceId} / {link.spanId}
    </span>
  )
  let body: ReactNode
  if (target.kind === 'this-trace') {
    body = (
      <button
        type="button"
        data-testid="link-target"
        data-target="this-trace"
        className={`text-left wrap-anywhere ${LINK_CLASS}`}
        onClick={() => onSelect(target.index)}
      >
        <TargetName trace={currentTrace} index={target.index} />
      </button>
    )
  } else if (target.kind === 'other-trace') {
    body = (
      <a
        data-testid="link-target"
        data-target="other-trace"
        href={target.href}
        onClick={(event) => followLink(event, target.href)}
        className={`wrap-anywhere ${LINK_CLASS}`}
      >
        <TargetName trace={target.trace} index={target.index} /> <span className="text-zinc-500 dark:text-zinc-400">in another trace</span>
      </a>
    )
  } else if (target.kind === 'span-not-loaded') {
    body = (
      <p data-testid="link-missing" className="text-amber-800 dark:text-amber-300">
        Span {link.spanId} is not in {target.trace === currentTrace ? 'this trace' : 'the loaded trace'} (the trace may be partial).
        {target.trace !== currentTrace && (
          <>
            {' '}
            <a href={target.href} onClick={(event) => followLink(event, target.href)} className={LINK_CLASS}>
              Open that trace
            </a>
          </>
        )}
      </p>
    )
  } else {
    body = (
      <p data-testid="link-missing" className="text-amber-800 dark:text-amber-300">
        Trace {link.traceId} is not loaded. Load the file or backend result that holds it to follow this link.
      </p>
    )
  }
  return (
    <li data-testid="span-link" className="rounded border border-zinc-200 px-2 py-1 dark:border-zinc-800">
      <div className="flex flex-wrap items-baseline gap-x-2">
        <span className="shrink-0 rounded bg-zinc-100 px-1 text-[10px] text-zinc-600 uppercase dark:bg-zinc-800 dark:text-zinc-300">
          {LINK_KIND_LABEL[link.kind]}
        </span>
        {body}
      </div>
      <div>{ids}</div>
      {link.traceState ? <div className="font-mono text-[11px] break-all text-zinc-500 dark:text-zinc-400">tracestate {link.traceState}</div> : null}
      {link.attributes.length > 0 && (
        <div className="mt-0.5">
          <AttributeList attributes={link.attributes} />
        </div>
      )}
    </li>
  )
}

function TargetName({ trace, index }: { readonly trace: Trace; readonly index: number }) {
  const service = spanService(trace, index)
  return (
    <span className="inline-flex items-center gap-1">
      <span className="size-2 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(service) }} aria-hidden="true" />
      <span>
        {service}: {spanName(trace, index) || '(no name)'}
      </span>
    </span>
  )
}

/** Service and name of the span, with the close button. */
function SpanDetailHeader({ trace, index, onClose }: { readonly trace: Trace; readonly index: number; readonly onClose: () => void }) {
  const service = spanService(trace, index)
  return (
    <header className="flex items-start gap-2 border-b border-zinc-200 px-3 pt-2 pb-1.5 dark:border-zinc-800">
      <span className="mt-1 size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(service) }} aria-hidden="true" />
      <div className="min-w-0 flex-1">
        <div className="truncate text-xs text-zinc-500 dark:text-zinc-400" title={service}>
          {service || 'unknown service'}
        </div>
        <h2 className="text-sm font-semibold break-words">{spanName(trace, index) || '(no name)'}</h2>
      </div>
      <button
        type="button"
        data-testid="span-detail-close"
        onClick={onClose}
        aria-label="Close span details"
        title="Close (Esc)"
        className="flex size-6 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white"
      >
        ×
      </button>
    </header>
  )
}

/** The span's name while its details (sent after the trace is painted) are on their way. */
function SpanDetailLoading({ trace, index, onClose }: { readonly trace: Trace; readonly index: number; readonly onClose: () => void }) {
  return (
    <aside
      data-testid="span-detail"
      data-span-id={spanIdAt(trace, index)}
      aria-label="Span details"
      aria-busy="true"
      className="flex h-full min-h-0 w-full min-w-0 flex-col bg-white text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <SpanDetailHeader trace={trace} index={index} onClose={onClose} />
      <p data-testid="span-detail-loading" className="px-3 py-2 text-xs text-zinc-500 dark:text-zinc-400">
        Loading span details (attributes, events, links)…
      </p>
    </aside>
  )
}
