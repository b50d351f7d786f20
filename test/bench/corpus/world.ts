/**
 * The seeded "world" every generated event draws from: people and their organisations, projects, teams,
 * the topic-word ranking (which fixes the frequent word), the rare word and the phrase. Built once per
 * (seed, users) from its own random stream, so every file generator sees the same world.
 */
import { Rng, Weighted, zipfWeights } from './prng.ts';
import type { OrgDef } from './vocab.ts';
import {
  DATASET_LAYERS,
  FIRST_NAMES,
  LAST_NAMES,
  NAME_SUFFIXES,
  ORGS,
  PHRASES,
  RARE_WORDS,
  TOPIC_WORDS,
} from './vocab.ts';

/** Event flag: a string value contains the frequent word as a token. */
export const FLAG_FREQ = 1;
/** Event flag: a string value contains the rare word. */
export const FLAG_RARE = 2;
/** Event flag: a string value contains the phrase. */
export const FLAG_PHRASE = 4;

export const FORMATS = ['prophecy', 'dronahq', 'gravitee'] as const;
export type FormatName = (typeof FORMATS)[number];

/** What the truth needs to know about one generated event; reused between events (no allocation). */
export interface EventInfo {
  format: number;
  user: number;
  action: number;
  entity: number;
  /** Index into World.opTypes; 0 is "(none)". */
  opType: number;
  failure: boolean;
  ts: number;
  flags: number;
  secretKey: string | null;
  secretMarker: string | null;
}

export function newEventInfo(): EventInfo {
  return {
    format: 0,
    user: 0,
    action: 0,
    entity: 0,
    opType: 0,
    failure: false,
    ts: 0,
    flags: 0,
    secretKey: null,
    secretMarker: null,
  };
}

/** Name ↔ index, so hot counters are typed arrays. */
export class Registry {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  id(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }

  get size(): number {
    return this.names.length;
  }
}

export interface Person {
  readonly first: string;
  readonly last: string;
  readonly email: string;
  readonly displayName: string;
  readonly uid: string;
  readonly org: OrgDef;
  /** Index in World.users. */
  readonly user: number;
}

/** A name made of topic words, with the flags those words carry. */
export interface Named {
  readonly id: string;
  readonly name: string;
  readonly flags: number;
}

export const SYSTEM_USER = 'prophecy-system@prophecy.io';
export const GRAVITEE_ADMIN = 'admin';

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export class World {
  readonly seed: number;
  readonly persons: Person[] = [];
  /** Normalised user names (emails, plus the system users), indexed by EventInfo.user. */
  readonly users = new Registry();
  readonly actions = new Registry();
  readonly entities = new Registry();
  readonly opTypes = new Registry();
  readonly personPick: Weighted;
  /** Topic words in rank order for this seed; rank 0 is the frequent word. */
  readonly topic: readonly string[];
  readonly topicCap: readonly string[];
  readonly topicPick: Weighted;
  readonly frequentWord: string;
  readonly rareWord: string;
  readonly phrase: readonly [string, string];
  readonly projects: Named[] = [];
  readonly projectPick: Weighted;
  readonly teams: Named[] = [];
  readonly systemUser: number;
  readonly graviteeAdmin: number;
  /** Persons who administer Gravitee AM (the top of the ranking: admins are busy). */
  readonly admins: Person[];

  constructor(seed: number, userCount = 300) {
    this.seed = seed;
    const rng = new Rng(seed, 0x776f726c); // 'worl'
    this.opTypes.id('(none)');
    const maxUsers = FIRST_NAMES.length * LAST_NAMES.length;
    if (userCount < 10 || userCount > maxUsers) throw new Error(`users must be in [10, ${maxUsers}]`);

    // People: unique first.last pairs, organisations Zipf-skewed, activity Zipf-skewed by rank.
    const orgPick = new Weighted(zipfWeights(ORGS.length, 1.2));
    const seen = new Set<string>();
    while (this.persons.length < userCount) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const key = `${first}.${last}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const org = ORGS[orgPick.pick(rng)]!;
      const email = `${key}@${org.domain}`;
      this.persons.push({
        first,
        last,
        email,
        displayName: `${cap(first)} ${cap(last)}`,
        uid: `u-${1000 + this.persons.length * 7 + rng.int(7)}`,
        org,
        user: this.users.id(email),
      });
    }
    this.systemUser = this.users.id(SYSTEM_USER);
    this.graviteeAdmin = this.users.id(GRAVITEE_ADMIN);
    this.personPick = new Weighted(zipfWeights(userCount, 1.05));
    this.admins = this.persons.slice(0, 6);

    this.topic = rng.shuffled(TOPIC_WORDS);
    this.topicCap = this.topic.map(cap);
    this.topicPick = new Weighted(zipfWeights(this.topic.length, 1.0));
    this.frequentWord = this.topic[0]!;
    this.rareWord = rng.pick(RARE_WORDS);
    this.phrase = rng.pick(PHRASES);

    const text = new TextGen(this, rng);
    for (let i = 0; i < 400; i++) {
      text.flags = 0;
      const name = `${text.word()}_${text.word()}`;
      this.projects.push({ id: `p-${100 + i * 3 + rng.int(3)}`, name, flags: text.flags });
    }
    this.projectPick = new Weighted(zipfWeights(this.projects.length, 0.9));
    for (let i = 0; i < 40; i++) {
      text.flags = 0;
      const name = `${text.word()}-team`;
      this.teams.push({ id: `t-${10 + i * 5 + rng.int(5)}`, name, flags: text.flags });
    }
  }

  pickPerson(rng: Rng): Person {
    return this.persons[this.personPick.pick(rng)]!;
  }
}

/**
 * Draws topic words for one generator and remembers, in `flags`, whether the frequent word was drawn.
 * Every topic word that reaches an event must come through here (or through a Named with its flags).
 */
export class TextGen {
  flags = 0;
  private readonly world: World;
  private readonly rng: Rng;

  constructor(world: World, rng: Rng) {
    this.world = world;
    this.rng = rng;
  }

  private rank(): number {
    const r = this.world.topicPick.pick(this.rng);
    if (r === 0) this.flags |= FLAG_FREQ;
    return r;
  }

  word(): string {
    return this.world.topic[this.rank()]!;
  }

  capWord(): string {
    return this.world.topicCap[this.rank()]!;
  }

  /** A project (Zipf-popular); only its id is used, so no flags. */
  pickProject(): Named {
    return this.world.projects[this.world.projectPick.pick(this.rng)]!;
  }

  pickTeam(): Named {
    return this.world.teams[this.rng.int(this.world.teams.length)]!;
  }

  /** The name of a pooled item that is about to be written into the event. */
  nameOf(item: Named): string {
    this.flags |= item.flags;
    return item.name;
  }

  pipelineName(): string {
    return `${this.word()}_${this.rng.pick(NAME_SUFFIXES)}`;
  }

  datasetName(): string {
    return `${this.rng.pick(DATASET_LAYERS)}_${this.word()}`;
  }

  branch(): string {
    const r = this.rng.float();
    if (r < 0.3) return 'main';
    if (r < 0.4) return 'develop';
    if (r < 0.45) return `release/${this.version()}`;
    const prefixes = ['feature', 'feature', 'feature', 'fix', 'chore', 'hotfix'] as const;
    return `${this.rng.pick(prefixes)}/${this.word()}-${this.word()}`;
  }

  version(): string {
    return `${this.rng.range(0, 4)}.${this.rng.range(0, 19)}.${this.rng.range(0, 9)}`;
  }

  /** A commit message; `extra` (a rare word or a phrase) is woven in when given. */
  commitMessage(verbs: readonly string[], glue: readonly string[], extra?: string): string {
    const verb = this.rng.pick(verbs);
    const t = this.rng.int(4);
    if (extra !== undefined) return `${verb} ${extra} ${this.rng.pick(glue)} ${this.word()} ${this.word()}`;
    switch (t) {
      case 0:
        return `${verb} ${this.word()} ${this.word()}`;
      case 1:
        return `${verb} ${this.word()} ${this.rng.pick(glue)} ${this.word()} ${this.word()}`;
      case 2:
        return `${verb} ${this.word()}_${this.rng.pick(NAME_SUFFIXES)} ${this.rng.pick(glue)} ${this.word()}`;
      default:
        return `Merge branch '${this.branch()}' into main`;
    }
  }
}
