import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'

/**
 * A file as a byte stream, which `importByteStream` reads into one buffer it reuses (with
 * `reuseReadBuffer`). A Node read stream gives a new Buffer per chunk, memory outside V8's heap
 * that V8 answers with a full collection every 64 MB or so: with a million spans those took over
 * half the import's time.
 */
export function fileByteStream(path: string, chunkBytes = 1 << 20): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined
  const close = async () => {
    const opened = handle
    handle = undefined
    await opened?.close()
  }
  return new ReadableStream({
    type: 'bytes',
    // A reader that brings no buffer of its own gets one of this size.
    autoAllocateChunkSize: chunkBytes,
    async start() {
      handle = await open(path, 'r')
    },
    async pull(controller) {
      const request = controller.byobRequest
      const view = request?.view
      if (!request || !view || !handle) return
      try {
        const { bytesRead } = await handle.read(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), 0, view.byteLength, null)
        if (bytesRead > 0) {
          request.respond(bytesRead)
          return
        }
        await close()
        controller.close()
        request.respond(0)
      } catch (error) {
        await close()
        throw error
      }
    },
    cancel: close,
  })
}
