import path from 'node:path';

/**
 * Every setting of the program, read once from the environment at start-up and passed down.
 * README.md "Configuration" documents each BALLOU_* variable; keep the two in step.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:<file>` or `postgres://…`. */
  databaseUrl: string;
  databaseKind: 'sqlite' | 'postgres';
  demoData: boolean;
  logLevel: string;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (Fastify trustProxy); none by default. */
  trustProxy: string[];
  /** Send cookies with Secure (and the __Host- prefix). Off only for plain-HTTP development on a LAN. */
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  bodyLimitBytes: number;
  loginRateLimitPerMinute: number;
  /** Staff roles (admin, manager, engineer, billing) must enrol TOTP before using anything but their account page. */
  totpRequiredForStaff: boolean;
  /** 32 bytes (base64 or hex) that seal TOTP secrets at rest (AES-256-GCM); '' = stored unsealed. Never logged. */
  totpKey: string;
  escalateSecondaryAfterSeconds: number;
  escalateManagerAfterSeconds: number;
  /** After the managers are paged, everyone paged so far is paged again this often until someone acknowledges. */
  escalateRepeatEverySeconds: number;
  /** How long a worker holds a claimed job; a crashed node's jobs are taken over once it has run out. */
  jobLeaseSeconds: number;
  /** How many due jobs a node claims at once. */
  jobBatchSize: number;
  jobConcurrency: number;
  /** Run the job worker on a thread of its own (its own database connection) beside the HTTP server. */
  jobThread: boolean;
  /**
   * How often a node's live boards look for changes when nothing told them of one. Changes on this node,
   * and on PostgreSQL on any node, are told at once (app/incidents/incident-change-relay.ts).
   */
  boardPollMs: number;
  /** PostgreSQL: run parameterized statements as named prepared statements (pg-prepared-statements.ts). */
  pgPreparedStatements: boolean;
  /** How long a request to 46elks or Twilio may take before it counts as failed (and is retried). */
  providerTimeoutMs: number;
  /**
   * After two timeouts in a row, 46elks (SMS or calls) is skipped for this long and Twilio takes the
   * pages directly (integrations/telephony/hang-breaker.ts); 0: always try 46elks first.
   */
  providerHangSkipSeconds: number;
  /** The bearer token Prometheus sends to `GET /metrics`; empty: the endpoint is off (404). */
  metricsToken: string;
  seller: SellerDetails;
  elks: {
    apiUrl: string;
    username: string;
    password: string;
    webhookSecret: string;
    fromNumber: string;
    /** A recording of the Swedish greeting played to callers (46elks has no Swedish text-to-speech). */
    greetingAudioUrl: string;
    /** A recording played on page calls instead of the bundled prompt (must ask to press 1). */
    pageAudioUrl: string;
  };
  twilio: { apiUrl: string; accountSid: string; authToken: string; fromNumber: string };
  smtpUrl: string;
  mailFrom: string;
  sshKeyFile: string;
  /** A JSON file with the action catalogue (SPEC.md 7); empty = the built-in catalogue. */
  actionsFile: string;
  publicUrl: string;
  /** BALLOU_PUBLIC_URL was set: providers can reach us there (callbacks, 46elks audio). */
  publicUrlConfigured: boolean;
  webPush: WebPushConfig;
}

/**
 * Web push: the VAPID key pair and contact. Without keys, one pair is generated on the first start and
 * kept in the database (every node and restart must sign with the key browsers subscribed with).
 */
export interface WebPushConfig {
  /** base64url, 65 bytes uncompressed P-256; '' = use the pair kept in the database. */
  vapidPublicKey: string;
  /** base64url, 32 bytes; never logged. */
  vapidPrivateKey: string;
  /** `mailto:…` or `https://…`, sent to the push services in the VAPID token. */
  vapidSubject: string;
  /** Tests only: a PEM file of the only CA trusted for push services (a loopback stand-in). */
  caFile: string;
}

export interface SellerDetails {
  name: string;
  orgNumber: string;
  vatNumber: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  bankgiro: string;
  email: string;
  phone: string;
  /** The F-skatt statement printed on invoices (mervärdesskattelagen 17 kap.; "Godkänd för F-skatt"). */
  fSkatt: string;
  /** Days from the invoice date to its due date. */
  paymentTermsDays: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min) throw new ConfigError(`${name} must be at least ${min}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1/0 (or true/false), got "${raw}"`);
}

function str(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

function base64UrlBytes(value: string): number | undefined {
  return /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url').length : undefined;
}

/** The TOTP sealing key: empty, or exactly 32 bytes as 64 hex digits or base64. */
function totpKey(env: Env): string {
  const raw = str(env, 'BALLOU_TOTP_KEY', '').trim();
  if (raw === '') return '';
  const bytes = /^[0-9a-fA-F]{64}$/.test(raw) ? 32 : Buffer.from(raw, 'base64').length;
  if (bytes !== 32)
    throw new ConfigError(
      'BALLOU_TOTP_KEY must be 32 bytes, as 64 hex digits or base64 (`openssl rand -hex 32`)',
    );
  return raw;
}

/** Prometheus's bearer token: empty (metrics off), or at least 32 characters so it cannot be guessed. */
function metricsToken(env: Env): string {
  const raw = str(env, 'BALLOU_METRICS_TOKEN', '').trim();
  if (raw !== '' && raw.length < 32)
    throw new ConfigError('BALLOU_METRICS_TOKEN must be at least 32 characters (`openssl rand -hex 32`)');
  return raw;
}

/** Both VAPID keys or neither, of the right lengths; a subject the push services accept. */
function webPushConfig(env: Env, mailFrom: string): WebPushConfig {
  const vapidPublicKey = str(env, 'BALLOU_VAPID_PUBLIC_KEY', '').trim();
  const vapidPrivateKey = str(env, 'BALLOU_VAPID_PRIVATE_KEY', '').trim();
  if ((vapidPublicKey === '') !== (vapidPrivateKey === ''))
    throw new ConfigError('set both BALLOU_VAPID_PUBLIC_KEY and BALLOU_VAPID_PRIVATE_KEY, or neither');
  if (vapidPublicKey !== '') {
    if (base64UrlBytes(vapidPublicKey) !== 65)
      throw new ConfigError(
        'BALLOU_VAPID_PUBLIC_KEY must be an uncompressed P-256 public key, base64url (65 bytes; `npx web-push generate-vapid-keys`)',
      );
    if (Buffer.from(vapidPublicKey, 'base64url')[0] !== 4)
      throw new ConfigError('BALLOU_VAPID_PUBLIC_KEY must be an uncompressed P-256 point (starting 0x04)');
    if (base64UrlBytes(vapidPrivateKey) !== 32)
      throw new ConfigError('BALLOU_VAPID_PRIVATE_KEY must be a P-256 private key, base64url (32 bytes)');
  }
  // Default: the address e-mail is sent from, else the seller's (a push service may write to it).
  const address =
    /<([^<>\s]+@[^<>\s]+)>/.exec(mailFrom)?.[1] ??
    (/^[^\s@]+@[^\s@]+$/.test(mailFrom) ? mailFrom : str(env, 'BALLOU_SELLER_EMAIL', 'faktura@example.se'));
  const vapidSubject = str(env, 'BALLOU_VAPID_SUBJECT', `mailto:${address}`);
  if (!/^mailto:[^\s@]+@[^\s@]+$/.test(vapidSubject) && !/^https:\/\/[^\s]+$/.test(vapidSubject))
    throw new ConfigError(
      `BALLOU_VAPID_SUBJECT must be mailto:<address> or an https: URL, got "${vapidSubject}"`,
    );
  return { vapidPublicKey, vapidPrivateKey, vapidSubject, caFile: str(env, 'BALLOU_WEB_PUSH_CA_FILE', '') };
}

/** Builds the Config from an environment (process.env in production, a plain object in tests). */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const dataDir = path.resolve(cwd, str(env, 'BALLOU_DATA_DIR', 'data'));
  const databaseUrl = str(env, 'BALLOU_DATABASE_URL', `sqlite:${path.join(dataDir, 'ballou.sqlite')}`);
  let databaseKind: Config['databaseKind'];
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) databaseKind = 'postgres';
  else if (databaseUrl.startsWith('sqlite:')) databaseKind = 'sqlite';
  else
    throw new ConfigError(
      `BALLOU_DATABASE_URL must start with postgres:// or sqlite: (e.g. sqlite:./data/ballou.sqlite), got "${databaseUrl.replace(/:[^:@/]*@/, ':***@')}"`,
    );
  const port = int(env, 'PORT', 3000);
  const mailFrom = str(env, 'BALLOU_MAIL_FROM', 'Ballou Server Assistans <jour@example.se>');
  const secondaryAfter = int(env, 'BALLOU_ESCALATE_SECONDARY_AFTER', 300, 1);
  const managerAfter = int(env, 'BALLOU_ESCALATE_MANAGER_AFTER', 600, 1);
  if (managerAfter <= secondaryAfter) {
    throw new ConfigError(
      `BALLOU_ESCALATE_MANAGER_AFTER (${managerAfter}) must be later than BALLOU_ESCALATE_SECONDARY_AFTER (${secondaryAfter})`,
    );
  }
  return {
    port,
    host: str(env, 'BALLOU_HOST', '0.0.0.0'),
    dataDir,
    databaseUrl,
    databaseKind,
    demoData: bool(env, 'BALLOU_DEMO_DATA', true),
    logLevel: str(env, 'BALLOU_LOG_LEVEL', 'info'),
    trustProxy: str(env, 'BALLOU_TRUST_PROXY', '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    cookieSecure: bool(env, 'BALLOU_COOKIE_SECURE', true),
    // ASVS 3.3.2 (L2): re-authentication after 30 minutes idle or 12 hours.
    sessionIdleMinutes: int(env, 'BALLOU_SESSION_IDLE_MINUTES', 30, 1),
    sessionAbsoluteHours: int(env, 'BALLOU_SESSION_ABSOLUTE_HOURS', 12, 1),
    bodyLimitBytes: int(env, 'BALLOU_BODY_LIMIT_BYTES', 1024 * 1024, 1024),
    loginRateLimitPerMinute: int(env, 'BALLOU_LOGIN_RATE_LIMIT', 10, 1),
    totpRequiredForStaff: bool(env, 'BALLOU_TOTP_REQUIRED_FOR_STAFF', false),
    totpKey: totpKey(env),
    escalateSecondaryAfterSeconds: secondaryAfter,
    escalateManagerAfterSeconds: managerAfter,
    escalateRepeatEverySeconds: int(env, 'BALLOU_ESCALATE_REPEAT_EVERY', 300, 30),
    jobLeaseSeconds: int(env, 'BALLOU_JOB_LEASE_SECONDS', 60, 5),
    // How many due jobs a node claims at once; smaller spreads a burst over more nodes.
    jobBatchSize: int(env, 'BALLOU_JOB_BATCH_SIZE', 20, 1),
    // How many jobs a node runs at once (pages to send while a provider is slow to answer).
    jobConcurrency: int(env, 'BALLOU_JOB_CONCURRENCY', 8, 1),
    // Pages keep going out while the HTTP side is busy (and the other way round): two cores, not one.
    jobThread: bool(env, 'BALLOU_JOB_THREAD', true),
    boardPollMs: int(env, 'BALLOU_BOARD_POLL_MS', 1_000, 50),
    // Off only behind a pooler that cannot keep named statements (PgBouncer in transaction mode before 1.21).
    pgPreparedStatements: bool(env, 'BALLOU_PG_PREPARED_STATEMENTS', true),
    // A provider that hangs must not hold the job worker (and every page behind it) for long.
    providerTimeoutMs: int(env, 'BALLOU_PROVIDER_TIMEOUT_MS', 10_000, 100),
    providerHangSkipSeconds: int(env, 'BALLOU_PROVIDER_HANG_SKIP_SECONDS', 30, 0),
    metricsToken: metricsToken(env),
    seller: {
      name: str(env, 'BALLOU_SELLER_NAME', 'Ballou Internet Services AB'),
      orgNumber: str(env, 'BALLOU_SELLER_ORG_NUMBER', '556000-0000'),
      vatNumber: str(env, 'BALLOU_SELLER_VAT_NUMBER', 'SE556000000001'),
      street: str(env, 'BALLOU_SELLER_STREET', 'Demogatan 1'),
      postalCode: str(env, 'BALLOU_SELLER_POSTAL_CODE', '111 22'),
      city: str(env, 'BALLOU_SELLER_CITY', 'Stockholm'),
      country: str(env, 'BALLOU_SELLER_COUNTRY', 'SE'),
      bankgiro: str(env, 'BALLOU_SELLER_BANKGIRO', '123-4567'),
      email: str(env, 'BALLOU_SELLER_EMAIL', 'faktura@example.se'),
      phone: str(env, 'BALLOU_SELLER_PHONE', '+46800000000'),
      fSkatt: str(env, 'BALLOU_SELLER_F_SKATT', 'Godkänd för F-skatt'),
      paymentTermsDays: int(env, 'BALLOU_INVOICE_DUE_DAYS', 30, 0),
    },
    elks: {
      apiUrl: str(env, 'BALLOU_46ELKS_API_URL', 'https://api.46elks.com/a1'),
      username: str(env, 'BALLOU_46ELKS_USERNAME', ''),
      password: str(env, 'BALLOU_46ELKS_PASSWORD', ''),
      webhookSecret: str(env, 'BALLOU_46ELKS_WEBHOOK_SECRET', ''),
      fromNumber: str(env, 'BALLOU_46ELKS_FROM', 'Ballou'),
      greetingAudioUrl: str(env, 'BALLOU_46ELKS_GREETING_URL', ''),
      pageAudioUrl: str(env, 'BALLOU_46ELKS_PAGE_AUDIO_URL', ''),
    },
    twilio: {
      apiUrl: str(env, 'BALLOU_TWILIO_API_URL', 'https://api.twilio.com'),
      accountSid: str(env, 'BALLOU_TWILIO_ACCOUNT_SID', ''),
      authToken: str(env, 'BALLOU_TWILIO_AUTH_TOKEN', ''),
      fromNumber: str(env, 'BALLOU_TWILIO_FROM', ''),
    },
    smtpUrl: str(env, 'BALLOU_SMTP_URL', ''),
    mailFrom,
    sshKeyFile: str(env, 'BALLOU_SSH_KEY_FILE', ''),
    actionsFile: str(env, 'BALLOU_ACTIONS_FILE', ''),
    publicUrl: str(env, 'BALLOU_PUBLIC_URL', `http://localhost:${port}`),
    publicUrlConfigured: str(env, 'BALLOU_PUBLIC_URL', '') !== '',
    webPush: webPushConfig(env, mailFrom),
  };
}
