import type { Selectable } from 'kysely';

export interface EngineersTable {
  id: string;
  name: string;
  phone: string;
  email: string;
  is_manager: number;
  active: number;
  notify_channel: string;
  phone_failing_since: string | null;
  created_at: string;
}
export type EngineerRow = Selectable<EngineersTable>;

export interface RotationsTable {
  id: string;
  name: string | null;
  role: string;
  start_at: string;
  shift_hours: number;
  handover: string | null;
  end_at: string | null;
  created_at: string;
}

export type RotationRow = Selectable<RotationsTable>;

export interface RotationMembersTable {
  rotation_id: string;
  position: number;
  engineer_id: string;
}

export interface OverridesTable {
  id: string;
  role: string;
  engineer_id: string;
  start_at: string;
  end_at: string;
  reason: string | null;
  created_by: string | null;
  created_at: string;
}
export type OverrideRow = Selectable<OverridesTable>;

export interface UnavailabilityTable {
  id: string;
  engineer_id: string;
  start_at: string;
  end_at: string;
  note: string | null;
  created_at: string;
}
export type UnavailabilityRow = Selectable<UnavailabilityTable>;

export interface ShiftSwapsTable {
  id: string;
  role: string;
  start_at: string;
  end_at: string;
  offered_by: string;
  taken_by: string | null;
  status: 'offered' | 'taken' | 'cancelled';
  override_id: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}
export type ShiftSwapRow = Selectable<ShiftSwapsTable>;
