import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'

export interface DroppedFile {
  readonly name: string
  readonly text: string
}

export function readFixture(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), 'utf8')
}

/** Drops files on the drop zone the way a browser does: dragover, then drop with a DataTransfer. */
export async function dropFiles(page: Page, files: readonly DroppedFile[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer()
    for (const file of list) transfer.items.add(new File([file.text], file.name, { type: 'application/json' }))
    return transfer
  }, files)
  const zone = page.getByTestId('drop-zone')
  await zone.dispatchEvent('dragenter', { dataTransfer })
  await zone.dispatchEvent('dragover', { dataTransfer })
  await zone.dispatchEvent('drop', { dataTransfer })
}

/**
 * From now on, counts the DOM changes that leave the loading placeholder of a page or view
 * (`view-loading`, shown while its code arrives) on the page; the returned function reads the count.
 */
export async function watchLoadingPlaceholders(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const counter = window as unknown as { __placeholders: number }
    counter.__placeholders = 0
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="view-loading"]')) counter.__placeholders++
    }).observe(document.body, { subtree: true, childList: true })
  })
  return () => page.evaluate(() => (window as unknown as { __placeholders: number }).__placeholders)
}

/** Waits until the page has fetched a script whose URL holds `name` (a split chunk). */
export async function waitForChunk(page: Page, name: string): Promise<void> {
  await page.waitForFunction((part) => performance.getEntriesByType('resource').some((entry) => entry.name.includes(part)), name)
}
