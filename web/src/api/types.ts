/** The shapes the web app reads from the API (docs/openapi.json). */
export type Role = 'admin' | 'manager' | 'engineer' | 'billing' | 'customer';
export type Tier = 'hog' | 'incident' | 'none';
export type IncidentState = 'open' | 'acknowledged' | 'in_progress' | 'resolved' | 'closed';
export type SlaState = 'pending' | 'near_breach' | 'breached' | 'met' | 'missed';

export interface Me {
  id: string;
  name: string;
  /** A browser session's login e-mail (null for an API token). */
  email?: string | null;
  role: Role;
  customerId: string | null;
  kind: string;
  engineerId: string | null;
  csrfToken: string | null;
  /** Staff who must turn on two-factor login before anything else works. */
  totpEnrolmentRequired?: boolean;
}

export interface TimelineEvent {
  seq: number;
  type: string;
  at: string;
  actor: { type: string; id: string | null; name: string | null };
  data: Record<string, unknown>;
}

export interface WorkEntry {
  id: string;
  engineerId: string;
  start: string;
  end: string;
  withinResponsibility: boolean;
  note: string | null;
}

export interface Incident {
  id: string;
  ref: string;
  customerId: string | null;
  customerName: string | null;
  serverId: string | null;
  hostname: string | null;
  summary: string;
  channel: string;
  callerNumber: string | null;
  unknownCaller: boolean;
  tier: Tier;
  callout: boolean;
  state: IncidentState;
  reportedAt: string;
  responseDue: string;
  actionDue: string | null;
  acknowledgedAt: string | null;
  calledBackAt: string | null;
  triage: { withinResponsibility: boolean; at: string } | null;
  consentRequired: boolean;
  consent: { granted: boolean; by: string; via: string; at: string } | null;
  resolvedAt: string | null;
  closedAt: string | null;
  sla: { response: SlaState; action: SlaState | null };
  timeline: TimelineEvent[];
  work: WorkEntry[];
}

export interface Engineer {
  id: string;
  name: string;
  phone: string;
  email: string;
  manager: boolean;
  active: boolean;
}

export interface OnCallNow {
  at: string;
  primary: (Engineer & { source: string }) | null;
  secondary: (Engineer & { source: string }) | null;
}

export interface Shift {
  role: 'primary' | 'secondary';
  engineerId: string | null;
  engineerName: string | null;
  start: string;
  end: string;
  source: 'rotation' | 'override' | 'substitute' | 'none';
}

export interface Gap {
  start: string;
  end: string;
  reason: string;
  kind: string;
  engineerId: string | null;
}

export interface Contact {
  id: string;
  customerId: string;
  name: string;
  phone: string;
  email: string | null;
}

export interface AppOnCall {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  serverId: string | null;
}

export interface Customer {
  id: string;
  name: string;
  orgNumber: string;
  vatNumber: string | null;
  tier: Tier | null;
  tiers: Array<{ tier: Tier; validFrom: string; validTo: string | null }>;
  agreementStart: string;
  agreementEnd: string | null;
  invoiceEmail: string | null;
  appOnCall: AppOnCall[];
}

export interface Server {
  id: string;
  customerId: string;
  hostname: string;
  criticalData: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One audit log record (GET /audit). */
export interface AuditRecord {
  seq: number;
  at: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  customerId: string | null;
  data: Record<string, unknown>;
  requestId: string | null;
}

/** A page of the audit log, newest first; `nextBefore` asks for the older records. */
export interface AuditPage {
  items: AuditRecord[];
  nextBefore: number | null;
}
