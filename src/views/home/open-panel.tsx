import { useId, useRef, useState } from 'react'
import type { FormEvent } from 'react'
import { useImportActions } from '../../state/import-actions.ts'
import { buildHref, navigate } from '../../state/url-params.ts'
import { BUTTON_CLASS, CARD_CLASS, INPUT_CLASS, PRIMARY_BUTTON_CLASS, SECTION_TITLE_CLASS } from '../../ui/styles.ts'

/** The ways in: drop or pick files, paste JSON, or give a URL. */
export function OpenPanel() {
  const actions = useImportActions()
  const fileInput = useRef<HTMLInputElement>(null)
  const [pasted, setPasted] = useState('')
  const [url, setUrl] = useState('')
  const pasteId = useId()
  const urlId = useId()

  const submitPaste = (event: FormEvent) => {
    event.preventDefault()
    if (pasted.trim() === '') return
    actions.importText(pasted)
    setPasted('')
  }

  const submitUrl = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = url.trim()
    if (trimmed === '') return
    // Through the page URL, so that the link to what loads is shareable and survives a reload.
    navigate(buildHref({ url: trimmed }))
    setUrl('')
  }

  return (
    <section className={`${CARD_CLASS} p-4`} aria-labelledby="open-traces-title">
      <h2 id="open-traces-title" className={SECTION_TITLE_CLASS}>
        Open traces
      </h2>
      <div className="mt-3 flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed border-zinc-300 px-4 py-6 text-center dark:border-zinc-700">
        <svg viewBox="0 0 24 24" className="size-7 text-zinc-400 dark:text-zinc-500" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M3 16.5v2.25A2.25 2.25 0 0 0 5.25 21h13.5A2.25 2.25 0 0 0 21 18.75V16.5m-13.5-9L12 3m0 0 4.5 4.5M12 3v13.5"
          />
        </svg>
        <p className="text-sm text-zinc-700 dark:text-zinc-200">
          Drop trace files anywhere on this page, or{' '}
          <button type="button" className={PRIMARY_BUTTON_CLASS} onClick={() => fileInput.current?.click()}>
            Choose files…
          </button>
        </p>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Jaeger (JSON, API v3) · Zipkin (v1, v2) · OTLP (JSON, protobuf) · Tempo — plain or gzipped, several files at once
        </p>
        <input
          ref={fileInput}
          data-testid="file-input"
          type="file"
          multiple
          hidden
          onChange={(event) => {
            const files = Array.from(event.target.files ?? [])
            if (files.length > 0) actions.importFiles(files)
            // Picking the same file again must fire another change.
            event.target.value = ''
          }}
        />
      </div>
      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <form onSubmit={submitPaste} className="flex flex-col gap-1.5">
          <label htmlFor={pasteId} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Paste JSON
          </label>
          <textarea
            id={pasteId}
            data-testid="paste-input"
            value={pasted}
            onChange={(event) => setPasted(event.target.value)}
            rows={3}
            spellCheck={false}
            placeholder='{"resourceSpans": [ … ]}'
            className={`${INPUT_CLASS} resize-y font-mono`}
          />
          <div>
            <button type="submit" data-testid="paste-submit" disabled={pasted.trim() === ''} className={BUTTON_CLASS}>
              Load pasted JSON
            </button>
          </div>
        </form>
        <form onSubmit={submitUrl} className="flex flex-col gap-1.5">
          <label htmlFor={urlId} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Load from URL
          </label>
          <input
            id={urlId}
            data-testid="url-input"
            type="text"
            inputMode="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            spellCheck={false}
            placeholder="https://example.com/trace.json"
            className={INPUT_CLASS}
          />
          <p className="text-[11px] text-zinc-500 dark:text-zinc-400">
            The server must allow cross-origin requests (CORS). The link to this page will reload the file.
          </p>
          <div>
            <button type="submit" data-testid="url-submit" disabled={url.trim() === ''} className={BUTTON_CLASS}>
              Load URL
            </button>
          </div>
        </form>
      </div>
    </section>
  )
}
