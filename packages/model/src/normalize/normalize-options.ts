import { LOOPLINE_ATTRIBUTES } from '@loopline/conventions';
import type { PriceTable } from '../pricing/price-table.ts';
import type { Attributes, AttrValue, RawScope } from '../raw-otlp.ts';
import { type SlotSnapshot, snapshotSlots } from './attribute-slots.ts';
import { attributesFragment } from './common-columns.ts';
import { mergeRedactedLists, redactAttributes } from './redact.ts';

export interface NormalizeOptions {
  /** prices for computed costs (usually `bundledPriceTable()`, maybe merged with an override) */
  prices: PriceTable;
  /** keep prompt / response / tool-argument content; secrets are masked either way */
  captureContent: boolean;
  /** clock in milliseconds since the epoch (like `Date.now`), used for items without a time */
  now?: () => number;
}

export interface NormalizeResult<Row> {
  rows: Row[];
  /** items dropped (counted for OTLP partial success) */
  rejected: number;
  /** one short message per distinct problem, at most ten; may hold warnings when nothing was rejected */
  errors: string[];
}

/** Microseconds now, read at most once per batch. */
export function clockUs(options: NormalizeOptions): () => number {
  let value: number | undefined;
  return () => {
    value ??= Math.round((options.now ?? Date.now)() * 1000);
    return value;
  };
}

/** A resource prepared once per batch entry and shared by all its items. */
export interface PreparedResource {
  attributes: Attributes;
  fragment: string;
  slots: SlotSnapshot;
}

export function prepareResource(attrs: Attributes, captureContent: boolean): PreparedResource {
  const { attributes } = redactAttributes(attrs, { captureContent });
  return { attributes, fragment: attributesFragment(attributes), slots: snapshotSlots(attributes) };
}

/**
 * The resource as one instrumentation scope's items see it: the scope's attributes (redacted like any)
 * join the resource's under their own keys, where the resource has none, so a scope never changes a value
 * its resource set (the row's dataset included); the item still wins over both. A scope without attributes (the
 * usual case) gets the resource itself.
 */
export function prepareScope(
  resource: PreparedResource,
  scope: RawScope,
  captureContent: boolean,
): PreparedResource {
  if (Object.keys(scope.attributes).length === 0) return resource;
  const { attributes } = redactAttributes(scope.attributes, { captureContent });
  const merged: Attributes = { ...resource.attributes };
  for (const key in attributes) {
    const scopeValue = attributes[key] as AttrValue;
    const resourceValue = merged[key];
    merged[key] =
      resourceValue === undefined ? scopeValue : mergeItemOverResource(key, scopeValue, resourceValue);
  }
  return { attributes: merged, fragment: attributesFragment(merged), slots: snapshotSlots(merged) };
}

/** Merge rule for a key present on both resource and item: the item wins, `loopline.redacted` lists unite. */
export function mergeItemOverResource(
  key: string,
  resourceValue: AttrValue,
  itemValue: AttrValue,
): AttrValue {
  if (key !== LOOPLINE_ATTRIBUTES.REDACTED) return itemValue;
  const labels = Array.isArray(itemValue) ? itemValue.filter((v): v is string => typeof v === 'string') : [];
  return mergeRedactedLists(resourceValue, labels);
}
