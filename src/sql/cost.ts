// What a query cost, estimated from the bytes it scanned: the organization pays per byte, so every query and
// the run as a whole report bytes and an estimate. Prices are configurable (regions and contracts differ);
// the defaults are the published on-demand prices. AWS bills in binary units: a TB here is 2^40 bytes.
import { TrailproofError } from '../errors.js';
import type { QueryStats } from './query-types.js';

export const KB = 1024;
export const MB = KB * 1024;
export const GB = MB * 1024;
export const TB = GB * 1024;

export interface Pricing {
  /** Price of one TB scanned, in `currency`. */
  pricePerTb: number;
  /** Bytes billed for any query however little it scanned. */
  minimumBytes: number;
  /** Scanned bytes are rounded up to a multiple of this. */
  roundTo: number;
  currency: string;
}

export const PRICING = {
  /** Athena on-demand (SQL): USD 5 per TB, rounded up to the megabyte, at least 10 MB a query. */
  athena: { pricePerTb: 5, minimumBytes: 10 * MB, roundTo: MB, currency: 'USD' },
  /** CloudTrail Lake queries: USD 0.005 per GB scanned. */
  lake: { pricePerTb: 0.005 * 1024, minimumBytes: 0, roundTo: 1, currency: 'USD' },
} as const satisfies Record<string, Pricing>;

export type PricedEngine = keyof typeof PRICING;

/** The bytes a query is billed for. */
export function billedBytes(bytesScanned: number, pricing: Pricing): number {
  const rounded = Math.ceil(Math.max(0, bytesScanned) / pricing.roundTo) * pricing.roundTo;
  return Math.max(pricing.minimumBytes, rounded);
}

/** The estimated price of one query. */
export function queryCost(bytesScanned: number, pricing: Pricing): number {
  return (billedBytes(bytesScanned, pricing) / TB) * pricing.pricePerTb;
}

export interface CostSummary {
  queries: number;
  bytesScanned: number;
  billedBytes: number;
  cost: number;
  currency: string;
}

/** Bytes and estimated price of a set of queries (each billed on its own, minimum included). */
export function costOf(stats: readonly QueryStats[], pricing: Pricing): CostSummary {
  let bytesScanned = 0;
  let billed = 0;
  for (const s of stats) {
    bytesScanned += s.bytesScanned;
    billed += billedBytes(s.bytesScanned, pricing);
  }
  return { queries: stats.length, bytesScanned, billedBytes: billed, cost: (billed / TB) * pricing.pricePerTb, currency: pricing.currency };
}

/** An engine's pricing with the price per TB a user gave (e.g. --price-per-tb). */
export function pricingFor(engine: PricedEngine, pricePerTb?: number): Pricing {
  const base: Pricing = PRICING[engine];
  return pricePerTb === undefined ? base : { ...base, pricePerTb };
}

/** A price per TB as given on the command line or in the config: a finite number, zero or more. */
export function parsePricePerTb(text: string, flag = '--price-per-tb'): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new TrailproofError('TP_USAGE', `${flag} ${JSON.stringify(text)}: give the price of one TB scanned as a number, e.g. ${flag} 5`);
  }
  return value;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 0 B, 512 B, 1.5 KB, 12.3 GB (binary units, one decimal at most). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : Number(value.toFixed(1))} ${UNITS[unit] ?? 'B'}`;
}

/** $12.35, $0.05, and a price under a cent to its first two significant digits ($0.000048). */
export function formatMoney(amount: number, currency = 'USD'): string {
  let digits = 2;
  if (amount > 0 && amount < 0.01) digits = Math.min(12, Math.ceil(-Math.log10(amount)) + 1);
  const text = amount.toFixed(digits);
  return currency === 'USD' ? `$${text}` : `${text} ${currency}`;
}
