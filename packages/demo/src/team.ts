/** The people, repositories and customers the demo's line works for. */
export interface Engineer {
  readonly id: string;
  readonly email: string;
  /** relative activity: some people lean on the assistants far more than others */
  readonly activity: number;
  readonly os: 'darwin' | 'linux';
}

const e = (id: string, activity: number, os: Engineer['os'] = 'darwin'): Engineer => ({
  id,
  email: `${id}@example.com`,
  activity,
  os,
});

export const TEAM: readonly Engineer[] = [
  e('maya.chen', 3),
  e('omar.haddad', 2.6),
  e('lena.kowalski', 2.2, 'linux'),
  e('sam.okafor', 2),
  e('priya.raman', 1.6),
  e('jonas.berg', 1.4, 'linux'),
  e('ana.souza', 1.1),
  e('kenji.watanabe', 1),
  e('fatima.zahra', 0.9, 'linux'),
  e('liam.murphy', 0.7),
  e('noor.aziz', 0.5),
  e('tom.becker', 0.35, 'linux'),
];

export interface Repository {
  readonly name: string;
  readonly url: string;
  readonly weight: number;
}

const r = (name: string, weight: number): Repository => ({
  name,
  url: `https://github.com/example-org/${name}`,
  weight,
});

export const REPOSITORIES: readonly Repository[] = [
  r('storefront', 4),
  r('payments-api', 3),
  r('platform-infra', 2),
  r('mobile-app', 2),
  r('data-pipeline', 1.5),
  r('design-system', 1),
];

export const BRANCH_TOPICS: readonly string[] = [
  'checkout-retry',
  'rate-limit-headers',
  'flaky-cart-test',
  'currency-rounding',
  'session-timeout',
  'webhook-signature',
  'search-pagination',
  'invoice-pdf',
  'feature-flag-cleanup',
  'otel-upgrade',
  'dark-mode-tokens',
  'refund-idempotency',
  'k8s-probes',
  'csv-export',
  'login-throttle',
  'batch-backfill',
];

export const CUSTOMER_COUNT = 400;
