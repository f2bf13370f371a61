'use strict'
// Resident memory that loading the native binding adds to a Node process, per mapping (from
// /proc/self/smaps, Linux): the binding's own pages, and the pages of the node binary that the
// symbol lookups of the load touch. One part of the Playwright reporter's "memory added".
//
//   node bench/load-rss.cjs [path of a .node file; default: this package's index.js]
const fs = require('node:fs')
const path = require('node:path')

function residentByMapping() {
  const out = new Map()
  let mapping = null
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (head) mapping = `${head[1]} ${head[2] || '[anon]'}`
    else if (mapping && line.startsWith('Rss:')) out.set(mapping, (out.get(mapping) ?? 0) + Number(line.split(/\s+/)[1]))
  }
  return out
}

const before = residentByMapping()
require(process.argv[2] ? path.resolve(process.argv[2]) : path.join(__dirname, '..', 'index.js'))
const after = residentByMapping()
let total = 0
for (const [mapping, kb] of after) {
  const added = kb - (before.get(mapping) ?? 0)
  total += added
  if (Math.abs(added) >= 16) console.log(`${String(added).padStart(6)} kB  ${mapping}`)
}
console.log(`${String(total).padStart(6)} kB  resident memory added by loading the binding`)
