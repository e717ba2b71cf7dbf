// Unique fictional values for one task: every person, place, number and name drawn here is
// distinct from every other one in the same task, so a planted answer is stated exactly once
// and never equals a distractor.
import type { SeededRandom } from '@subnetkit/neuron/random';
import {
  CARGOES,
  type Cargo,
  COMPANY_FORMS,
  FIRST_NAMES,
  PLACE_FEATURES,
  PLACE_HEADS,
  PLACE_TAILS,
  SHIP_HEADS,
  SHIP_TAILS,
  SURNAME_HEADS,
  SURNAME_TAILS,
  TRADES,
} from './words.js';

export interface Person {
  first: string;
  last: string;
  full: string;
}

/** Draws values that are unique within one generated task. */
export class UniquePool {
  private readonly used = new Set<string>();
  private readonly usedNumbers = new Set<number>();
  private readonly usedFirst = new Set<string>();
  private readonly usedRoots = new Set<string>();

  constructor(private readonly rng: SeededRandom) {}

  private unique(make: () => string): string {
    for (let i = 0; i < 1000; i++) {
      const v = make();
      const k = v.toLowerCase();
      if (!this.used.has(k)) {
        this.used.add(k);
        return v;
      }
    }
    throw new Error('UniquePool: word lists exhausted'); // unreachable with the shipped lists
  }

  /** A fictional surname ("Quillby"); also unique against every other word drawn. */
  surname(): string {
    const s = this.unique(() =>
      joinParts(this.rng.pick(SURNAME_HEADS), this.rng.pick(SURNAME_TAILS)),
    );
    return s;
  }

  /** A person whose first name and surname both differ from every other person's. */
  person(): Person {
    let first = this.rng.pick(FIRST_NAMES);
    for (let i = 0; i < 1000 && this.usedFirst.has(first); i++) first = this.rng.pick(FIRST_NAMES);
    this.usedFirst.add(first);
    this.used.add(first.toLowerCase());
    const last = this.surname();
    return { first, last, full: `${first} ${last}` };
  }

  /**
   * A fictional place: "Varrow" or "Varrow Point". Its first word is new too, so no place
   * is a word of another ("Varrow" inside "Varrow Point").
   */
  place(): string {
    let root = '';
    for (let i = 0; i < 1000; i++) {
      root = joinParts(this.rng.pick(PLACE_HEADS), this.rng.pick(PLACE_TAILS));
      if (!this.usedRoots.has(root) && !this.used.has(root.toLowerCase())) break;
    }
    this.usedRoots.add(root);
    const feature = this.rng.float() < 0.4 ? ` ${this.rng.pick(PLACE_FEATURES)}` : '';
    return this.unique(() => `${root}${feature}`);
  }

  /** An integer in [min, max] no other number of this task has. */
  number(min: number, max: number): number {
    for (let i = 0; i < 10_000; i++) {
      const n = this.rng.range(min, max);
      if (!this.usedNumbers.has(n)) {
        this.usedNumbers.add(n);
        return n;
      }
    }
    throw new Error('UniquePool: number range exhausted');
  }

  year(): number {
    return this.number(1760, 1965);
  }

  /** A ship's name; with `head`, one sharing that first word (a near miss). */
  ship(head?: string): string {
    return this.unique(
      () => `the ${head ?? this.rng.pick(SHIP_HEADS)} ${this.rng.pick(SHIP_TAILS)}`,
    );
  }

  shipHead(ship: string): string {
    return ship.split(' ')[1]!;
  }

  /** A company's name; with `root`, one sharing the founder-root (a near miss). */
  company(root?: string): { name: string; root: string } {
    const r = root ?? this.surname();
    const name = this.unique(
      () => `the ${r} ${this.rng.pick(TRADES)} ${this.rng.pick(COMPANY_FORMS)}`,
    );
    return { name, root: r };
  }

  cargo(): Cargo {
    return this.rng.pick(CARGOES);
  }
}

/** "1,412" for 1412; years are never passed here. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** "Tarr" + "ridge" → "Tarridge": never three equal letters in a row. */
export function joinParts(head: string, tail: string): string {
  const n = head.length;
  const doubled = n >= 2 && head[n - 1] === head[n - 2] && head[n - 1] === tail[0];
  return doubled ? head + tail.slice(1) : head + tail;
}
