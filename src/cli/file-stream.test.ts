import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importBytes } from '../importers/import-input.ts'
import { defaultImporters } from '../importers/registry.ts'
import { importByteStream } from '../importers/stream-import.ts'
import { fileByteStream } from './file-stream.ts'

const fixture = fileURLToPath(new URL('../../fixtures/jaeger/getTrace-response.json', import.meta.url))

describe('fileByteStream', () => {
  it('gives the file whole, into a reader’s own buffer or in chunks it allocates', async () => {
    const bytes = new Uint8Array(readFileSync(fixture))
    // BYOB, into one buffer that is reused: each chunk is copied before the next read.
    const byob = fileByteStream(fixture).getReader({ mode: 'byob' })
    const viaByob: number[] = []
    let buffer = new ArrayBuffer(1000)
    for (;;) {
      const { done, value } = await byob.read(new Uint8Array(buffer))
      if (value) {
        viaByob.push(...value)
        buffer = value.buffer as ArrayBuffer
      }
      if (done) break
    }
    expect(new Uint8Array(viaByob)).toEqual(bytes)
    const plain = fileByteStream(fixture, 4096).getReader()
    const chunks: Uint8Array[] = []
    for (let read = await plain.read(); !read.done; read = await plain.read()) chunks.push(read.value)
    expect(chunks.length).toBeGreaterThan(1)
    expect(new Uint8Array(chunks.flatMap((chunk) => [...chunk]))).toEqual(bytes)
  })

  it('imports as the file’s bytes do, read into one buffer as the CLI reads it', async () => {
    const bytes = new Uint8Array(readFileSync(fixture))
    expect(await importByteStream(fileByteStream(fixture), defaultImporters, { reuseReadBuffer: true })).toStrictEqual(
      await importBytes(bytes, defaultImporters),
    )
  })

  it('fails to read a file that is not there', async () => {
    await expect(fileByteStream('/nonexistent/spanglass.json').getReader().read()).rejects.toThrow(/ENOENT/)
  })
})
