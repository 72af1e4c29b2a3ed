import type { Prng } from './prng.ts';

/** Anything that picks an item with the generator. */
export interface Picker<T> {
  pick(rng: Prng): T;
}

/** Picks items in proportion to their weights (a linear scan: the tables here are short). */
export class WeightedTable<T> implements Picker<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    let sum = 0;
    for (const [item, weight] of entries) {
      if (weight <= 0) continue;
      sum += weight;
      this.items.push(item);
      this.cumulative.push(sum);
    }
    if (this.items.length === 0) throw new Error('a weighted table needs at least one positive weight');
    this.total = sum;
  }

  pick(rng: Prng): T {
    const x = rng.next() * this.total;
    const cumulative = this.cumulative;
    const last = cumulative.length - 1;
    for (let i = 0; i < last; i++) {
      if (x < cumulative[i]!) return this.items[i]!;
    }
    return this.items[last]!;
  }
}

/**
 * Deals items from a shuffled deck holding each item `count` times, reshuffling when the deck runs
 * out: the order is random but the shares are exact over every full deck.
 */
export class ShuffledDeck<T> implements Picker<T> {
  private readonly cards: T[] = [];
  private position = 0;

  constructor(entries: readonly (readonly [T, number])[]) {
    for (const [item, count] of entries) for (let i = 0; i < count; i++) this.cards.push(item);
    if (this.cards.length === 0) throw new Error('a deck needs at least one card');
  }

  pick(rng: Prng): T {
    if (this.position === 0) this.shuffle(rng);
    const card = this.cards[this.position]!;
    this.position = (this.position + 1) % this.cards.length;
    return card;
  }

  private shuffle(rng: Prng): void {
    const cards = this.cards;
    for (let i = cards.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const swap = cards[i]!;
      cards[i] = cards[j]!;
      cards[j] = swap;
    }
  }
}
