// The formats the report command writes: exactly the renderer registry (src/output/index.ts), named for the
// report code that imports it.
export { FORMATS as REPORT_FORMATS, isFormat as isReportFormat, renderers as reportRenderers, type Format as ReportFormat } from '../output/index.js';
