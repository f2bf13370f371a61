'use strict'
// The host loop of a testrelay session (docs/api.md): feed facts in, drain actions out, perform
// them — requests with Node's fetch exactly as the action gives them (keep-alive, aborted at
// its `timeout_ms`, redirects never followed: the 3xx goes back to the session with its
// location, which follows it only within the API's origin, so the token never travels
// elsewhere), files with node:fs, log lines to the console — and feed back what happened.
// Decisions stay in the core.

const fs = require('node:fs')
const path = require('node:path')

const { TOKEN_PLACEHOLDER } = require('../index.js')

class Host {
  /**
   * @param {import('../index').Session} session
   * @param {{ print?: (level: string, message: string) => void, fetch?: typeof fetch }} [options]
   */
  constructor(session, options = {}) {
    this.session = session
    this.print = options.print ?? printLine
    this.fetch = options.fetch ?? globalThis.fetch
    this.timer = null
    this.receipt = null
    this.pending = new Set()
    this.lastLine = null
    // Set by `stop` after a bug: requests are answered as failed from then on, never sent.
    this.stopped = false
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve))
  }

  /** Feeds one event, then drains. */
  handle(event) {
    this.session.handle(Date.now(), event)
    this.drain()
  }

  /** Feeds finished tests in one crossing, then drains. */
  addResults(results) {
    this.session.addResults(Date.now(), results)
    this.drain()
  }

  /**
   * Polls until `wait` or `finished`, performing every action. Six cases, whatever the endpoint
   * or the target (docs/api.md): a new request needs no change here.
   */
  drain() {
    for (;;) {
      const action = this.session.poll(Date.now())
      switch (action.action) {
        case 'wait':
          this.schedule(action.until)
          return
        case 'finished':
          this.finish(action.receipt)
          return
        case 'log':
          this.print(action.level, action.message)
          this.lastLine = action.message
          break
        case 'write_files':
          this.session.handle(Date.now(), writeFiles(action))
          break
        case 'http':
        case 'multipart':
          if (this.stopped) this.session.handle(Date.now(), stoppedAnswer(action.request_id))
          else if (action.action === 'multipart') this.uploadAttachment(action)
          else this.send(action)
          break
        default:
          // A core newer than this host: a bug to stop on, never an action to skip.
          throw new Error(`testrelay: unknown action ${action.action}`)
      }
    }
  }

  /** Sends one request; its answer (or its failure) is fed back when it arrives. */
  send(request) {
    this.track(request.request_id, this.request(request, {
      method: request.method,
      headers: this.headers(request.headers),
      body: request.body === '' ? undefined : request.body,
    }))
  }

  /** Uploads one file as multipart (part `action.field`); the host reads the file, not the core. */
  uploadAttachment(action) {
    const read = action.file_path !== null
      ? fs.promises.readFile(action.file_path)
      : Promise.resolve(Buffer.from(action.content ?? '', 'base64'))
    const work = read.then(
      (bytes) => {
        const form = new FormData()
        form.append(action.field, new Blob([bytes], { type: action.content_type ?? 'application/octet-stream' }), action.name)
        return this.request(action, { method: action.method, headers: this.headers(action.headers), body: form })
      },
      (error) => ({ event: 'attachment_unreadable', request_id: action.request_id, message: error?.code ?? String(error?.message ?? error) }),
    )
    this.track(action.request_id, work)
  }

  /** The action's headers, with the token put in for its placeholder. */
  headers(pairs) {
    const token = this.session.token() ?? ''
    const headers = {}
    for (const [name, value] of pairs) headers[name] = value.replaceAll(TOKEN_PLACEHOLDER, token)
    return headers
  }

  /** One fetch of an HTTP action; resolves to the event that answers it. */
  request(action, init) {
    const signal = AbortSignal.timeout(action.timeout_ms)
    return this.fetch(action.url, { ...init, redirect: 'manual', signal })
      .then(async (response) => ({
        event: 'http_response',
        request_id: action.request_id,
        status: response.status,
        body: await response.text(),
        retry_after: response.headers.get('retry-after'),
        location: response.headers.get('location'),
      }))
      .catch((error) => ({
        event: 'http_failed',
        request_id: action.request_id,
        message: error?.cause?.code ?? error?.name ?? String(error),
      }))
  }

  /** Feeds the event a request's promise resolves to; the end waits for pending ones. */
  track(requestId, promise) {
    const work = promise
      .then((event) => {
        this.pending.delete(work)
        if (this.safely(`handle the answer to request ${requestId}`, () => this.handle(event))) return
        // The answer may not have reached the session: answered as failed, so the session does
        // not wait for it forever (refused if it had been answered before the bug).
        try {
          this.handle(stoppedAnswer(requestId))
        } catch {}
      })
    this.pending.add(work)
  }

  /**
   * Runs `fn` where no caller can take an exception (a timer, a request's answer): a bug there
   * stops the reporting (`stop`) instead of escaping into the test runner. True if `fn` returned.
   */
  safely(what, fn) {
    try {
      fn()
      return true
    } catch (error) {
      this.stop(what, error)
      return false
    }
  }

  /**
   * After a bug (an exception out of the session — a native panic is one, as an `Error` — or out
   * of this loop): said loudly. From then on every request is answered as failed without being
   * sent, so the session's own rules put what it holds in the fallback report, leave the run
   * open and finish. If it cannot get there (a second bug), `finished` resolves with no receipt
   * rather than never, and says so.
   */
  stop(what, error) {
    const code = error?.code ? ` [${error.code}]` : ''
    this.print('error', `ERROR: reporting stopped: could not ${what}${code}: ${error?.message ?? error}`)
    if (this.stopped) {
      this.print('error', 'ERROR: the session could not finish: results it held may be undelivered and unsaved')
      this.finish(null)
      return
    }
    this.stopped = true
    this.print('error', 'the results not delivered yet are saved locally instead (the fallback report)')
    this.safely('save the results held', () => this.drain())
  }

  /** Polls again at `until` (ms); `null` waits for the next event. */
  schedule(until) {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (until === null || until === undefined) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.safely('poll the session', () => this.drain())
    }, Math.max(0, until - Date.now()))
  }

  finish(receipt) {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.receipt) return
    this.receipt = receipt
    // The summary line ends every run's output, also when the session had nothing to log
    // (mode off).
    if (receipt?.summary && receipt.summary !== this.lastLine) this.print(receipt.lost > 0 || receipt.in_fallback > 0 ? 'warn' : 'info', receipt.summary)
    this.resolveFinished(receipt)
  }
}

/** The answer to a request once reporting stopped (`Host.stop`): failed, never sent. */
function stoppedAnswer(requestId) {
  return { event: 'http_failed', request_id: requestId, message: 'reporting stopped' }
}

/** Writes every file of a `write_files` action; the event to feed back. */
function writeFiles(action) {
  try {
    for (const file of action.files) {
      const target = path.join(action.dir, ...file.path.split('/'))
      // One function writes both kinds of file; the folder is made when missing only (one
      // system call per file, not two).
      const write = () => {
        if (file.source) fs.copyFileSync(file.source, target)
        else fs.writeFileSync(target, file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : file.content)
      }
      try {
        write()
      } catch (error) {
        if (error?.code !== 'ENOENT') throw error
        fs.mkdirSync(path.dirname(target), { recursive: true })
        write()
      }
    }
    return { event: 'report_written', request_id: action.request_id }
  } catch (error) {
    return { event: 'report_failed', request_id: action.request_id, message: String(error?.message ?? error) }
  }
}

function printLine(level, message) {
  const line = message.startsWith('testrelay: ') ? message : `testrelay: ${message}`
  if (level === 'warn' || level === 'error') console.error(line)
  else console.log(line)
}

module.exports = { Host, writeFiles }
