/** Display formats shared by the cards; dates in UTC so every viewer reads the same time. */
import {
  formatAmount,
  formatUnitPrice as unitPrice,
} from '@private-api-catalog/plugin-private-api-common';

const counts = new Intl.NumberFormat('en-US');

/**
 * Money, one rule everywhere (the estimate's own texts use the same functions): amounts to
 * the cent ($0.75, "less than $0.01"); unit prices with the digits AWS prices them with.
 */
export function formatUsd(amount: number): string {
  return formatAmount(amount);
}

/** Unit prices keep the digits AWS prices them with: $3.50, $0.0225 (an NLB hour). */
export function formatUnitPrice(amount: number): string {
  return unitPrice(amount);
}

/** 7633892 → "7,633,892"; fractions up to three decimals. */
export function formatCount(value: number): string {
  return counts.format(value);
}

/** 2024-09-12T10:15:00.000Z → "2024-09-12 10:15 UTC". */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 2024-09-12T10:15:00.000Z → "2024-09-12". */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}

/**
 * "5 minutes ago", "3 days ago", or ahead of now "in 4 minutes": how old the data is, or
 * how soon something happens, at a glance.
 */
export function formatAge(iso: string, now: Date = new Date()): string {
  const ms = new Date(iso).getTime() - now.getTime();
  const minutes = Math.round(Math.abs(ms) / 60000);
  const span = (n: number, unit: string) =>
    ms > 0
      ? `in ${n} ${unit}${n === 1 ? '' : 's'}`
      : `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (minutes < 1) return ms > 0 ? 'in less than a minute' : 'just now';
  if (minutes < 60) return span(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return span(hours, 'hour');
  return span(Math.round(hours / 24), 'day');
}

/**
 * The one way a moment is shown: UTC, so every reader sees the same time, with how long
 * ago (or how soon) it is: "2024-09-12 10:15 UTC (5 minutes ago)".
 */
export function formatWhen(
  iso: string | undefined,
  now: Date = new Date(),
): string {
  if (!iso || Number.isNaN(new Date(iso).getTime())) return formatDateTime(iso);
  return `${formatDateTime(iso)} (${formatAge(iso, now)})`;
}

/** "payments-prod (222222222222)", or the id alone when the name is unknown. */
export function accountLabel(accountId: string, name?: string): string {
  return name ? `${name} (${accountId})` : accountId;
}
