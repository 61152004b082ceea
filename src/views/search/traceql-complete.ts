import type { TagScope, TagValue } from '../../backends/types.ts'

/**
 * What the TraceQL box offers as you type: tag names where an attribute may start, values after
 * `tag =` (or `!=`, `=~`, `>` …). Pure text functions over (text, cursor); the box asks Tempo for
 * the names and values.
 */

export type CompletionContext =
  | { readonly kind: 'tag'; readonly prefix: string; readonly from: number; readonly to: number }
  | { readonly kind: 'value'; readonly tag: string; readonly prefix: string; readonly from: number; readonly to: number; readonly isQuoted: boolean }

export interface Completion {
  /** What the list shows. */
  readonly label: string
  /** What replaces `from…to`. */
  readonly insert: string
  /** A hint beside the label: the scope or the value's type. */
  readonly detail?: string
}

const IDENT = String.raw`[A-Za-z_.:][\w.:\-/]*`
const VALUE_RE = new RegExp(String.raw`(${IDENT})\s*(?:!=|=~|!~|>=|<=|=|>|<)\s*(?:"((?:[^"\\]|\\.)*)|([\w.\-]*))$`)
const TAG_RE = new RegExp(String.raw`(?:^|[\s{(&|!])(${IDENT})?$`)

export function completionContext(text: string, cursor: number): CompletionContext | undefined {
  const before = text.slice(0, cursor)
  const value = VALUE_RE.exec(before)
  if (value) {
    const tag = value[1] as string
    const isQuoted = value[2] !== undefined
    const prefix = isQuoted ? (value[2] as string) : (value[3] ?? '')
    const from = cursor - prefix.length - (isQuoted ? 1 : 0)
    const to = isQuoted && text[cursor] === '"' ? cursor + 1 : cursor
    return { kind: 'value', tag, prefix: isQuoted ? prefix.replace(/\\(.)/g, '$1') : prefix, from, to, isQuoted }
  }
  const tag = TAG_RE.exec(before)
  if (!tag) return undefined
  const prefix = tag[1] ?? ''
  // Only inside a spanset `{ … }`, where attributes are written.
  const open = before.lastIndexOf('{')
  if (open < 0 || before.lastIndexOf('}') > open) return undefined
  let to = cursor
  while (to < text.length && /[\w.:\-/]/.test(text[to] as string)) to++
  return { kind: 'tag', prefix, from: cursor - prefix.length, to }
}

/** Scoped identifiers as TraceQL writes them: `resource.service.name`, `span.http.method`, `duration`. */
export function tagIdentifiers(scopes: readonly TagScope[]): Completion[] {
  const seen = new Set<string>()
  const out: Completion[] = []
  for (const scope of scopes) {
    for (const tag of scope.tags) {
      const identifier = scope.name === 'intrinsic' ? tag : scope.name === 'all' || scope.name === 'none' ? `.${tag}` : `${scope.name}.${tag}`
      if (seen.has(identifier)) continue
      seen.add(identifier)
      out.push({ label: identifier, insert: identifier, detail: scope.name })
    }
  }
  return out
}

/** Prefix matches first, then matches anywhere; at most `limit`. */
export function filterCompletions(candidates: readonly Completion[], prefix: string, limit = 50): Completion[] {
  const needle = prefix.toLowerCase()
  if (needle === '') return candidates.slice(0, limit)
  const starts: Completion[] = []
  const contains: Completion[] = []
  for (const candidate of candidates) {
    const label = candidate.label.toLowerCase()
    if (label === needle) continue
    if (label.startsWith(needle)) starts.push(candidate)
    else if (label.includes(needle) || (needle.startsWith('.') && label.includes(needle.slice(1)))) contains.push(candidate)
  }
  return [...starts, ...contains].slice(0, limit)
}

/** Values as TraceQL literals (strings quoted; keywords such as `error`, numbers and durations as they are), sorted. */
export function valueCompletions(values: readonly TagValue[]): Completion[] {
  const sorted = [...values].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
  return sorted.map((value) => {
    const isText = value.type === 'string' || value.type === ''
    const insert = isText ? `"${value.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : value.value
    return { label: value.value, insert, detail: value.type }
  })
}

/** The text with the completion in place and where the cursor goes. */
export function applyCompletion(text: string, context: CompletionContext, completion: Completion): { readonly text: string; readonly cursor: number } {
  const next = text.slice(0, context.from) + completion.insert + text.slice(context.to)
  return { text: next, cursor: context.from + completion.insert.length }
}
