import { useQuery } from '@tanstack/react-query'
import { useId, useMemo, useRef, useState } from 'react'
import type { KeyboardEvent } from 'react'
import { tagNamesQueryOptions, tagValuesQueryOptions } from '../../backends/queries.ts'
import type { TraceBackend } from '../../backends/types.ts'
import { INPUT_CLASS } from '../../ui/styles.ts'
import { errorText } from '../backends/error-text.ts'
import { applyCompletion, completionContext, filterCompletions, tagIdentifiers, valueCompletions } from './traceql-complete.ts'
import type { Completion, CompletionContext } from './traceql-complete.ts'

const MAX_SUGGESTIONS = 50

/**
 * A TraceQL box for Tempo that offers tag names where an attribute may start and the tag's
 * values after a comparison, from Tempo's tag APIs. ↑/↓ choose, Enter or Tab take, Esc closes;
 * Ctrl+Enter (or ⌘+Enter) submits the form.
 */
export function TraceQLInput({
  backend,
  value,
  onChange,
  onSubmit,
}: {
  readonly backend: TraceBackend
  readonly value: string
  readonly onChange: (value: string) => void
  readonly onSubmit: () => void
}) {
  const id = useId()
  const textareaRef = useRef<HTMLTextAreaElement>(null)
  const [cursor, setCursor] = useState(0)
  const [isOpen, setIsOpen] = useState(false)
  const [active, setActive] = useState(0)
  const context = useMemo(() => (isOpen ? completionContext(value, cursor) : undefined), [isOpen, value, cursor])

  const tagNames = useQuery({ ...tagNamesQueryOptions(backend), enabled: backend.capabilities.tagAutocomplete && context?.kind === 'tag' })
  const valueTag = context?.kind === 'value' ? context.tag : ''
  const tagValues = useQuery({ ...tagValuesQueryOptions(backend, valueTag), enabled: backend.capabilities.tagAutocomplete && valueTag !== '' })

  const suggestions = useMemo((): Completion[] => {
    if (!context) return []
    if (context.kind === 'tag') return filterCompletions(tagIdentifiers(tagNames.data ?? []), context.prefix, MAX_SUGGESTIONS)
    return filterCompletions(valueCompletions(tagValues.data ?? []), context.prefix, MAX_SUGGESTIONS)
  }, [context, tagNames.data, tagValues.data])
  const isLoading = context?.kind === 'tag' ? tagNames.isFetching : context?.kind === 'value' ? tagValues.isFetching : false
  const failureError = context?.kind === 'tag' ? tagNames.error : context?.kind === 'value' ? tagValues.error : null
  const failure = failureError ? errorText(failureError) : undefined
  const activeIndex = Math.min(active, Math.max(0, suggestions.length - 1))
  const isListShown = isOpen && context !== undefined && (suggestions.length > 0 || isLoading || failure !== undefined)

  const accept = (completion: Completion, at: CompletionContext) => {
    const next = applyCompletion(value, at, completion)
    onChange(next.text)
    setCursor(next.cursor)
    setActive(0)
    requestAnimationFrame(() => {
      const textarea = textareaRef.current
      if (!textarea) return
      textarea.focus()
      textarea.setSelectionRange(next.cursor, next.cursor)
    })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      onSubmit()
      return
    }
    if (!isListShown || suggestions.length === 0 || !context) {
      if (event.key === ' ' && event.ctrlKey) {
        event.preventDefault()
        setIsOpen(true)
      }
      return
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive((activeIndex + step + suggestions.length) % suggestions.length)
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault()
      accept(suggestions[activeIndex] as Completion, context)
    } else if (event.key === 'Escape') {
      event.preventDefault()
      setIsOpen(false)
    }
  }

  const syncCursor = () => setCursor(textareaRef.current?.selectionStart ?? value.length)

  return (
    <div className="relative">
      <textarea
        ref={textareaRef}
        data-testid="traceql-input"
        className={`${INPUT_CLASS} min-h-20 font-mono`}
        value={value}
        spellCheck={false}
        placeholder='{ resource.service.name = "shop" && status = error }'
        role="combobox"
        aria-expanded={isListShown}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={isListShown && suggestions.length > 0 ? `${id}-option-${activeIndex}` : undefined}
        onChange={(event) => {
          onChange(event.target.value)
          setCursor(event.target.selectionStart)
          setIsOpen(true)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
        onClick={() => {
          syncCursor()
          setIsOpen(true)
        }}
        onKeyUp={(event) => {
          if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') syncCursor()
        }}
        onBlur={() => setIsOpen(false)}
      />
      {isListShown && (
        <ul
          id={`${id}-list`}
          role="listbox"
          data-testid="traceql-suggestions"
          className="absolute inset-x-0 top-full z-20 mt-1 max-h-64 overflow-auto rounded-md border border-zinc-200 bg-white py-1 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          {suggestions.map((completion, index) => (
            <li
              key={`${completion.label}-${completion.detail ?? ''}`}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === activeIndex}
              data-testid="traceql-suggestion"
              // mousedown, not click: the textarea's blur would close the list first.
              onMouseDown={(event) => {
                event.preventDefault()
                if (context) accept(completion, context)
              }}
              onMouseEnter={() => setActive(index)}
              className={`flex cursor-pointer items-center gap-2 px-2 py-1 font-mono ${index === activeIndex ? 'bg-indigo-50 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100' : 'text-zinc-800 dark:text-zinc-200'}`}
            >
              <span className="min-w-0 truncate">{completion.label}</span>
              {completion.detail && <span className="ml-auto shrink-0 font-sans text-[10px] text-zinc-400">{completion.detail}</span>}
            </li>
          ))}
          {suggestions.length === 0 && isLoading && <li className="px-2 py-1 text-zinc-500">Asking Tempo…</li>}
          {suggestions.length === 0 && !isLoading && failure && (
            <li className="px-2 py-1 text-red-700 dark:text-red-300" title={failure}>
              No suggestions: {failure.slice(0, 120)}
            </li>
          )}
        </ul>
      )}
    </div>
  )
}
