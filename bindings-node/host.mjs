// ESM entry point of `testrelay/host`: the same kit as host.js (CommonJS).
import kit from './host.js'
export default kit
export const { ReporterSession, Host, collectSources, writeFiles } = kit
