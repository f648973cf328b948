// The one-page summary for the compliance officer: the verdict (the run's recorded outcome), counts worded
// the same everywhere ("12 of 106 failures are critical or high"), and the five things that matter most,
// incidents from detections included, each with what to do and who owns it. A detection on the resource of
// a failing result joins that result's item (the bucket made public and the public bucket are one story).
import { SEVERITIES, type Detection, type Findings, type Severity } from '../model/types.js';
import type { AttentionGroup } from './attention.js';
import type { Incident } from './incidents.js';
import { formatDateTime, groupBy, plural, shortActor } from './format.js';
import { detectionTarget } from './sections.js';

/** How many items the summary names. */
export const BRIEFING_ITEMS = 5;

export interface BriefingItem {
  severity: Severity;
  kind: 'incident' | 'failure';
  headline: string;
  detail: string;
  action: string;
  owner: string;
  anchor: string;
}

export interface Briefing {
  counts: string[];
  items: BriefingItem[];
  more: string | null;
}

const SERIOUS: Severity[] = ['critical', 'high'];
const rank = (s: Severity): number => SEVERITIES.indexOf(s);

/** Incident advice by what the event did; the report suggests, the organization decides. */
function incidentAction(i: Incident): string {
  if (i.result !== 'Succeeded') return `Confirm why ${i.who.replace(/ \(.*$/, '')} tried this and whether the permission that stopped it stays in place.`;
  return `Confirm with the owner of ${i.who.replace(/ \(.*$/, '')} whether this was authorised; if not, revoke access key ${i.accessKey} and assess the resources touched.`;
}

export function briefing(findings: Findings, groups: AttentionGroup[], incidents: Incident[]): Briefing {
  const s = findings.summary;
  const failing = findings.results.filter((r) => r.status === 'FAIL');
  const serious = failing.filter((r) => SERIOUS.includes(r.severity)).length;
  const seriousDetections = findings.detections.filter((d) => SERIOUS.includes(d.severity)).length;
  const counts = [
    `${serious} of ${plural(s.FAIL, 'failure')} ${serious === 1 ? 'is' : 'are'} critical or high.`,
    `${plural(s.MANUAL, 'result')} ${s.MANUAL === 1 ? 'needs' : 'need'} a person's judgement; ${plural(s.ERROR, 'result')} the evidence could not decide (never counted as passes).`,
    `${seriousDetections} of ${plural(findings.detections.length, 'risky event')} ${seriousDetections === 1 ? 'is' : 'are'} critical or high${incidents.length > 0 ? `: ${plural(incidents.length, 'incident')} told with their context` : ''}.`,
  ];
  const items: (BriefingItem & { at: string })[] = [];
  const used = new Set<Incident>();
  for (const g of groups.filter((x) => x.status === 'FAIL' && SERIOUS.includes(x.severity) && x.family.length === 0)) {
    const first = g.items[0];
    if (first === undefined) continue;
    const related = incidents.filter((i) => !used.has(i) && i.resources.some((res) => g.items.some((it) => it.resource === res || it.resource.endsWith(`:::${res.replace(/^arn:aws:s3:::/, '')}`))));
    for (const i of related) used.add(i);
    const owner = first.response?.owner || 'not assigned';
    items.push({
      severity: g.severity,
      kind: 'failure',
      at: '',
      headline: `${g.title}: not met for ${plural(g.results, 'resource')}`,
      detail: `${first.message}${related.length > 0 ? ` Event: ${related.map((i) => `${i.who} ran ${i.rows.find((r) => r.self)?.action ?? ''} on ${i.at}`).join('; ')}.` : ''}`,
      action: g.remediation?.text ?? 'See the remediation in the results chapter.',
      owner,
      anchor: g.anchor,
    });
  }
  for (const i of incidents) {
    if (used.has(i)) continue;
    const self = i.rows.find((r) => r.self);
    items.push({
      severity: i.severity,
      kind: 'incident',
      at: i.time,
      headline: `${i.titles}: ${i.who} ran ${self?.action ?? ''}${self?.target ? ` on ${self.target}` : ''}, ${i.at} (${i.result === 'Succeeded' ? 'it succeeded' : `refused: ${i.result.replace(/^Failed: /, '')}`})`,
      detail: `Access key ${i.accessKey}, ${i.session}; ${plural(i.rows.length - 1, 'related event')} in the timeline.`,
      action: incidentAction(i),
      owner: `owner of account ${i.where.split(' ')[0] ?? ''} (not assigned)`,
      anchor: i.anchor,
    });
  }
  items.push(...untoldDetections(findings.detections, incidents));
  // The same principal's repeated incidents (three root sign-in events) read as one item: the first.
  const seen = new Set<string>();
  const distinct = items.filter((it) => {
    const key = it.kind === 'incident' ? `${it.headline.split(':')[0]}` : it.anchor;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  distinct.sort((a, b) => rank(a.severity) - rank(b.severity) || (a.kind === b.kind ? 0 : a.kind === 'incident' ? -1 : 1) || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const shown = distinct.slice(0, BRIEFING_ITEMS);
  const rest = distinct.length - shown.length;
  return {
    counts,
    items: shown.map(({ at: _at, ...item }) => item),
    more: rest > 0 ? `${plural(rest, 'more critical or high item')} ${rest === 1 ? 'follows' : 'follow'} in the results and risky-events chapters.` : null,
  };
}

/**
 * Serious detections that no incident tells: the findings carry no event context for them (a findings file
 * written without it, or beyond the context's bound). They still belong on the summary page, told from the
 * detection alone; one item per rule and principal, at its first event.
 */
function untoldDetections(detections: Detection[], incidents: Incident[]): (BriefingItem & { at: string })[] {
  const told = new Set(incidents.flatMap((i) => i.rows.filter((r) => r.self).map((r) => r.eventId)));
  const untold = detections.filter((d) => SERIOUS.includes(d.severity) && !told.has(d.eventId));
  const groups = groupBy(untold, (d) => `${d.ruleId}\u0000${d.actor}`);
  return [...groups.values()].map((list) => {
    const d = [...list].sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0))[0] as Detection;
    const target = detectionTarget(d);
    const who = shortActor(d.actor);
    const failed = d.errorCode !== null && d.errorCode !== '';
    return {
      severity: d.severity,
      kind: 'incident' as const,
      at: d.eventTime,
      headline: `${d.title}: ${who} ran ${d.eventName}${target ? ` on ${target}` : ''}, ${formatDateTime(d.eventTime)} (${failed ? `refused: ${d.errorCode}` : 'it succeeded'})${list.length > 1 ? `, and ${plural(list.length - 1, 'more event')}` : ''}`,
      detail: `Rule ${d.ruleId}, from ${d.sourceIPAddress} in ${d.account} · ${d.region}; the findings hold no event context for it.`,
      action: failed
        ? `Confirm why ${who} tried this and whether the permission that stopped it stays in place.`
        : `Confirm with the owner of ${who} whether this was authorised; if not, revoke its credentials and assess the resources touched.`,
      owner: `owner of account ${d.account} (not assigned)`,
      anchor: 'sec-detections',
    };
  });
}
