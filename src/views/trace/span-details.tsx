import type { ReactNode } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { attributeToString } from '../../model/attributes.ts'
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../../model/span-record.ts'
import type { Attribute, SpanRecord } from '../../model/span-record.ts'
import { spanName, spanService } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { selectTreeState, useSpanTreeStore } from '../../state/span-tree-store.ts'
import { replaceParam } from '../../state/url-params.ts'
import { formatCount, formatDurationNs } from '../../ui/format.ts'
import { pickServiceColor } from '../../ui/service-color.ts'
import { SECTION_TITLE_CLASS } from '../../ui/styles.ts'
import { countDescendants } from './span-tree-layout.ts'
import { describeSpanFlags } from './span-flags.ts'

/** The selected span's details: ids, timing, status, attributes, resource, events, links. */
export function SpanDetails({ trace }: { readonly trace: Trace }) {
  const { selected } = useSpanTreeStore(useShallow((state) => selectTreeState(state, trace)))
  const select = useSpanTreeStore((state) => state.select)
  if (selected === undefined) return null
  const span = trace.spans[selected]
  if (!span) return null
  const service = spanService(trace, selected)
  const parent = trace.parentIndex[selected] as number
  const startNs = trace.startOffsetNs[selected] as number
  const problems = describeSpanFlags(trace.flags[selected] as number)
  return (
    <aside
      data-testid="span-details"
      className="flex w-[min(380px,42%)] min-w-60 shrink-0 flex-col overflow-hidden border-l border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
      aria-label="Span details"
    >
      <div className="flex items-start gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <span className="mt-1 size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: pickServiceColor(service) }} aria-hidden="true" />
        <div className="min-w-0 flex-1">
          <div className="truncate text-xs text-zinc-500 dark:text-zinc-400">{service}</div>
          <h2 className="text-sm font-semibold break-words">{spanName(trace, selected)}</h2>
        </div>
        <button
          type="button"
          onClick={() => {
            select(trace, undefined)
            replaceParam('span', undefined)
          }}
          aria-label="Close span details"
          className="flex size-6 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white"
        >
          ×
        </button>
      </div>
      <div className="min-h-0 flex-1 overflow-auto px-3 py-2 text-xs">
        <dl className="grid grid-cols-[7rem_minmax(0,1fr)] gap-x-2 gap-y-1">
          <Field label="Span ID" isMono>
            {span.spanId}
          </Field>
          {span.originalSpanId !== undefined && (
            <Field label="Written as" isMono>
              {span.originalSpanId}
            </Field>
          )}
          <Field label="Parent ID" isMono>
            {span.parentSpanId ?? '—'}
          </Field>
          <Field label="Start">+{formatDurationNs(startNs)}</Field>
          <Field label="Duration">{formatDurationNs(trace.durationsNs[selected] as number)}</Field>
          <Field label="Kind">{SPAN_KIND_NAMES[span.kind]}</Field>
          <Field label="Status">
            <span className={span.statusCode === 2 ? 'font-semibold text-red-600 dark:text-red-400' : undefined}>{STATUS_CODE_NAMES[span.statusCode]}</span>
            {span.statusMessage ? `: ${span.statusMessage}` : ''}
          </Field>
          <Field label="Depth">{formatCount(trace.depth[selected] as number)}</Field>
          <Field label="Descendants">{formatCount(countDescendants(trace, selected))}</Field>
          {parent < 0 && <Field label="Root">yes</Field>}
          {span.scope && (
            <Field label="Scope" isMono>
              {span.scope.name}
              {span.scope.version ? ` ${span.scope.version}` : ''}
            </Field>
          )}
        </dl>
        {(problems.length > 0 || (span.warnings?.length ?? 0) > 0) && (
          <Section title="Warnings">
            <ul className="ml-4 list-disc space-y-0.5 text-amber-800 dark:text-amber-300">
              {problems.map((text) => (
                <li key={text}>{text}</li>
              ))}
              {span.warnings?.map((text, i) => (
                <li key={`source-${i}`}>{text}</li>
              ))}
            </ul>
          </Section>
        )}
        <AttributeSection title="Attributes" attributes={span.attributes} />
        <AttributeSection title="Resource" attributes={span.resource} />
        <EventSection span={span} trace={trace} />
        {span.links.length > 0 && (
          <Section title={`Links (${span.links.length})`}>
            <ul className="space-y-1 font-mono text-[11px]">
              {span.links.map((link, i) => (
                <li key={i} className="break-all">
                  <span className="text-zinc-500 dark:text-zinc-400">{link.kind}</span> {link.traceId} / {link.spanId}
                </li>
              ))}
            </ul>
          </Section>
        )}
      </div>
    </aside>
  )
}

function Field({ label, isMono = false, children }: { readonly label: string; readonly isMono?: boolean; readonly children: ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className={`break-all text-zinc-900 dark:text-zinc-100 ${isMono ? 'font-mono text-[11px]' : ''}`}>{children}</dd>
    </>
  )
}

function Section({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <section className="mt-3">
      <h3 className={`${SECTION_TITLE_CLASS} mb-1`}>{title}</h3>
      {children}
    </section>
  )
}

function AttributeSection({ title, attributes }: { readonly title: string; readonly attributes: readonly Attribute[] }) {
  if (attributes.length === 0) return null
  return (
    <Section title={`${title} (${attributes.length})`}>
      <AttributeTable attributes={attributes} />
    </Section>
  )
}

function AttributeTable({ attributes }: { readonly attributes: readonly Attribute[] }) {
  return (
    <table className="w-full table-fixed border-collapse font-mono text-[11px]">
      <tbody>
        {attributes.map((attribute, i) => (
          <tr key={i} className="border-t border-zinc-100 align-top dark:border-zinc-800">
            <td className="w-2/5 py-0.5 pr-2 break-all text-zinc-500 dark:text-zinc-400">{attribute.key}</td>
            <td className="py-0.5 break-all whitespace-pre-wrap text-zinc-900 dark:text-zinc-100">{attributeToString(attribute.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function EventSection({ span, trace }: { readonly span: SpanRecord; readonly trace: Trace }) {
  if (span.events.length === 0) return null
  return (
    <Section title={`Events (${span.events.length})`}>
      <ul className="space-y-2">
        {span.events.map((event, i) => (
          <li key={i}>
            <div className="flex gap-2">
              <span className="text-zinc-500 tabular-nums dark:text-zinc-400">+{formatDurationNs(Number(event.timeNs - trace.startTimeNs))}</span>
              <span className="font-medium break-all">{event.name || '(unnamed event)'}</span>
            </div>
            {event.attributes.length > 0 && (
              <div className="mt-0.5 pl-2">
                <AttributeTable attributes={event.attributes} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </Section>
  )
}
