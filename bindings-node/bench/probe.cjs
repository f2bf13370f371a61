// Measures the Playwright runner process (where reporters run): listed first and last around
// the reporter under test, it records CPU time, wall time and memory at construction, onBegin
// and onEnd, and writes them to $BENCH_PROBE_OUT.
const fs = require('node:fs')

const marks = (globalThis.__benchProbe ??= { events: [] })
const mark = (name) => marks.events.push({ name, cpu: process.cpuUsage(), t: performance.now(), rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS })

class Probe {
  constructor(options) {
    this.role = options.role
    mark(`${this.role}.constructor`)
  }
  printsToStdio() {
    return false
  }
  onBegin() {
    mark(`${this.role}.onBegin`)
  }
  onEnd() {
    mark(`${this.role}.onEnd`)
    if (this.role === 'last') fs.writeFileSync(process.env.BENCH_PROBE_OUT, JSON.stringify(marks.events))
  }
}
module.exports = Probe
