/**
 * Word lists the generator draws from. Kept deliberately disjoint: TOPIC words (the ones users type into a
 * search box: project, app and client names, commit messages) never occur as a token in any other list, so
 * the generator can count exactly which events contain a given topic word by tracking its own draws.
 * test/unit/bench/vocab.test.ts checks the disjointness.
 */

// prettier-ignore
export const FIRST_NAMES = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj',
  'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yasmin', 'zoe', 'amir', 'bianca',
  'chen', 'dmitri', 'elena', 'fatima', 'giorgio', 'hana', 'ines', 'jamal', 'kenji', 'lena', 'mateo', 'nadia',
  'oscar', 'priya', 'quentin', 'rosa', 'sanjay', 'tomas', 'ursula', 'valeria', 'wei', 'ximena', 'yusuf',
  'zara', 'arjun', 'beatriz', 'camille', 'diego', 'emeka', 'farah', 'gustav', 'hugo', 'ingrid', 'jonas',
  'kofi', 'lucia', 'marek', 'noor', 'omar', 'paula', 'rafael', 'sofia', 'tariq', 'uma', 'vikram', 'wanda',
  'xavier', 'yara', 'zeynep', 'anders', 'bruna', 'cyrus', 'daria', 'eitan', 'freya', 'gideon',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'smith', 'johnson', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'wilson',
  'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'thompson', 'white', 'harris',
  'clark', 'lewis', 'robinson', 'walker', 'young', 'allen', 'king', 'wright', 'scott', 'torres', 'nguyen',
  'hill', 'flores', 'adams', 'nelson', 'baker', 'campbell', 'mitchell', 'carter', 'roberts', 'kowalski',
  'novak', 'schmidt', 'muller', 'rossi', 'ferrari', 'silva', 'santos', 'tanaka', 'suzuki', 'kim', 'park',
  'singh', 'patel', 'khan', 'ali', 'okafor', 'mensah', 'ivanova', 'petrov', 'larsen', 'jensen', 'dubois',
  'moreau', 'bernard', 'costa', 'oliveira', 'yilmaz', 'demir', 'cohen', 'levi', 'murphy', 'kelly',
] as const;

/** Customer organisations: Prophecy customerName = domain, DronaHQ organization-id, Gravitee domain. */
export interface OrgDef {
  readonly domain: string;
  readonly slug: string;
  readonly dronaOrg: string;
  readonly dronaGroupId: number;
}

export const ORGS: readonly OrgDef[] = [
  { domain: 'acme.io', slug: 'acme', dronaOrg: 'DRONA5_Team1809', dronaGroupId: 6625 },
  { domain: 'globex.com', slug: 'globex', dronaOrg: 'DRONA5_Team2210', dronaGroupId: 7102 },
  { domain: 'initech.net', slug: 'initech', dronaOrg: 'DRONA5_Team0417', dronaGroupId: 5318 },
  { domain: 'umbrella-corp.com', slug: 'umbrella', dronaOrg: 'DRONA5_Team3391', dronaGroupId: 8840 },
  { domain: 'hooli.dev', slug: 'hooli', dronaOrg: 'DRONA5_Team0912', dronaGroupId: 4471 },
  { domain: 'stark-industries.com', slug: 'stark', dronaOrg: 'DRONA5_Team5150', dronaGroupId: 9006 },
  { domain: 'wayne-enterprises.com', slug: 'wayne', dronaOrg: 'DRONA5_Team7777', dronaGroupId: 9913 },
  { domain: 'cyberdyne.ai', slug: 'cyberdyne', dronaOrg: 'DRONA5_Team1984', dronaGroupId: 3120 },
];

/**
 * Business nouns for names and messages. Zipf-distributed after a seeded shuffle: rank 0 is the seed's
 * "frequent word". None is pure hex (ids and hashes are hex), none occurs in any other list.
 */
// prettier-ignore
export const TOPIC_WORDS = [
  'orders', 'customers', 'revenue', 'churn', 'invoices', 'payments', 'refunds', 'inventory', 'shipments',
  'warehouses', 'clickstream', 'sessions', 'ledger', 'forecast', 'marketing', 'campaigns', 'attribution',
  'loyalty', 'pricing', 'discounts', 'coupons', 'subscriptions', 'renewals', 'billing', 'accounts',
  'balances', 'transfers', 'deposits', 'loans', 'credit', 'fraud', 'claims', 'policies', 'premiums',
  'underwriting', 'patients', 'encounters', 'prescriptions', 'providers', 'enrollment', 'eligibility',
  'vendors', 'suppliers', 'procurement', 'contracts', 'products', 'skus', 'variants', 'reviews', 'ratings',
  'returns', 'carriers', 'routes', 'deliveries', 'fleet', 'drivers', 'trips', 'fares', 'stations', 'sensors',
  'telemetry', 'readings', 'meters', 'outages', 'tickets', 'calls', 'chats', 'surveys', 'feedback',
  'sentiment', 'leads', 'opportunities', 'quotas', 'territories', 'commissions', 'payroll', 'employees',
  'headcount', 'hiring', 'candidates', 'benefits', 'timesheets', 'expenses', 'budgets', 'journals',
  'reconciliation', 'accruals', 'depreciation', 'liabilities', 'equity', 'dividends', 'trades', 'positions',
  'portfolios', 'tickers', 'markets', 'settlements', 'custody', 'margin', 'collateral', 'exposures',
  'weather', 'rainfall', 'harvest', 'crops', 'yields', 'livestock', 'energy', 'tariffs', 'emissions',
  'carbon', 'water', 'solar', 'turbines', 'batteries', 'charging', 'vehicles', 'parking', 'tolls', 'flights',
  'bookings', 'hotels', 'rooms', 'occupancy', 'guests', 'menus', 'recipes', 'kitchens', 'restaurants',
  'reservations', 'venues', 'artists', 'playlists', 'listeners', 'podcasts', 'episodes', 'articles',
  'readers', 'newsletters', 'advertisers', 'impressions', 'clicks', 'conversions', 'funnels', 'cohorts',
  'retention', 'engagement', 'referrals', 'affiliates', 'partners', 'resellers', 'distributors',
  'franchises', 'stores', 'regions', 'countries', 'cities', 'zipcodes', 'addresses', 'geocodes',
  'households', 'demographics', 'census', 'elections', 'ballots', 'donors', 'grants', 'scholarships',
  'students', 'courses', 'grades', 'teachers', 'schools', 'libraries', 'citations', 'journeys', 'visits',
  'pageviews', 'searches', 'wishlists', 'carts', 'checkouts', 'basket', 'promotions', 'bundles', 'rebates',
  'warranty', 'repairs', 'parts', 'assembly', 'factories', 'machines', 'downtime', 'maintenance', 'spares',
  'logistics', 'freight', 'containers', 'ports', 'customs', 'duties', 'invoicing', 'receivables', 'payables',
  'treasury', 'liquidity', 'hedging', 'currency', 'rates', 'benchmarks', 'valuation', 'appraisals',
  'mortgages', 'properties', 'tenants', 'leases', 'rentals', 'utilities', 'consumption',
] as const;

/** Candidate rare words: never drawn from the topic list, injected into ~0.04% of events. */
// prettier-ignore
export const RARE_WORDS = [
  'quokka', 'zeppelin', 'marzipan', 'kumquat', 'tesseract', 'xylophone', 'gossamer', 'axolotl', 'quasar',
  'wombat', 'narwhal', 'okapi',
] as const;

/**
 * Candidate phrases [A, B]: A is a topic word (also used alone), B occurs nowhere else, always right after
 * A, so the phrase "A B" matches exactly the events where the generator put it.
 */
export const PHRASES: ReadonlyArray<readonly [string, string]> = [
  ['revenue', 'leakage'],
  ['inventory', 'drift'],
  ['churn', 'spike'],
  ['invoices', 'backlog'],
  ['shipments', 'skew'],
  ['pricing', 'anomaly'],
];

/** Commit-message verbs and glue words (not topic words). */
// prettier-ignore
export const COMMIT_VERBS = [
  'Fix', 'Add', 'Update', 'Refactor', 'Remove', 'Rename', 'Tune', 'Optimize', 'Revert', 'Bump', 'Document',
  'Handle', 'Improve', 'Drop', 'Cleanup', 'Backport', 'Simplify', 'Validate',
] as const;
export const GLUE_WORDS = [
  'for',
  'in',
  'on',
  'with',
  'when',
  'and',
  'after',
  'before',
  'from',
  'to',
] as const;
export const NAME_SUFFIXES = ['etl', 'ingest', 'agg', 'load', 'clean', 'sync', 'enrich', 'dedupe'] as const;
export const DATASET_LAYERS = ['raw', 'bronze', 'silver', 'gold', 'stg', 'dim', 'fct'] as const;
export const BRANCH_PREFIXES = ['feature', 'fix', 'chore', 'hotfix'] as const;
export const APP_SUFFIXES = ['Portal', 'Dashboard', 'Tracker', 'Console', 'Manager', 'Hub'] as const;
export const CLIENT_SUFFIXES = ['api', 'web', 'mobile', 'service', 'batch'] as const;
// prettier-ignore
export const FABRIC_NAMES = [
  'prod-databricks', 'dev-databricks', 'staging-emr', 'sandbox', 'uat-cluster', 'prod-dataproc',
  'perf-cluster', 'ml-gpu',
] as const;

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:122.0) Gecko/20100101 Firefox/122.0',
  'Mozilla/5.0',
  'curl/8.5',
  'okhttp/4.12.0',
  'python-requests/2.31.0',
] as const;

/** Every fixed (non-topic) string the generator can emit; the vocabulary test tokenises these. */
export function fixedVocabulary(): string[] {
  return [
    ...FIRST_NAMES,
    ...LAST_NAMES,
    ...ORGS.flatMap((o) => [o.domain, o.slug, o.dronaOrg]),
    ...COMMIT_VERBS,
    ...GLUE_WORDS,
    ...NAME_SUFFIXES,
    ...DATASET_LAYERS,
    ...BRANCH_PREFIXES,
    ...APP_SUFFIXES,
    ...CLIENT_SUFFIXES,
    ...FABRIC_NAMES,
    ...USER_AGENTS,
  ];
}
