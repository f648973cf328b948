// The email that carries a report: a short summary (HTML from templates/email.hbs, and plain text) with the
// PDF attached. The summary repeats numbers from the report's view model; it decides nothing itself.
import { basename } from 'node:path';
import type { ReportView } from '../report/model.js';
import type { TemplateSet } from '../report/templates.js';

export interface ReportAttachment {
  path: string;
  bytes: Uint8Array;
  contentType: string;
}

export interface ReportMessage {
  subject: string;
  html: string;
  text: string;
  attachments: ReportAttachment[];
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function defaultSubject(view: ReportView): string {
  const s = Object.fromEntries(view.counts.statuses.map((c) => [c.status, c.count]));
  return `[trailproof] ${view.organization}, ${view.period.text}: ${view.verdict.headline} (${s.FAIL ?? 0} failing, ${view.counts.detections} risky events)`;
}

export function plainSummary(view: ReportView, attachment: { name: string; size: string }): string {
  const lines = [
    `${view.title}`,
    `${view.organization} · ${view.period.text} · run ${view.run.id}`,
    '',
    `${view.verdict.headline}: ${view.verdict.detail}`,
    '',
    ...view.counts.statuses.map((c) => `${c.label}: ${c.count}`),
    `Detections (risky events): ${view.counts.detections}`,
  ];
  // The same "what matters most" as the report's summary page, so the message and the attachment agree.
  const { briefing } = view;
  if (briefing.counts.length > 0) lines.push('', ...briefing.counts.map((c) => `- ${c}`));
  if (briefing.items.length > 0) {
    lines.push('', 'What matters most:');
    briefing.items.forEach((item, i) => lines.push(`${i + 1}. [${item.severity}] ${item.headline}`, `   ${item.detail}`, `   To do: ${item.action} Owner: ${item.owner}`));
    if (briefing.more !== null) lines.push(briefing.more);
  }
  lines.push('', `The full report is attached: ${attachment.name} (${attachment.size}).`, `Findings SHA-256: ${view.appendix.findingsSha256}`, '', `Sent by trailproof ${view.run.toolVersion}.`);
  return lines.join('\n') + '\n';
}

export function buildReportMessage(view: ReportView, templates: TemplateSet, pdf: { path: string; bytes: Uint8Array }, subject?: string): ReportMessage {
  const attachment = { name: basename(pdf.path), size: size(pdf.bytes.length) };
  return {
    subject: subject ?? defaultSubject(view),
    html: templates.render('email.hbs', { ...view, attachment }),
    text: plainSummary(view, attachment),
    attachments: [{ path: pdf.path, bytes: pdf.bytes, contentType: 'application/pdf' }],
  };
}
