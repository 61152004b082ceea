import { Fragment, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import type { Attribute, AttrValue } from '../../model/span-record.ts'
import { splitByMatch } from './filter-attributes.ts'
import { describeValueType, isLongText, truncateText, viewValue } from './format-value.ts'

/** Rows rendered before "show all": a fuzzed span can carry thousands of attributes. */
const MAX_ROWS = 200

const LINK_CLASS = 'text-indigo-700 underline decoration-indigo-300 underline-offset-2 hover:text-indigo-500 dark:text-indigo-300 dark:decoration-indigo-700'

/** Key/value rows. All span data is rendered as React text nodes; links only for http(s) URLs. */
export function AttributeList({
  attributes,
  query = '',
  testId,
}: {
  readonly attributes: readonly Attribute[]
  readonly query?: string
  readonly testId?: string
}) {
  const [isShowingAll, setShowingAll] = useState(false)
  const rows = isShowingAll ? attributes : attributes.slice(0, MAX_ROWS)
  return (
    <div data-testid={testId}>
      <dl className="grid grid-cols-[minmax(6rem,38%)_minmax(0,1fr)] font-mono text-[11px]">
        {rows.map((attribute, i) => (
          <AttributeRow key={i} attribute={attribute} query={query} />
        ))}
      </dl>
      {rows.length < attributes.length && (
        <button type="button" className={`mt-1 text-[11px] ${LINK_CLASS}`} onClick={() => setShowingAll(true)}>
          Show all {attributes.length} attributes
        </button>
      )}
    </div>
  )
}

function AttributeRow({ attribute, query }: { readonly attribute: Attribute; readonly query: string }) {
  return (
    <div data-testid="attribute-row" className="col-span-2 grid grid-cols-subgrid border-t border-zinc-100 py-0.5 first:border-t-0 dark:border-zinc-800">
      <dt className="pr-2 text-zinc-500 wrap-anywhere dark:text-zinc-400" title={attribute.key}>
        <Highlighted text={attribute.key} query={query} isKey />
      </dt>
      <dd className="min-w-0 text-zinc-900 dark:text-zinc-100">
        <AttributeValue value={attribute.value} query={query} />
      </dd>
    </div>
  )
}

export function AttributeValue({ value, query = '' }: { readonly value: AttrValue; readonly query?: string }) {
  const view = useMemo(() => viewValue(value), [value])
  const [isExpanded, setExpanded] = useState(false)
  const type = describeValueType(value)
  const isLong = isLongText(view.text)
  const shown = isLong && !isExpanded ? truncateText(view.text) : view.text
  const typeLabel = type === 'string' ? (view.kind === 'json' ? 'json' : undefined) : type
  return (
    <div className="min-w-0">
      {view.kind === 'url' ? (
        <a href={view.href} target="_blank" rel="noopener noreferrer" className={`wrap-anywhere ${LINK_CLASS}`}>
          <Highlighted text={shown} query={query} />
        </a>
      ) : view.kind === 'json' ? (
        <pre data-testid="attribute-json" className="overflow-x-auto rounded bg-zinc-50 px-1.5 py-1 whitespace-pre-wrap wrap-anywhere dark:bg-zinc-800/60">
          <Highlighted text={shown} query={query} />
        </pre>
      ) : (
        <span className="whitespace-pre-wrap wrap-anywhere">
          {view.text === '' ? (
            <span className="text-zinc-400 italic dark:text-zinc-500">{type === 'empty' ? '(empty value)' : '(empty string)'}</span>
          ) : (
            <Highlighted text={shown} query={query} />
          )}
        </span>
      )}
      {(typeLabel !== undefined || isLong) && (
        <span className="ml-1.5 inline-flex gap-1.5 align-baseline font-sans text-[10px] text-zinc-400 dark:text-zinc-500">
          {typeLabel !== undefined && type !== 'empty' && <span>{typeLabel}</span>}
          {isLong && (
            <button type="button" data-testid="expand-value" className={LINK_CLASS} onClick={() => setExpanded(!isExpanded)} aria-expanded={isExpanded}>
              {isExpanded ? 'Show less' : `Show all (${view.text.length.toLocaleString('en-US')} chars)`}
            </button>
          )}
        </span>
      )}
    </div>
  )
}

/**
 * Text with the query's occurrences marked, as text nodes. `isKey` lets dotted keys
 * (`gen_ai.usage.output_tokens`) wrap after their separators rather than mid-word.
 */
export function Highlighted({ text, query, isKey = false }: { readonly text: string; readonly query: string; readonly isKey?: boolean }) {
  const parts = splitByMatch(text, query)
  const render = (part: string) => (isKey ? withBreaks(part) : part)
  if (parts.length === 1) return <>{render(text)}</>
  return (
    <>
      {parts.map((part, i) =>
        part.isMatch ? (
          <mark key={i} className="rounded-sm bg-yellow-200 text-inherit dark:bg-yellow-700/60">
            {render(part.text)}
          </mark>
        ) : (
          <span key={i}>{render(part.text)}</span>
        ),
      )}
    </>
  )
}

/** `<wbr>` after each `.`, `_`, `/` and `-` of a short key; long texts as they are. */
function withBreaks(text: string): ReactNode {
  if (text.length > 200 || !/[._/-]/.test(text)) return text
  const pieces = text.split(/(?<=[._/-])/)
  return pieces.map((piece, i) => (
    <Fragment key={i}>
      {piece}
      {i < pieces.length - 1 && <wbr />}
    </Fragment>
  ))
}
